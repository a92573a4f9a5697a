"""`pip-audit -f json` output → FindingsReport.

The report is `{"dependencies": [...], "fixes": [...]}`. An audited dependency has `name`, `version` and
`vulns` (each `id`, `fix_versions`, `aliases`, `description`); one pip-audit could not audit has `name` and
`skip_reason` instead, and becomes `unscanned` with that reason. pip-audit exits 0 and prints "No known
vulnerabilities found" even when it skipped every dependency (its default PyPI service answers "Dependency
not found on PyPI" for each package when the JSON API is out of reach): here that report is all
`unscanned`, never clean. A report that lists no dependencies at all audited nothing and is `unscanned` too.

Severity: pip-audit reports no severity (neither service's JSON carries one through), so every
vulnerability is an unrated known vulnerability → high. `fixed_version` is the lowest of `fix_versions`
above the installed version.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Unscanned
from voxguard_ci.core.parsers._deps import advisory_severity, lowest_fix
from voxguard_ci.core.parsers._security import cve_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "pip-audit"


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        raise ReportError(
            f"expected a pip-audit JSON report (an object with a dependencies array), got {_shape(data)}"
        )
    findings: list[Finding] = []
    unscanned: list[Unscanned] = []
    for index, dependency in enumerate(data["dependencies"]):
        where = f"dependencies[{index}]"
        name = field(dependency, "name", str, where)
        if "skip_reason" in dependency:
            version = f" {dependency['version']}" if dependency.get("version") else ""
            unscanned.append(Unscanned(target=f"{name}{version}", reason=str(dependency["skip_reason"])))
            continue
        version = field(dependency, "version", str, where)
        vulns = field(dependency, "vulns", list, where)
        findings.extend(_finding(f"{where}.vulns[{i}]", name, version, vuln) for i, vuln in enumerate(vulns))
    if not data["dependencies"]:
        unscanned.append(
            Unscanned(
                target="python dependencies", reason="pip-audit listed no dependencies: nothing was audited"
            )
        )
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def _shape(data: Any) -> str:
    return "an object with keys " + ", ".join(sorted(data)[:6]) if isinstance(data, dict) else json_type(data)


def _finding(where: str, name: str, version: str, vuln: Any) -> Finding:
    rule_id = field(vuln, "id", str, where)
    aliases = vuln.get("aliases") if isinstance(vuln.get("aliases"), list) else []
    fixes = vuln.get("fix_versions") if isinstance(vuln.get("fix_versions"), list) else []
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=advisory_severity(),
        message=" ".join(str(vuln.get("description") or rule_id).split())[:500],
        package=name,
        version=version,
        fixed_version=lowest_fix(fixes, version),
        cve_ids=cve_ids([rule_id, *aliases]),
    )
