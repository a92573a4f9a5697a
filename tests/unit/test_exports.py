import json
from xml.etree import ElementTree as ET

from voxguard_ci.core import exports
from voxguard_ci.core.findings import Component, Finding
from voxguard_ci.core.models import GateRecord, Verdict


def finding(tool: str, rule: str, severity: str, **extra) -> Finding:
    return Finding(tool=tool, rule_id=rule, severity=severity, message=f"{rule} found", **extra)


def test_sarif_has_one_run_per_tool_with_rules_levels_and_our_fingerprints():
    findings = [
        finding("bandit", "B602", "high", path="svc/app.py", line=12, cwe_ids=["CWE-78"]),
        finding("bandit", "B105", "low", path="svc/app.py", line=3),
        finding("pip-audit", "PYSEC-2023-1", "critical", package="urllib3", version="1.26.0",
                fixed_version="1.26.18", path="requirements.txt"),
    ]
    sarif = json.loads(json.dumps(exports.to_sarif(findings)))
    assert sarif["version"] == "2.1.0"
    runs = {run["tool"]["driver"]["name"]: run for run in sarif["runs"]}
    assert set(runs) == {"bandit", "pip-audit"}
    bandit = runs["bandit"]
    assert {r["id"] for r in bandit["tool"]["driver"]["rules"]} == {"B602", "B105"}
    levels = {r["ruleId"]: r["level"] for r in bandit["results"]}
    assert levels == {"B602": "error", "B105": "note"}
    first = bandit["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "svc/app.py"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert first["partialFingerprints"]["voxguardFingerprint/v1"] == findings[0].fingerprint
    rule = next(r for r in bandit["tool"]["driver"]["rules"] if r["id"] == "B602")
    assert rule["properties"]["security-severity"] == "8.0" and "CWE-78" in rule["properties"]["tags"]
    dependency = runs["pip-audit"]["results"][0]
    assert dependency["properties"]["fixedVersion"] == "1.26.18"


def test_gates_junit_counts_failures_and_skips():
    records = [
        GateRecord(gate="build", verdict=Verdict.PASS, value="4/4", threshold="all"),
        GateRecord(gate="coverage", verdict=Verdict.FAIL, value=71.5, threshold=80, evidence=["web: 60%"]),
        GateRecord(gate="container_scan", verdict=Verdict.NOT_RUN, evidence=["no image"]),
        GateRecord(gate="performance_regression", verdict=Verdict.FAIL, blocking=False, value=7.0, threshold=5),
    ]
    suite = ET.fromstring(exports.gates_junit(records).split("?>", 1)[1])
    assert suite.get("tests") == "4" and suite.get("failures") == "1" and suite.get("skipped") == "1"
    cases = {c.get("name"): c for c in suite}
    assert cases["coverage"].find("failure") is not None
    assert "web: 60%" in cases["coverage"].find("failure").text
    assert cases["container_scan"].find("skipped").get("message") == "no image"
    assert cases["performance_regression"].find("failure") is None  # advisory: never a failure
    assert "verdict=fail" in cases["performance_regression"].find("system-out").text


def test_merged_cyclonedx_lists_each_component_once():
    components = [
        Component(name="serde", version="1.0.228", purl="pkg:cargo/serde@1.0.228", licenses=["MIT OR Apache-2.0"]),
        Component(name="serde", version="1.0.228", purl="pkg:cargo/serde@1.0.228", licenses=["MIT OR Apache-2.0"]),
        Component(name="phonenumbers", version="9.0.43", purl="pkg:pypi/phonenumbers@9.0.43", licenses=["Apache-2.0"]),
    ]
    bom = exports.merge_cyclonedx(components)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert [c["name"] for c in bom["components"]] == ["serde", "phonenumbers"]
    by_name = {c["name"]: c for c in bom["components"]}
    assert by_name["serde"]["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    assert by_name["phonenumbers"]["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert exports.merge_cyclonedx(list(reversed(components)))["serialNumber"] == bom["serialNumber"]
