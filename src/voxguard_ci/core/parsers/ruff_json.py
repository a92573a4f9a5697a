"""`ruff check --output-format json` output → LintReport.

The output is an array of violations (`code`, `message`, `filename`, `location.row`, ...). Every violation
is an error: ruff has no warning level. A syntax error has `code: null` and is reported as rule
`syntax-error`.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.models import LintIssue, LintReport
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError


def parse(text: str) -> LintReport:
    data = load_json(text)
    if not isinstance(data, list):
        raise ReportError(f"expected a JSON array of ruff violations, got {json_type(data)}")
    issues = [_issue(index, violation) for index, violation in enumerate(data)]
    return LintReport(errors=len(issues), issues=issues)


def _issue(index: int, violation: Any) -> LintIssue:
    if not isinstance(violation, dict) or "filename" not in violation or "message" not in violation:
        raise ReportError(
            f"item {index}: expected a ruff violation with filename and message, got {violation!r:.100}"
        )
    location = violation.get("location") or {}
    return LintIssue(
        path=violation["filename"],
        line=location.get("row") if isinstance(location, dict) else None,
        rule=violation.get("code") or "syntax-error",
        message=violation["message"],
        severity="error",
    )
