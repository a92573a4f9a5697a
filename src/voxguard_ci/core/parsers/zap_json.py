"""OWASP ZAP traditional JSON report (`-J report.json`, "traditional-json") → FindingsReport.

The report is an object with `site`: one entry per scanned site (`@name`, `alerts`); each alert has
`pluginid`, `alertRef`, `alert` (its name), `riskcode`, `confidence`, `cweid`, and `instances` (`uri`,
`method`, `param`). Every instance is one finding at its URI; an alert without instances is one finding at the
site. A report without any site is a scan that reached nothing: that is `unscanned`.

Severity: ZAP's riskcode 3 (High), 2 (Medium), 1 (Low), 0 (Informational) map to high, medium, low, info.
ZAP has no critical. An alert with confidence 0 is one a person marked "False Positive" and is not a finding.

The rule id is `alertRef` (the plugin id, with a `-N` suffix for plugins that raise several alerts), else
`pluginid`. `cweid` `0` or `-1` means none. `evidence`, `attack` and `otherinfo` are not read: they can hold
session tokens and cookies. The method and parameter go into the message, which the fingerprint then uses.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._security import cwe_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "zap"
RISKS = {"3": Severity.HIGH, "2": Severity.MEDIUM, "1": Severity.LOW, "0": Severity.INFO}
FALSE_POSITIVE = "0"


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or "site" not in data:
        raise ReportError(
            f"expected a ZAP traditional JSON report (an object with site), got {json_type(data)}"
        )
    sites = data["site"] if isinstance(data["site"], list) else [data["site"]]
    if not sites:
        return FindingsReport(
            tool=TOOL, unscanned=[Unscanned(target=TOOL, reason="the report lists no site")]
        )
    findings: list[Finding] = []
    for index, site in enumerate(sites):
        name = field(site, "@name", str, f"site[{index}]")
        alerts = site.get("alerts") or []
        if not isinstance(alerts, list):
            raise ReportError(f"site[{index}] ({name}): alerts should be an array, got {json_type(alerts)}")
        for number, alert in enumerate(alerts):
            findings.extend(_findings(f"site[{index}].alerts[{number}]", name, alert))
    return FindingsReport(tool=TOOL, findings=findings)


def _findings(where: str, site: str, alert: Any) -> list[Finding]:
    risk = str(field(alert, "riskcode", (str, int), where))
    if risk not in RISKS:
        raise ReportError(f"{where}: riskcode should be 0, 1, 2 or 3, got {risk!r}")
    if str(alert.get("confidence")) == FALSE_POSITIVE:
        return []
    name = alert.get("alert") or alert.get("name")
    if not isinstance(name, str) or not name:
        raise ReportError(f"{where}: missing the alert's name ('alert' or 'name')")
    rule_id = str(alert.get("alertRef") or field(alert, "pluginid", (str, int), where))
    cwe = str(alert.get("cweid", ""))
    instances = alert.get("instances") or [{}]
    if not isinstance(instances, list) or not all(isinstance(i, dict) for i in instances):
        raise ReportError(f"{where}: instances should be an array of objects")
    return [
        Finding(
            tool=TOOL,
            rule_id=rule_id,
            severity=RISKS[risk],
            message=_message(name, instance),
            path=instance["uri"] if isinstance(instance.get("uri"), str) and instance["uri"] else site,
            cwe_ids=cwe_ids(cwe) if cwe.isdigit() else [],
        )
        for instance in instances
    ]


def _message(name: str, instance: dict) -> str:
    detail = ", ".join(
        f"{label} {instance[key]}"
        for key, label in (("method", "method"), ("param", "parameter"))
        if isinstance(instance.get(key), str) and instance[key]
    )
    return f"{name} ({detail})" if detail else name
