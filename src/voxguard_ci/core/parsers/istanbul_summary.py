"""Istanbul `coverage-summary.json` (the `json-summary` reporter of nyc, jest and vitest) → CoverageReport.

The object maps each file path to its metrics, plus a `"total"` key. Each file's `lines.total` and
`lines.covered` are used, and their sums must equal `total.lines`: a summary that disagrees with itself is
reported rather than guessed at.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.models import CoverageReport, FileCoverage
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOTAL = "total"


def parse(text: str) -> CoverageReport:
    data = load_json(text)
    if not isinstance(data, dict):
        raise ReportError(f"expected a JSON object of istanbul coverage summaries, got {json_type(data)}")
    if TOTAL not in data:
        raise ReportError('expected an istanbul coverage summary with a "total" key, found none')
    total_covered, total_lines = _lines(TOTAL, data[TOTAL])
    files = []
    for path, metrics in data.items():
        if path != TOTAL:
            covered, lines = _lines(path, metrics)
            files.append(FileCoverage(path=path, lines_covered=covered, lines_total=lines))
    report = CoverageReport.from_files(files)
    if (report.lines_covered, report.lines_total) != (total_covered, total_lines):
        raise ReportError(
            f"the files' lines add up to {report.lines_covered}/{report.lines_total} covered, "
            f'but "total" says {total_covered}/{total_lines}'
        )
    return report


def _lines(path: str, metrics: Any) -> tuple[int, int]:
    lines = metrics.get("lines") if isinstance(metrics, dict) else None
    covered = lines.get("covered") if isinstance(lines, dict) else None
    total = lines.get("total") if isinstance(lines, dict) else None
    if not (isinstance(covered, int) and isinstance(total, int)) or isinstance(covered, bool):
        raise ReportError(f'"{path}": expected {{"lines": {{"total": N, "covered": N, ...}}, ...}}')
    return covered, total
