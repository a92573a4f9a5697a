"""One offending item per line (`gofmt -l`, `cargo fmt --check -l`, `prettier --list-different`) → LintReport.

Each non-blank line is one error whose path is the line. Blank output is a clean result, not an empty
report: these tools print nothing when nothing is wrong.
"""

from __future__ import annotations

from voxguard_ci.core.models import LintIssue, LintReport

MESSAGE = "listed by the tool as not conforming"


def parse(text: str) -> LintReport:
    issues = [LintIssue(path=line.strip(), message=MESSAGE) for line in text.splitlines() if line.strip()]
    return LintReport(errors=len(issues), issues=issues)
