"""libtest text output (`cargo test`, `cargo tarpaulin`) → TestReport.

The output has one section per test binary (unit tests, each integration test file, doc tests), each opened
by `running N tests` and closed by a `test result:` line. The counts are the sums of the `test result:` lines
(`ignored` is reported as skipped; benchmarks' `measured` are not tests); the cases come from the
`test NAME ... ok|FAILED|ignored` lines, with a failed test's panic message from the `failures:` section.
Other lines (cargo's `Compiling`, tarpaulin's log, captured output) are skipped.

A test binary that crashed (abort, segfault, stack overflow) never prints its `test result:`; cargo then
prints `process didn't exit successfully`, and the section counts as one error case named after the binary.
A section that ends without either line means the output is truncated: that is a ReportError.
"""

from __future__ import annotations

import re

from voxguard_ci.core.models import TestCase, TestReport
from voxguard_ci.errors import ReportError

RUNNING = re.compile(r"^running (\d+) tests?$")
RESULT = re.compile(
    r"^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; "
    r"(\d+) filtered out"
)
_CASE = re.compile(r"^test (.+?) \.\.\. (ok|FAILED|ignored)\b")
_BINARY = re.compile(r"^\s*(?:Running (.+?) \(|Doc-tests (\S+))")
_CRASH = re.compile(r"process didn't exit successfully: .*?(\([^()]*\))?$")
_FAILURE_OUTPUT = re.compile(r"^---- (.+?) stdout ----$")
_OUTCOMES = {"ok": "passed", "FAILED": "failed", "ignored": "skipped"}


def parse(text: str) -> TestReport:
    lines = [line.rstrip("\r") for line in text.splitlines()]
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    cases: list[TestCase] = []
    binary, open_at, sections = "tests", None, 0
    for number, line in enumerate(lines, start=1):
        if match := _BINARY.match(line):
            binary = match[1] or f"doc-tests {match[2]}"
        elif RUNNING.match(line):
            _require_closed(open_at)
            open_at, sections = number, sections + 1
        elif match := RESULT.match(line):
            if open_at is None:
                raise ReportError(f"line {number}: 'test result:' without a 'running N tests' line before it")
            for key, group in (("passed", 1), ("failed", 2), ("skipped", 3)):
                counts[key] += int(match[group])
            open_at = None
        elif open_at is not None and (match := _CRASH.search(line)):
            how = match[1] or "crashed"
            cases.append(TestCase(name=binary, outcome="error", message=f"test binary crashed {how}"))
            counts["errors"], open_at = counts["errors"] + 1, None
        elif open_at is not None and (match := _CASE.match(line)):
            cases.append(TestCase(name=match[1], outcome=_OUTCOMES[match[2]]))
    _require_closed(open_at)
    if not sections:
        raise ReportError("no libtest output: expected 'running N tests' and 'test result:' lines")
    messages = _failure_messages(lines)
    cases = [c.model_copy(update={"message": messages.get(c.name, c.message)}) for c in cases]
    return TestReport(**counts, cases=cases)


def _require_closed(open_at: int | None) -> None:
    if open_at is not None:
        raise ReportError(
            f"the tests started at line {open_at} have no 'test result:' line: the output is truncated"
        )


def _failure_messages(lines: list[str]) -> dict[str, str]:
    """For each `---- NAME stdout ----` block, its most telling line: the panic message if there is one."""
    messages: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not (match := _FAILURE_OUTPUT.match(line)):
            continue
        block = []
        for following in lines[index + 1 :]:
            if _FAILURE_OUTPUT.match(following) or following == "failures:" or RESULT.match(following):
                break
            if following.strip():
                block.append(following.strip())
        panic = next((i for i, text in enumerate(block) if " panicked at " in text), None)
        if panic is not None and block[panic].endswith(":") and panic + 1 < len(block):
            messages[match[1]] = block[panic + 1][:300]  # rust >= 1.73 puts the message on the next line
        elif block:
            messages[match[1]] = block[panic or 0][:300]
    return messages
