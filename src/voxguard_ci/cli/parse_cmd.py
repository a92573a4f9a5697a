"""`voxguard-ci parse REPORT [--tool FORMAT]`: any supported report → the normalized model.

JSON: `tool` (the format name), `kind` (tests, coverage, lint, findings or sbom), then the model's fields. A report that
is missing, a directory, not UTF-8 text, empty or malformed exits 2 with `voxguard-ci: REPORT: what was wrong`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from voxguard_ci.cli.output import add_format_option, emit
from voxguard_ci.core.parsers import FORMATS, parse_report, sniff
from voxguard_ci.errors import ReportError

_LISTED = 10  # failing cases or lint issues shown in the text summary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parse", help="parse a test, coverage, lint, security or SBOM report into the normalized model"
    )
    parser.add_argument("report", metavar="REPORT", help="the report file a tool wrote")
    parser.add_argument(
        "--tool",
        metavar="FORMAT",
        choices=sorted(FORMATS),
        help=f"the report's format (default: told from its content): {', '.join(sorted(FORMATS))}",
    )
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = read_report(Path(args.report))
    try:
        tool = args.tool or sniff(text, args.report)
    except ReportError as exc:
        raise ReportError(f"{args.report}: {exc}") from None
    kind, _ = FORMATS[tool]
    model = parse_report(tool, text, args.report)
    fields = {k: v for k, v in model.model_dump(mode="json").items() if k != "tool"}
    emit({"tool": tool, "kind": kind, **fields}, args.format, summary)
    return 0


def read_report(path: Path) -> str:
    """The report's text; a missing, unreadable or binary file is a ReportError naming it."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a directory, expected a report file") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ReportError(f"{path}: cannot read: {exc.strerror}") from None


def summary(data: dict[str, Any]) -> str:
    kinds = {"tests": _tests, "coverage": _coverage, "lint": _lint, "findings": _findings, "sbom": _sbom}
    return kinds[data["kind"]](data)


def _tests(data: dict[str, Any]) -> str:
    counts = ", ".join(f"{data[key]} {key}" for key in ("passed", "failed", "skipped", "errors"))
    lines = [f"{data['tool']}: {counts}"]
    bad = [case for case in data["cases"] if case["outcome"] in ("failed", "error")]
    for case in bad[:_LISTED]:
        name = f"{case['classname']}::{case['name']}" if case["classname"] else case["name"]
        lines.append(
            f"  {case['outcome'].upper()} {name}" + (f": {case['message']}" if case["message"] else "")
        )
    return "\n".join(lines + _more(len(bad)))


def _coverage(data: dict[str, Any]) -> str:
    files = len(data["files"])
    if data["percent"] is None:
        return f"{data['tool']}: no measurable lines in {files} files"
    return (
        f"{data['tool']}: {data['percent']}% of lines covered "
        f"({data['lines_covered']}/{data['lines_total']}) in {files} files"
    )


def _lint(data: dict[str, Any]) -> str:
    lines = [f"{data['tool']}: {data['errors']} errors, {data['warnings']} warnings"]
    for issue in data["issues"][:_LISTED]:
        where = issue["path"] + (f":{issue['line']}" if issue["line"] is not None else "")
        rule = f" [{issue['rule']}]" if issue["rule"] else ""
        lines.append(f"  {issue['severity']} {where}{rule} {issue['message']}")
    return "\n".join(lines + _more(len(data["issues"])))


def _findings(data: dict[str, Any]) -> str:
    order = ["critical", "high", "medium", "low", "info"]
    counts = {level: 0 for level in order}
    for finding in data["findings"]:
        counts[finding["severity"]] += 1
    lines = [f"{data['tool']}: {len(data['findings'])} findings ("
             + ", ".join(f"{n} {level}" for level, n in counts.items()) + ")"]
    ranked = sorted(data["findings"], key=lambda f: order.index(f["severity"]))
    for finding in ranked[:_LISTED]:
        where = finding["path"] or finding["package"] or ""
        if finding["line"]:
            where += f":{finding['line']}"
        lines.append(f"  {finding['severity']:8} {finding['rule_id']} {where} {finding['message'][:120]}")
    lines += _more(len(ranked))
    lines += [f"  COULD NOT SCAN {u['target']}: {u['reason']}" for u in data["unscanned"][:_LISTED]]
    return "\n".join(lines)


def _sbom(data: dict[str, Any]) -> str:
    unlicensed = sum(1 for c in data["components"] if not c["licenses"])
    return f"{data['tool']}: {len(data['components'])} components, {unlicensed} without a stated license"


def _more(count: int) -> list[str]:
    return [f"  ... and {count - _LISTED} more"] if count > _LISTED else []
