"""What a run leaves for other tools: merged SARIF 2.1.0, a JUnit XML of the gates, a merged CycloneDX SBOM."""

from __future__ import annotations

import uuid
from typing import Any
from xml.etree import ElementTree as ET

from voxguard_ci import __version__
from voxguard_ci.core.findings import Component, Finding, Severity
from voxguard_ci.core.models import GateRecord, Verdict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
# GitHub code scanning reads `security-severity` (a CVSS-like number) to rank security results.
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                      Severity.LOW: "2.0", Severity.INFO: "0.0"}


def _result(finding: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message or finding.rule_id},
        "partialFingerprints": {"voxguardFingerprint/v1": finding.fingerprint},
        "properties": {"severity": finding.severity.value},
    }
    if finding.package:
        result["properties"].update({"package": finding.package, "version": finding.version,
                                     "fixedVersion": finding.fixed_version})
    if finding.path:
        region = {"startLine": finding.line} if finding.line else {}
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.path}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def _rule(finding: Finding) -> dict[str, Any]:
    tags = ["security", *finding.cwe_ids, *finding.cve_ids]
    return {"id": finding.rule_id, "shortDescription": {"text": finding.rule_id},
            "defaultConfiguration": {"level": _LEVEL[finding.severity]},
            "properties": {"security-severity": _SECURITY_SEVERITY[finding.severity], "tags": tags}}


def to_sarif(findings: list[Finding]) -> dict[str, Any]:
    """One SARIF run per tool, fit for GitHub code scanning upload."""
    runs = []
    for tool in sorted({f.tool for f in findings}):
        own = [f for f in findings if f.tool == tool]
        rules: dict[str, dict[str, Any]] = {}
        for finding in own:
            rule = rules.setdefault(finding.rule_id, _rule(finding))
            if float(_SECURITY_SEVERITY[finding.severity]) > float(rule["properties"]["security-severity"]):
                rules[finding.rule_id] = _rule(finding)
        runs.append({
            "tool": {"driver": {"name": tool, "informationUri": "https://github.com/voxguard/voxguard-ci",
                                "rules": list(rules.values())}},
            "automationDetails": {"id": f"voxguard-ci/{tool}/"},
            "results": [_result(f) for f in own],
        })
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": runs}


def gates_junit(records: list[GateRecord]) -> str:
    """Each gate a test case: a blocking fail → <failure>, not_run → <skipped>; advisory fails and overrides
    pass, with the verdict in system-out."""
    failures = sum(1 for r in records if r.verdict == Verdict.FAIL and r.blocking)
    skipped = sum(1 for r in records if r.verdict == Verdict.NOT_RUN)
    suite = ET.Element("testsuite", name="quality-gates", tests=str(len(records)), failures=str(failures),
                       errors="0", skipped=str(skipped))
    for record in records:
        case = ET.SubElement(suite, "testcase", classname="voxguard-ci.gates", name=record.gate)
        detail = f"value={record.value} threshold={record.threshold}\n" + "\n".join(record.evidence)
        if record.verdict == Verdict.FAIL and record.blocking:
            ET.SubElement(case, "failure", message=f"{record.gate}: value {record.value}, "
                                                   f"threshold {record.threshold}").text = detail
        elif record.verdict == Verdict.NOT_RUN:
            ET.SubElement(case, "skipped", message=(record.evidence or [record.verdict.value])[0])
        ET.SubElement(case, "system-out").text = f"verdict={record.verdict.value}\n{detail}"
    return ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True) + "\n"


def _licenses(component: Component) -> list[dict[str, Any]]:
    if len(component.licenses) == 1:
        only = component.licenses[0]
        return [{"expression": only}] if " " in only else [{"license": {"id": only}}]
    if component.licenses:
        return [{"expression": " AND ".join(f"({e})" if " " in e else e for e in component.licenses)}]
    return []


def merge_cyclonedx(components: list[Component]) -> dict[str, Any]:
    """A CycloneDX 1.6 BOM with each component once (by purl, else name@version)."""
    unique: dict[str, Component] = {}
    for component in components:
        unique.setdefault(component.purl or f"{component.name}@{component.version}", component)
    items = []
    for key in sorted(unique):
        c = unique[key]
        item: dict[str, Any] = {"type": "library", "bom-ref": key, "name": c.name}
        if c.version:
            item["version"] = c.version
        if c.purl:
            item["purl"] = c.purl
        if c.scope:
            item["scope"] = c.scope
        licenses = _licenses(c)
        if licenses:
            item["licenses"] = licenses
        items.append(item)
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "voxguard-ci:" + "|".join(sorted(unique)))
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": f"urn:uuid:{serial}", "version": 1,
        "metadata": {"tools": {"components": [{"type": "application", "name": "voxguard-ci",
                                               "version": __version__}]}},
        "components": items,
    }
