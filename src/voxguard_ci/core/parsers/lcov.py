"""LCOV tracefile (`lcov`, vitest/jest `--coverage.reporter=lcov`, `cargo llvm-cov --lcov`) → CoverageReport.

A record runs from `SF:path` to `end_of_record`. The `DA:line,hits[,checksum]` lines are trusted: a line is
covered if hits > 0, and a file that appears in several records (merged runs) has its lines merged. A file
without any DA line falls back to its `LF:` (lines found) and `LH:` (lines hit) summary. Other lines
(`TN:`, `FN:`, `BRDA:`, ...) are not about line coverage and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voxguard_ci.core.models import CoverageReport, FileCoverage
from voxguard_ci.errors import ReportError


@dataclass
class _File:
    lines: dict[int, bool] = field(default_factory=dict)
    found: int = 0
    hit: int = 0

    def coverage(self, path: str) -> FileCoverage:
        if self.lines:
            return FileCoverage(
                path=path, lines_covered=sum(self.lines.values()), lines_total=len(self.lines)
            )
        return FileCoverage(path=path, lines_covered=min(self.hit, self.found), lines_total=self.found)


def parse(text: str) -> CoverageReport:
    files: dict[str, _File] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        key, _, value = line.partition(":")
        if key == "SF":
            if current is not None:
                raise ReportError(
                    f"line {number}: SF:{value} starts before the record for {current} has ended"
                )
            current = value
            files.setdefault(current, _File())
        elif line == "end_of_record":
            if current is None:
                raise ReportError(f"line {number}: end_of_record without an SF: line before it")
            current = None
        elif key in ("DA", "LF", "LH"):
            if current is None:
                raise ReportError(f"line {number}: {key}: outside a record (no SF: line before it)")
            record = files[current]
            if key == "DA":
                line_number, hits = _numbers(value, 2, number, "DA:line,hits")
                record.lines[line_number] = record.lines.get(line_number, False) or hits > 0
            elif key == "LF":
                record.found = max(record.found, _numbers(value, 1, number, "LF:count")[0])
            else:
                record.hit = max(record.hit, _numbers(value, 1, number, "LH:count")[0])
    if current is not None:
        raise ReportError(f"the record for {current} has no end_of_record: the file is truncated")
    if not files:
        raise ReportError("no SF: records: expected an LCOV tracefile")
    return CoverageReport.from_files([record.coverage(path) for path, record in files.items()])


def _numbers(value: str, wanted: int, number: int, expected: str) -> list[int]:
    parts = value.split(",")
    try:
        if len(parts) < wanted:
            raise ValueError(value)
        return [int(part) for part in parts[:wanted]]
    except ValueError:
        raise ReportError(f"line {number}: expected {expected} with whole numbers, got {value!r}") from None
