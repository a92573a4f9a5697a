"""gitleaks `--report-format json` output → FindingsReport.

The report is an array of leaks (`RuleID`, `Description`, `File`, `StartLine`, `Match`, `Secret`, and
`Commit` for a git scan); a clean scan is `[]`. gitleaks reports nothing about files it could not read, so
`unscanned` stays empty.

Severity: gitleaks has no scale; every leak is high (a credential in the repository must be rotated), so a new
leak fails the "no new high" gate.

The secret never reaches the model: the snippet is `Match` with the secret replaced by a redaction (all of
`Match` when the secret does not appear in it literally, e.g. when gitleaks decoded it), and the full-line
`Line` field and the commit message are not read. gitleaks' `Fingerprint` (file:rule:line) is not ours.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity
from voxguard_ci.core.parsers._security import field, redact, redaction
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "gitleaks"


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, list):
        raise ReportError(f"expected a gitleaks JSON report (an array of leaks), got {json_type(data)}")
    return FindingsReport(tool=TOOL, findings=[_finding(index, leak) for index, leak in enumerate(data)])


def _finding(index: int, leak: Any) -> Finding:
    where = f"item {index}"
    rule_id = field(leak, "RuleID", str, where)
    secret = field(leak, "Secret", str, where)
    match = field(leak, "Match", str, where)
    commit = leak.get("Commit")
    description = leak.get("Description") if isinstance(leak.get("Description"), str) else ""
    message = description or f"{rule_id} detected a secret"
    if isinstance(commit, str) and commit:
        message = f"{message} (commit {commit[:12]})"
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=Severity.HIGH,
        message=redact(message, secret) or message,
        path=field(leak, "File", str, where),
        line=field(leak, "StartLine", int, where),
        snippet=redact(match, secret) if secret and secret in match else redaction(match),
    )
