"""checkov `-o json` output → FindingsReport.

checkov prints one report object per framework (`check_type`, `results`, `summary`), an array of them when
it ran several frameworks, and one JSON document after another when given several `-d` directories; all
three are read. When it found nothing to check it prints only a summary (`passed`, `failed`,
`resource_count`, ...): with `resource_count` 0 that is a scan that checked nothing, so it is `unscanned`.

`results.failed_checks` become findings; `results.parsing_errors` (files checkov could not parse) become
`unscanned`. With `--quiet` checkov drops that list but still counts the files in `summary.parsing_errors`:
those are `unscanned` too, under the framework's name.

Severity: checkov's CRITICAL/HIGH/MEDIUM/LOW/INFO map one to one. Without a Prisma Cloud API key checkov
gives every check `"severity": null`; null (or any other word) maps to medium.

Path: `file_path` is relative to the scanned directory with a leading `/` (`/k8s/pod.yaml`); the `/` is
dropped. The snippet is the resource's `code_block`. Checks of dependencies (`vulnerability_details`)
also give the CVE, package, version and fixed version.
"""

from __future__ import annotations

import json
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.findings import severity as severity_of
from voxguard_ci.core.parsers._security import cve_ids, field
from voxguard_ci.core.parsers._text import json_type
from voxguard_ci.errors import ReportError

TOOL = "checkov"
SUMMARY_KEYS = frozenset({"passed", "failed", "resource_count"})


def parse(text: str) -> FindingsReport:
    findings: list[Finding] = []
    unscanned: list[Unscanned] = []
    for index, report in enumerate(_reports(text)):
        where = f"report {index}"
        if not isinstance(report, dict):
            raise ReportError(f"{where}: expected a checkov report object, got {json_type(report)}")
        if "check_type" in report:
            _read(report, where, findings, unscanned)
        elif SUMMARY_KEYS <= report.keys():
            if report["resource_count"] == 0:
                unscanned.append(Unscanned(target=TOOL, reason="checkov found no resources to check"))
        else:
            raise ReportError(f"{where}: expected a checkov report with check_type and results, or a summary")
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def _reports(text: str) -> list[Any]:
    """Every JSON document in `text` (checkov prints one per `-d`), arrays of reports flattened."""
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = _skip_space(text, 0)
    while position < len(text):
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ReportError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        documents.extend(document if isinstance(document, list) else [document])
        position = _skip_space(text, position)
    if not documents:
        raise ReportError("expected a checkov JSON report, got no document")
    return documents


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _read(report: dict, where: str, findings: list[Finding], unscanned: list[Unscanned]) -> None:
    framework = field(report, "check_type", str, where)
    results = field(report, "results", dict, where)
    failed = results.get("failed_checks", [])
    errors = results.get("parsing_errors", [])
    if not isinstance(failed, list) or not isinstance(errors, list):
        raise ReportError(f"{where} ({framework}): failed_checks and parsing_errors should be arrays")
    findings.extend(
        _finding(f"{where} ({framework}) failed_checks[{i}]", check) for i, check in enumerate(failed)
    )
    reason = f"checkov could not parse this file ({framework})"
    unscanned.extend(Unscanned(target=str(path), reason=reason) for path in errors)
    summary = report.get("summary")
    counted = summary.get("parsing_errors") if isinstance(summary, dict) else None
    if isinstance(counted, int) and counted > len(errors):
        unscanned.append(
            Unscanned(
                target=framework,
                reason=f"checkov could not parse {counted - len(errors)} file(s); the report "
                "does not name them (written with --quiet)",
            )
        )


def _finding(where: str, check: Any) -> Finding:
    name = field(check, "check_name", str, where)
    resource = _text(check.get("resource"))
    lines = check.get("file_line_range")
    code = check.get("code_block")
    vulnerability = check.get("vulnerability_details")
    vulnerability = vulnerability if isinstance(vulnerability, dict) else {}
    return Finding(
        tool=TOOL,
        rule_id=field(check, "check_id", str, where),
        severity=severity_of(check.get("severity"), Severity.MEDIUM),
        message=f"{name} ({resource})" if resource else name,
        path=_path(field(check, "file_path", str, where), check.get("file_abs_path")),
        line=lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], int) else None,
        package=_text(vulnerability.get("package_name")),
        version=_text(vulnerability.get("package_version")),
        fixed_version=_fixed(vulnerability.get("lowest_fixed_version")),
        cve_ids=cve_ids(vulnerability.get("id")),
        snippet="".join(str(part[1]) for part in code if isinstance(part, list) and len(part) == 2)
        if isinstance(code, list) and code
        else None,
    )


def _path(path: str, absolute: Any) -> str:
    """checkov's path relative to the scanned directory, without its leading `/`; absolute paths stay."""
    return path if path == absolute else path.removeprefix("/")


def _fixed(version: Any) -> str | None:
    """checkov's lowest fixed version; `N/A` means there is none."""
    return None if version == "N/A" else _text(version)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
