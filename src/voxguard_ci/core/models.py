"""Result models shared by parsers, gates, the step runner and the CLI's JSON contract."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TestCase(_Model):
    __test__ = False  # a model, not a pytest test class
    name: str
    classname: str = ""
    outcome: str = Field(description="passed, failed, skipped or error")
    duration: float | None = None
    message: str = ""


class TestReport(_Model):
    """`tests` kind: what a test runner reported."""

    __test__ = False

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    cases: list[TestCase] = []

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped + self.errors

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.errors == 0


class FileCoverage(_Model):
    path: str
    lines_covered: int
    lines_total: int


class CoverageReport(_Model):
    """`coverage` kind. `percent` is None when nothing was measurable: never read that as 0 or 100."""

    lines_covered: int = 0
    lines_total: int = 0
    percent: float | None = None
    files: list[FileCoverage] = []

    @classmethod
    def from_files(cls, files: list[FileCoverage]) -> CoverageReport:
        covered = sum(f.lines_covered for f in files)
        total = sum(f.lines_total for f in files)
        percent = round(100.0 * covered / total, 2) if total else None
        return cls(lines_covered=covered, lines_total=total, percent=percent, files=files)


class LintIssue(_Model):
    path: str = ""
    line: int | None = None
    rule: str = ""
    message: str = ""
    severity: str = "error"


class LintReport(_Model):
    """`lint` kind: errors block the lint gate, warnings do not."""

    errors: int = 0
    warnings: int = 0
    issues: list[LintIssue] = []


class StepStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    NOT_FOUND = "not_found"


class CommandResult(_Model):
    argv: list[str]
    exit_code: int | None
    status: StepStatus
    duration: float
    log_tail: list[str] = []
    reason: str = ""


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_RUN = "not_run"
    OVERRIDDEN = "overridden"


class GateRecord(_Model):
    gate: str
    verdict: Verdict
    value: str | float | int | None = None
    threshold: str | float | int | None = None
    evidence: list[str] = []
    blocking: bool = True
