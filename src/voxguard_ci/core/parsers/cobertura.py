"""Cobertura XML (coverage.py `coverage xml`, `cargo tarpaulin --out Xml`) → CoverageReport.

Each `<class filename=...>` lists its `<line number hits>` elements; a line with hits > 0 is covered. A file
may appear in several classes (tarpaulin and some JVM tools split one file into many), so lines are kept per
(file, line number) and a line counts once, covered if any of its entries was hit. The `filename` is kept as
written: relative to the report's `<source>` directories.
"""

from __future__ import annotations

from voxguard_ci.core.models import CoverageReport, FileCoverage
from voxguard_ci.core.parsers._text import load_xml
from voxguard_ci.errors import ReportError

ROOT = "coverage"


def parse(text: str) -> CoverageReport:
    root = load_xml(text)
    if root.tag != ROOT:
        raise ReportError(f"expected a Cobertura <coverage> root element, got <{root.tag}>")
    hits_by_file: dict[str, dict[int, bool]] = {}
    for cls in root.iter("class"):
        filename = cls.get("filename")
        if not filename:
            raise ReportError(f"a <class name={cls.get('name', '?')!r}> element has no filename attribute")
        lines = hits_by_file.setdefault(filename, {})
        for line in cls.findall("lines/line"):
            number, hits = _int(line, "number"), _int(line, "hits")
            lines[number] = lines.get(number, False) or hits > 0
    files = [
        FileCoverage(path=path, lines_covered=sum(lines.values()), lines_total=len(lines))
        for path, lines in hits_by_file.items()
    ]
    return CoverageReport.from_files(files)


def _int(line, attribute: str) -> int:
    value = line.get(attribute)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ReportError(f"a <line> element has {attribute}={value!r}, expected a whole number") from None
