"""Go cover profile (`go test -coverprofile=FILE`) → CoverageReport.

The profile is a `mode: set|count|atomic` line, then one line per block:
`import/path/file.go:startLine.startCol,endLine.endCol numStatements count`.

Go itself weighs coverage by statements (`go tool cover -func`); every other format here, and the pipeline's
gate, weighs it by lines. So this parser counts lines: every line from a block's start line to its end line
belongs to the file, and a line is covered if any block spanning it has count > 0. A line shared by a covered
and an uncovered block (`if x {` ends one block and starts the next) is covered. Profiles merged from several
test binaries repeat blocks and sometimes the mode line; both are accepted.
"""

from __future__ import annotations

import re

from voxguard_ci.core.models import CoverageReport, FileCoverage
from voxguard_ci.errors import ReportError

MODE = re.compile(r"^mode: (set|count|atomic)$")
_BLOCK = re.compile(r"^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$")


def parse(text: str) -> CoverageReport:
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    if not MODE.match(first):
        raise ReportError(f"expected a first line 'mode: set|count|atomic', got {first[:80]!r}")
    covered_by_file: dict[str, dict[int, bool]] = {}
    for number, line in enumerate(lines[1:], start=2):
        line = line.strip()
        if not line or MODE.match(line):
            continue
        match = _BLOCK.match(line)
        if not match:
            raise ReportError(
                f"line {number}: expected 'file:line.col,line.col statements count', got {line[:80]!r}"
            )
        path, start, end, count = match[1], int(match[2]), int(match[4]), int(match[7])
        if end < start:
            raise ReportError(f"line {number}: block ends at line {end}, before it starts at line {start}")
        covered = covered_by_file.setdefault(path, {})
        for line_number in range(start, end + 1):
            covered[line_number] = covered.get(line_number, False) or count > 0
    files = [
        FileCoverage(path=path, lines_covered=sum(covered.values()), lines_total=len(covered))
        for path, covered in covered_by_file.items()
    ]
    return CoverageReport.from_files(files)
