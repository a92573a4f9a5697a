"""`npm audit --json` output (npm 7+, `auditReportVersion: 2`) → FindingsReport.

`vulnerabilities` maps each affected package to {`name`, `severity`, `via`, `effects`, `range`, `nodes`,
`fixAvailable`}. `via` holds advisories (objects: `source`, `title`, `url`, `severity`, `cwe`, `cvss`,
`range`) and names of vulnerable dependencies (strings). Each advisory object becomes one Finding on its
package; a package listed only because a dependency is vulnerable (`via: ["minimist"]`) adds no finding
of its own, since the advisory is already reported on that dependency. So npm's summary, which counts
packages ("3 vulnerabilities (1 high, 2 critical)"), counts differently from this list of advisories.

Severity is npm's: critical, high, moderate → medium, low, info. `rule_id` is the GHSA id from the
advisory's URL (npm's numeric `source` when there is none). npm does not say which version is installed,
so `version` is empty; `fixed_version` is the version `fixAvailable` names when the fix is an update of
the package itself.

When npm cannot audit it still prints JSON, with exit code 1: the registry's HTTP error (`statusCode`,
`message`: "405 Method Not Allowed - POST .../advisories/bulk" from a registry without the audit endpoint)
or `{"error": {"code", "summary", "detail"}}` (`ENOLOCK`: no lockfile). Both become `unscanned`, never a
clean report; so does a report that audited no dependencies. An npm 6 report (`advisories`, `actions`) has
the pnpm shape and is read as pnpm-audit-json reads it.
"""

from __future__ import annotations

import re
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.findings import severity as severity_of
from voxguard_ci.core.parsers._security import cwe_ids, field
from voxguard_ci.core.parsers._text import first_line, json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "npm-audit"
TARGET = "npm dependencies"
_GHSA = re.compile(r"GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}", re.IGNORECASE)


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict):
        raise ReportError(f"expected an npm audit JSON report (an object), got {json_type(data)}")
    failure = audit_error(data)
    if failure is not None:
        return FindingsReport(tool=TOOL, unscanned=[Unscanned(target=TARGET, reason=failure)])
    if "advisories" in data and "vulnerabilities" not in data:
        from voxguard_ci.core.parsers import pnpm_audit_json  # npm 6 wrote what pnpm still writes

        return pnpm_audit_json.read(data, TOOL)
    vulnerabilities = data.get("vulnerabilities")
    if not isinstance(vulnerabilities, dict):
        raise ReportError(
            "expected an npm audit JSON report (an object with a vulnerabilities object, or an error), got "
            + ("an object with keys " + ", ".join(sorted(data)[:6]) if data else "an empty object")
        )
    findings = [
        finding
        for name, entry in sorted(vulnerabilities.items())
        for finding in _findings(f"vulnerabilities[{name!r}]", name, entry)
    ]
    unscanned = []
    total = _dependency_total(data.get("metadata"))
    if total == 0 and not findings:
        unscanned.append(Unscanned(target=TARGET, reason="npm audit checked no dependencies"))
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def audit_error(data: dict[str, Any]) -> str | None:
    """Why npm (or pnpm) could not audit, when `data` is one of their error objects; else None."""
    error = data.get("error")
    if "statusCode" in data and ("message" in data or "uri" in data):
        return f"npm audit failed: {first_line(str(data.get('message') or data.get('statusCode')))}"
    if isinstance(error, dict) and ("code" in error or "summary" in error or "message" in error):
        code = str(error.get("code") or "").strip()
        text = first_line(str(error.get("summary") or error.get("message") or "")) or "no message"
        return f"audit failed: {code + ': ' if code else ''}{text}"
    return None


def _dependency_total(metadata: Any) -> int | None:
    if not isinstance(metadata, dict):
        return None
    dependencies = metadata.get("dependencies")
    if isinstance(dependencies, dict) and isinstance(dependencies.get("total"), int):
        return dependencies["total"]
    return None


def _findings(where: str, name: str, entry: Any) -> list[Finding]:
    via = field(entry, "via", list, where)
    fix = entry.get("fixAvailable")
    fixed = fix.get("version") if isinstance(fix, dict) and fix.get("name") == name else None
    findings = []
    for index, advisory in enumerate(via):
        if isinstance(advisory, str):
            continue  # vulnerable through a dependency, reported on that dependency
        if not isinstance(advisory, dict):
            raise ReportError(
                f"{where}.via[{index}]: expected an advisory object or a package name, "
                f"got {json_type(advisory)}"
            )
        url = str(advisory.get("url") or "")
        ghsa = _GHSA.search(url)
        rule_id = _ghsa_case(ghsa.group()) if ghsa else str(advisory.get("source", ""))
        if not rule_id:
            raise ReportError(f"{where}.via[{index}]: an advisory needs a url or a source id")
        findings.append(
            Finding(
                tool=TOOL,
                rule_id=rule_id,
                severity=severity_of(advisory.get("severity"), Severity.HIGH),
                message=str(advisory.get("title") or rule_id),
                package=str(advisory.get("name") or name),
                fixed_version=str(fixed) if fixed else None,
                cwe_ids=cwe_ids(advisory.get("cwe")),
            )
        )
    return findings


def _ghsa_case(rule_id: str) -> str:
    """GHSA ids are written `GHSA-` then lower-case groups."""
    return "GHSA" + rule_id[4:].lower() if rule_id.upper().startswith("GHSA-") else rule_id
