"""ESLint `-f json` output → LintReport.

The output is an array with one object per file (`filePath`, `messages`, counts). Each message with
severity 2 is an error and severity 1 a warning, as ESLint counts them; a message with `fatal: true` (a file
ESLint could not parse) has no `ruleId` and is an error.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.models import LintIssue, LintReport
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

SEVERITIES = {2: "error", 1: "warning"}


def parse(text: str) -> LintReport:
    data = load_json(text)
    if not isinstance(data, list):
        raise ReportError(f"expected a JSON array of eslint file results, got {json_type(data)}")
    issues = []
    for index, result in enumerate(data):
        if not isinstance(result, dict) or not isinstance(result.get("messages"), list):
            raise ReportError(f"item {index}: expected an eslint file result with filePath and messages")
        path = str(result.get("filePath", ""))
        issues.extend(_issue(path, message) for message in result["messages"])
    return LintReport(
        errors=sum(issue.severity == "error" for issue in issues),
        warnings=sum(issue.severity == "warning" for issue in issues),
        issues=issues,
    )


def _issue(path: str, message: Any) -> LintIssue:
    severity = SEVERITIES.get(message.get("severity")) if isinstance(message, dict) else None
    if severity is None:
        raise ReportError(f"{path}: expected messages with severity 1 or 2, got {message!r:.100}")
    return LintIssue(
        path=path,
        line=message.get("line"),
        rule=message.get("ruleId") or "",
        message=message.get("message", ""),
        severity=severity,
    )
