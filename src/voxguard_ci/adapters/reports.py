"""Reading a report a step left in the repository and parsing it into the normalized model."""

from __future__ import annotations

from pathlib import Path

from voxguard_ci.core.parsers import Report, parse_report
from voxguard_ci.errors import ReportError


def load_report(repo: Path, format_name: str, rel: str) -> Report:
    """The report at `repo/rel`; a missing one is a ReportError naming it, never an empty result."""
    path = repo / rel
    if not path.is_file():
        raise ReportError(f"{rel}: report missing (the step did not write it)")
    return parse_report(format_name, path.read_text(encoding="utf-8", errors="replace"), rel)
