"""detect-secrets `scan` output (a baseline) → FindingsReport.

The report is an object with `results`: file name → list of potential secrets (`type`, `line_number`,
`hashed_secret`, `is_verified`), plus `version`, `plugins_used` and `filters_used`. detect-secrets says
nothing about files it skipped (binary or unreadable), so `unscanned` stays empty.

Severity: detect-secrets has no scale. A secret the tool verified as live (`is_verified: true`) is critical;
every other potential secret is high.

The report never holds the secret, only its SHA-1 (`hashed_secret`). The snippet is a redaction carrying the
first 12 hex digits of that hash, as detect-secrets' own baseline does: a secret is the same finding when it
moves lines, and two secrets of one type in one file stay two findings.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity
from voxguard_ci.core.parsers._security import field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "detect-secrets"


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise ReportError(
            "expected a detect-secrets report (an object with a results object of file → secrets), "
            f"got {json_type(data)}"
        )
    findings = []
    for path, secrets in data["results"].items():
        if not isinstance(secrets, list):
            raise ReportError(f"results[{path!r}]: expected an array of secrets, got {json_type(secrets)}")
        findings.extend(_finding(path, index, secret) for index, secret in enumerate(secrets))
    return FindingsReport(tool=TOOL, findings=findings)


def _finding(path: str, index: int, secret: Any) -> Finding:
    where = f"results[{path!r}][{index}]"
    kind = field(secret, "type", str, where)
    verified = secret.get("is_verified") is True
    return Finding(
        tool=TOOL,
        rule_id=kind,
        severity=Severity.CRITICAL if verified else Severity.HIGH,
        message=f"{'Verified' if verified else 'Potential'} secret: {kind}",
        path=secret.get("filename") if isinstance(secret.get("filename"), str) else path,
        line=field(secret, "line_number", int, where),
        snippet=f"<redacted sha1:{field(secret, 'hashed_secret', str, where)[:12]}>",
    )
