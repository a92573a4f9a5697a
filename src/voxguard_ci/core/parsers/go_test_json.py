"""`go test -json` event stream → TestReport.

Every event whose `Test` field is set belongs to one test (subtests such as `TestX/case` count as tests of
their own, as gotestsum and go-junit-report count them); its last `pass`, `fail` or `skip` action is its
outcome. A test that started but never finished (the test binary panicked or timed out) is an error. A
package that failed while none of its tests failed (a build failure, a failing `TestMain`, a panic outside a
test) adds one error case named after the package. Lines that are not JSON are skipped: go itself prints
some (`go: downloading ...`, build errors from older go versions) when stderr is captured with stdout.
"""

from __future__ import annotations

import json
from typing import Any

from voxguard_ci.core.models import TestCase, TestReport
from voxguard_ci.core.parsers._text import json_type
from voxguard_ci.errors import ReportError

_RESULTS = {"pass": "passed", "fail": "failed", "skip": "skipped"}


def parse(text: str) -> TestReport:
    tests: dict[tuple[str, str], dict[str, Any]] = {}
    package_results: dict[str, dict[str, Any]] = {}
    build_failed: set[str] = set()
    for event in _events(text):
        package, action = event.get("Package", ""), event["Action"]
        test = event.get("Test")
        if test:
            state = tests.setdefault((package, test), {"outcome": None, "elapsed": None, "output": []})
            if action in _RESULTS:
                state["outcome"], state["elapsed"] = _RESULTS[action], event.get("Elapsed")
            elif action == "output":
                state["output"].append(event.get("Output", ""))
        elif action in _RESULTS and package:
            package_results[package] = event
        elif action == "output" and "[build failed]" in event.get("Output", ""):
            build_failed.add(package)  # go < 1.24, or GODEBUG=gotestjsonbuildtext=1
    if not tests and not package_results:
        raise ReportError("no test events and no package result: expected the output of `go test -json`")
    cases = [_case(package, test, state) for (package, test), state in tests.items()]
    failed_packages = {p for (p, _), s in tests.items() if s["outcome"] in ("failed", None)}
    for package, result in package_results.items():
        if result["Action"] == "fail" and package not in failed_packages:
            build = result.get("FailedBuild") or package in build_failed
            why = "build failed" if build else "package failed outside any test"
            cases.append(TestCase(name=package, outcome="error", message=why))
    return TestReport(
        passed=sum(c.outcome == "passed" for c in cases),
        failed=sum(c.outcome == "failed" for c in cases),
        skipped=sum(c.outcome == "skipped" for c in cases),
        errors=sum(c.outcome == "error" for c in cases),
        cases=cases,
    )


def _events(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("{"):
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReportError(f"line {number} is not a complete JSON event: {exc.msg}") from None
        if not isinstance(event, dict) or not isinstance(event.get("Action"), str):
            got = json_type(event) if not isinstance(event, dict) else "an object without Action"
            raise ReportError(f"line {number}: expected a go test event object with an Action, got {got}")
        yield event


def _case(package: str, test: str, state: dict[str, Any]) -> TestCase:
    outcome = state["outcome"] or "error"
    message = ""
    if outcome == "error":
        message = "started but never finished (the test binary exited early)"
    elif outcome in ("failed", "skipped"):
        message = _reason(state["output"])
    return TestCase(name=test, classname=package, outcome=outcome, duration=state["elapsed"], message=message)


def _reason(output: list[str]) -> str:
    """The first line a failing or skipped test printed that is not go's own `=== RUN` / `--- FAIL` banner."""
    for line in output:
        stripped = line.strip()
        if stripped and not stripped.startswith(("=== ", "--- ")):
            return stripped[:300]
    return ""
