"""bandit `-f json` output → FindingsReport.

The report is an object with `results` (one per issue: `test_id`, `issue_severity`, `issue_text`,
`filename`, `line_number`, `line_range`, `code`, `issue_cwe`) and `errors` (files bandit could not scan,
e.g. a syntax error: these become `unscanned`).

Severity: bandit's HIGH, MEDIUM, LOW map to high, medium, low; bandit has no critical. UNDEFINED (or any other
word) maps to medium, our default when a tool does not say. `issue_confidence` does not change the severity.

`code` is an excerpt with line numbers and one context line either side; the snippet keeps only the lines in
`line_range`, so that moving the code does not change it. The hard-coded password checks (B105, B106, B107)
quote the password in their message and code: it is replaced by a redaction in both.
"""

from __future__ import annotations

import re
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._security import cwe_ids, field, flagged_lines, redact, results_report

TOOL = "bandit"
SEVERITIES = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
PASSWORD_CHECKS = frozenset({"B105", "B106", "B107"})
_QUOTED_PASSWORD = re.compile(r"Possible hardcoded password: '(.*)'$", re.DOTALL)


def parse(text: str) -> FindingsReport:
    return results_report(text, TOOL, _finding, _unscanned)


def _finding(index: int, result: Any) -> Finding:
    where = f"results[{index}]"
    test_id = field(result, "test_id", str, where)
    message = field(result, "issue_text", str, where)
    line = field(result, "line_number", int, where)
    listed = result.get("line_range")
    line_range = [n for n in listed if isinstance(n, int)] if isinstance(listed, list) else []
    line_range = line_range or [line]
    snippet = flagged_lines(result.get("code"), min(line_range), max(line_range))
    if test_id in PASSWORD_CHECKS and (quoted := _QUOTED_PASSWORD.search(message)):
        message, snippet = redact(message, quoted.group(1)), redact(snippet, quoted.group(1))
    cwe = result.get("issue_cwe")
    return Finding(
        tool=TOOL,
        rule_id=test_id,
        severity=SEVERITIES.get(str(result.get("issue_severity")).upper(), Severity.MEDIUM),
        message=message,
        path=field(result, "filename", str, where),
        line=line,
        cwe_ids=cwe_ids(cwe.get("id") if isinstance(cwe, dict) else None),
        snippet=snippet,
    )


def _unscanned(index: int, error: Any) -> Unscanned:
    where = f"errors[{index}]"
    return Unscanned(target=field(error, "filename", str, where), reason=field(error, "reason", str, where))
