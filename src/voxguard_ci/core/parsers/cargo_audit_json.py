"""`cargo audit --json` output → FindingsReport.

The report is one object: `database` (`advisory-count`), `lockfile` (`dependency-count`), `settings`,
`vulnerabilities` (`found`, `count`, `list` of {`advisory`, `versions.patched`, `package`}) and `warnings`
(kind → list of {`kind`, `package`, `advisory` or null}: `unmaintained`, `unsound`, `yanked`, `notice`).

Severity of a vulnerability: the base score of the advisory's CVSS v3 vector (cargo-audit prints the same
score, e.g. "Severity: 7.5 (high)"); an advisory without a CVSS vector (or with a v4 one) is an unrated
known vulnerability → high. Warnings are not vulnerabilities: `unsound` → medium (undefined behaviour
reachable from safe code), `unmaintained` and `yanked` → low, `notice` and other kinds → info.

`fixed_version` is the lowest version a patched range starts at above the installed one (`>=1.0.999` →
`1.0.999`); none when no version is patched.

When cargo-audit cannot fetch its advisory database it prints nothing on stdout (exit 1, the error on
stderr): that empty report is a ReportError. A report whose database had no advisories, or whose lockfile
had no dependencies, checked nothing: `unscanned`.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._deps import advisory_severity, lowest_fix
from voxguard_ci.core.parsers._security import cve_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "cargo-audit"
WARNING_SEVERITY = {"unsound": Severity.MEDIUM, "unmaintained": Severity.LOW, "yanked": Severity.LOW}


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("vulnerabilities"), dict):
        raise ReportError(
            f"expected a cargo-audit JSON report (an object with vulnerabilities.list), got {_shape(data)}"
        )
    vulnerabilities = field(data["vulnerabilities"], "list", list, "vulnerabilities")
    warnings = {} if data.get("warnings") is None else data["warnings"]
    if not isinstance(warnings, dict):
        raise ReportError(f"'warnings' should be an object of kind → list, got {json_type(warnings)}")
    findings = [_vulnerability(index, item) for index, item in enumerate(vulnerabilities)]
    for kind, listed in sorted(warnings.items()):
        if not isinstance(listed, list):
            raise ReportError(f"warnings[{kind!r}] should be an array, got {json_type(listed)}")
        findings.extend(
            _warning(f"warnings[{kind!r}][{index}]", kind, item) for index, item in enumerate(listed)
        )
    return FindingsReport(tool=TOOL, findings=findings, unscanned=_unscanned(data))


def _shape(data: Any) -> str:
    return "an object with keys " + ", ".join(sorted(data)[:6]) if isinstance(data, dict) else json_type(data)


def _vulnerability(index: int, item: Any) -> Finding:
    where = f"vulnerabilities.list[{index}]"
    advisory = field(item, "advisory", dict, where)
    package = field(item, "package", dict, where)
    version = str(package.get("version") or "") or None
    versions = item.get("versions") if isinstance(item.get("versions"), dict) else {}
    return Finding(
        tool=TOOL,
        rule_id=field(advisory, "id", str, f"{where}.advisory"),
        severity=advisory_severity([advisory.get("cvss")]),
        message=str(advisory.get("title") or advisory["id"]),
        package=field(package, "name", str, f"{where}.package"),
        version=version,
        fixed_version=lowest_fix(versions.get("patched") or [], version),
        cve_ids=cve_ids(advisory.get("aliases")),
    )


def _warning(where: str, kind: str, item: Any) -> Finding:
    package = field(item, "package", dict, where)
    advisory = item.get("advisory") if isinstance(item.get("advisory"), dict) else {}
    name = field(package, "name", str, f"{where}.package")
    version = str(package.get("version") or "") or None
    versions = item.get("versions") if isinstance(item.get("versions"), dict) else {}
    return Finding(
        tool=TOOL,
        rule_id=str(advisory.get("id") or kind),
        severity=WARNING_SEVERITY.get(str(item.get("kind") or kind), Severity.INFO),
        message=f"{kind}: {advisory.get('title') or f'{name} {version} is {kind}'}",
        package=name,
        version=version,
        fixed_version=lowest_fix(versions.get("patched") or [], version),
        cve_ids=cve_ids(advisory.get("aliases")),
    )


def _unscanned(data: dict[str, Any]) -> list[Unscanned]:
    database = data.get("database") if isinstance(data.get("database"), dict) else {}
    lockfile = data.get("lockfile") if isinstance(data.get("lockfile"), dict) else {}
    unscanned = []
    if database.get("advisory-count") == 0:
        unscanned.append(Unscanned(target="Cargo.lock", reason="the advisory database had no advisories"))
    if lockfile.get("dependency-count") == 0:
        unscanned.append(
            Unscanned(target="Cargo.lock", reason="the lockfile listed no dependencies to audit")
        )
    return unscanned
