"""Report parsers: the text a tool wrote → one of the normalized models.

Each format is a module with a pure `parse(text) -> model` that raises ReportError saying what was wrong;
reading the file is the caller's job. `FORMATS` maps each format name (the config's `format` string and the
CLI's `--tool`) to its kind and parse function; `parse_report` adds the source's name to errors; `sniff`
tells the format from the content when nobody said which it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from voxguard_ci.core.findings import FindingsReport, SbomReport
from voxguard_ci.core.models import CoverageReport, LintReport, TestReport
from voxguard_ci.core.parsers import (
    cargo_test,
    cobertura,
    eslint_json,
    go_coverprofile,
    go_test_json,
    istanbul_summary,
    junit,
    lcov,
    lines,
    ruff_json,
)
from voxguard_ci.core.parsers.detect import sniff
from voxguard_ci.errors import ReportError

Kind = Literal["tests", "coverage", "lint", "findings", "sbom"]
Report = TestReport | CoverageReport | LintReport | FindingsReport | SbomReport

FORMATS: dict[str, tuple[Kind, Callable[[str], BaseModel]]] = {
    "junit": ("tests", junit.parse),
    "go-test-json": ("tests", go_test_json.parse),
    "cargo-test": ("tests", cargo_test.parse),
    "cobertura": ("coverage", cobertura.parse),
    "go-coverprofile": ("coverage", go_coverprofile.parse),
    "lcov": ("coverage", lcov.parse),
    "istanbul-summary": ("coverage", istanbul_summary.parse),
    "eslint-json": ("lint", eslint_json.parse),
    "ruff-json": ("lint", ruff_json.parse),
    "lines": ("lint", lines.parse),
}

from voxguard_ci.core.parsers.security_code import CODE_FORMATS
from voxguard_ci.core.parsers.security_deps import DEPENDENCY_FORMATS

FORMATS.update({name: ("findings", parse) for name, parse in CODE_FORMATS.items()})
FORMATS.update(DEPENDENCY_FORMATS)

# Tools that print nothing when nothing is wrong: for these, blank output is a clean result.
BLANK_IS_CLEAN = frozenset({"lines"})

__all__ = ["BLANK_IS_CLEAN", "FORMATS", "Kind", "Report", "parse_report", "sniff"]


def parse_report(format: str, text: str, source: str) -> Report:
    """Parse `text` as `format`; every ReportError's message starts with `source: `."""
    if format not in FORMATS:
        raise ReportError(
            f"{source}: unknown report format {format!r}; supported: {', '.join(sorted(FORMATS))}"
        )
    _, parse = FORMATS[format]
    if not text.strip() and format not in BLANK_IS_CLEAN:
        raise ReportError(f"{source}: empty report")
    try:
        return parse(text)
    except ReportError as exc:
        raise ReportError(f"{source}: {exc}") from None
    except RecursionError:
        raise ReportError(f"{source}: nested too deeply to be a {format} report") from None
