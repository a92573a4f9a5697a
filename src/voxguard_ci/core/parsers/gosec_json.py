"""gosec `-fmt json` output → FindingsReport.

The report is an object with `Issues` (`rule_id`, `severity`, `details`, `file`, `line` as `"11"` or
`"11-13"`, `code`, `cwe.id`), `Golang errors` (file → errors: packages gosec could not type-check, so it
checked them only in part or not at all: these become `unscanned`) and `Stats`.

Severity: gosec's HIGH, MEDIUM, LOW map to high, medium, low (gosec has no critical); any other word →
medium. `confidence` does not change the severity. An issue with `suppressions` (a `#nosec` that gosec
reports because of `-track-suppressions`) was waived in the code and is not a finding.

`file` is an absolute path, as gosec prints it. `code` has line numbers and context lines; the snippet keeps
the issue's own lines. For G101 (hard-coded credentials) the code holds the credential, so the snippet is a
redaction of it instead.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._security import cwe_ids, field, flagged_lines, redaction
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "gosec"
SEVERITIES = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
CREDENTIAL_RULES = frozenset({"G101"})
BUILD = "go build"  # the target of a type-check error gosec files under no path


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or "Issues" not in data:
        raise ReportError(f"expected a gosec JSON report (an object with Issues), got {json_type(data)}")
    issues = data["Issues"] or []
    errors = data.get("Golang errors") or {}
    if not isinstance(issues, list):
        raise ReportError(f"gosec Issues should be an array, got {json_type(issues)}")
    if not isinstance(errors, dict):
        raise ReportError(f"gosec 'Golang errors' should be an object, got {json_type(errors)}")
    findings = [_finding(index, issue) for index, issue in enumerate(issues)]
    return FindingsReport(
        tool=TOOL,
        findings=[finding for finding in findings if finding is not None],
        unscanned=[
            _unscanned(path, error) for path, listed in errors.items() for error in _listed(path, listed)
        ],
    )


def _finding(index: int, issue: Any) -> Finding | None:
    where = f"Issues[{index}]"
    rule_id = field(issue, "rule_id", str, where)
    if issue.get("suppressions"):
        return None
    first, last = _line_range(field(issue, "line", str, where), where)
    snippet = flagged_lines(issue.get("code"), first, last)
    if rule_id in CREDENTIAL_RULES and snippet:
        snippet = redaction(" ".join(snippet.split()))
    cwe = issue.get("cwe")
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=SEVERITIES.get(str(issue.get("severity")).upper(), Severity.MEDIUM),
        message=field(issue, "details", str, where),
        path=field(issue, "file", str, where),
        line=first,
        cwe_ids=cwe_ids(cwe.get("id") if isinstance(cwe, dict) else None),
        snippet=snippet,
    )


def _line_range(line: str, where: str) -> tuple[int, int]:
    parts = line.split("-")
    if not all(part.strip().isdigit() for part in parts) or len(parts) > 2:
        raise ReportError(f"{where}: 'line' should be a line number or a range like 11-13, got {line!r}")
    return int(parts[0]), int(parts[-1])


def _listed(path: str, listed: Any) -> list[Any]:
    if not isinstance(listed, list):
        raise ReportError(f"Golang errors[{path!r}]: expected an array of errors, got {json_type(listed)}")
    return listed


def _unscanned(path: str, error: Any) -> Unscanned:
    message = " ".join(str(field(error, "error", str, f"Golang errors[{path!r}]")).split())
    line = error.get("line")
    where = f"line {line}, column {error.get('column')}: " if isinstance(line, int) and line > 0 else ""
    return Unscanned(target=path or BUILD, reason=f"{where}{message}")
