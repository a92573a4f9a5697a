"""JUnit XML (pytest `--junitxml`, vitest `--reporter=junit`) → TestReport.

The root is `<testsuites>` or a single `<testsuite>`; suites may nest. Each `<testcase>` is one case whose
outcome comes from its children: `<error>` (pytest: an error in setup or teardown), else `<failure>`, else
`<skipped>`, else passed. Counts are made from the cases, not copied from the suites' attributes, so a file
whose attributes disagree with its cases is still read the way the cases say.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from voxguard_ci.core.models import TestCase, TestReport
from voxguard_ci.core.parsers._text import first_line, load_xml
from voxguard_ci.errors import ReportError

ROOTS = ("testsuites", "testsuite")
_OUTCOMES = (("error", "error"), ("failure", "failed"), ("skipped", "skipped"))


def parse(text: str) -> TestReport:
    root = load_xml(text)
    if root.tag not in ROOTS:
        raise ReportError(f"expected a JUnit <testsuites> or <testsuite> root element, got <{root.tag}>")
    cases = [_case(element) for element in root.iter("testcase")]
    return TestReport(
        passed=sum(c.outcome == "passed" for c in cases),
        failed=sum(c.outcome == "failed" for c in cases),
        skipped=sum(c.outcome == "skipped" for c in cases),
        errors=sum(c.outcome == "error" for c in cases),
        cases=cases,
    )


def _case(element: ET.Element) -> TestCase:
    name = element.get("name")
    if name is None:
        raise ReportError("a <testcase> element has no name attribute")
    outcome, message = "passed", ""
    for tag, candidate in _OUTCOMES:
        child = element.find(tag)
        if child is not None:
            outcome = candidate
            message = first_line(child.get("message")) or first_line(child.text)
            break
    return TestCase(
        name=name,
        classname=element.get("classname", ""),
        outcome=outcome,
        duration=_seconds(element.get("time")),
        message=message,
    )


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
