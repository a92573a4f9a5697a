"""`pnpm audit --json` output (also npm 6's `npm audit --json`) → FindingsReport.

pnpm prints the registry's audit answer, with the advisories below `--audit-level` left out:
`advisories` maps an id to {`module_name`, `github_advisory_id`, `title`, `severity`, `vulnerable_versions`,
`patched_versions`, `cves`, `cwe`, `url`, `findings`: [{`version`, `paths`}]}, and `metadata` counts
`vulnerabilities` by severity and the dependencies audited (`totalDependencies`). Each advisory becomes one
Finding per installed version it was found at.

Severity is the advisory's: critical, high, moderate → medium, low, info. `rule_id` is the GHSA id (the
registry's numeric id when there is none); `fixed_version` is where `patched_versions` starts.

When the registry has no audit endpoint pnpm prints `{"error": {"code": "ERR_PNPM_AUDIT_BAD_RESPONSE",
"message": "The audit endpoint ... responded with 405 ..."}}` and exits 1: that is `unscanned`, never
clean; so is a report that audited no dependencies.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.findings import severity as severity_of
from voxguard_ci.core.parsers._deps import lowest_fix
from voxguard_ci.core.parsers._security import cve_ids, cwe_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.core.parsers.npm_audit_json import audit_error
from voxguard_ci.errors import ReportError

TOOL = "pnpm-audit"
TARGET = "pnpm dependencies"


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict):
        raise ReportError(f"expected a pnpm audit JSON report (an object), got {json_type(data)}")
    return read(data, TOOL)


def read(data: dict[str, Any], tool: str) -> FindingsReport:
    """The report in `data`, an already decoded pnpm (or npm 6) audit object, attributed to `tool`."""
    target = TARGET if tool == TOOL else "npm dependencies"
    failure = audit_error(data)
    if failure is not None:
        return FindingsReport(tool=tool, unscanned=[Unscanned(target=target, reason=failure)])
    if not isinstance(data.get("advisories"), dict):
        keys = ", ".join(sorted(data)[:6]) or "none"
        raise ReportError(
            f"expected a pnpm audit JSON report (an object with an advisories object, or an "
            f"error), got an object with keys {keys}"
        )
    findings = [
        finding
        for key, advisory in data["advisories"].items()
        for finding in _findings(f"advisories[{key!r}]", tool, key, advisory)
    ]
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    unscanned = []
    if metadata.get("totalDependencies") == 0 and not findings:
        unscanned.append(Unscanned(target=target, reason="the audit checked no dependencies"))
    return FindingsReport(tool=tool, findings=findings, unscanned=unscanned)


def _findings(where: str, tool: str, key: str, advisory: Any) -> list[Finding]:
    name = field(advisory, "module_name", str, where)
    rule_id = str(advisory.get("github_advisory_id") or advisory.get("id") or key)
    listed = advisory.get("findings") if isinstance(advisory.get("findings"), list) else []
    versions = [str(f["version"]) for f in listed if isinstance(f, dict) and f.get("version")] or [None]
    return [
        Finding(
            tool=tool,
            rule_id=rule_id,
            severity=severity_of(advisory.get("severity"), Severity.HIGH),
            message=str(advisory.get("title") or rule_id),
            package=name,
            version=version,
            fixed_version=lowest_fix([str(advisory.get("patched_versions") or "")], version),
            cve_ids=cve_ids(advisory.get("cves")),
            cwe_ids=cwe_ids(advisory.get("cwe")),
        )
        for version in dict.fromkeys(versions)
    ]
