"""SARIF 2.1.0 (any tool) → FindingsReport.

A log has `runs`; each run names its tool in `tool.driver.name`, which becomes the findings' `tool` (and the
report's, joined when runs differ). Each result is a finding: its rule (`ruleId`, looked up in the driver's or
an extension's `rules`, by `ruleIndex` first), `message.text` (or the rule's `messageStrings` for
`message.id`), the first location's `artifactLocation.uri` (or the run's `artifacts[index]`),
`region.startLine` and `region.snippet.text`. Results of kind `pass`/`notApplicable`, results with a
`suppressions` entry, and results whose `baselineState` is `absent` are not findings. `partialFingerprints`
and `fingerprints` belong to the tool and are not ours.

Severity, first that applies:
1. `properties.security-severity` of the result or its rule, a CVSS-like number → cvss_severity (9.0+
   critical, 7.0+ high, 4.0+ medium, above 0 low, 0 info); a word there ("HIGH") is read as a word.
2. the result's `level`, else the rule's `defaultConfiguration.level`, else SARIF's default `warning`:
   error → high, warning → medium, note → low, none → info.

CWE ids come from the rule's and result's `properties.tags` (`"CWE-78"`, `"external/cwe/cwe-078"`), from rule
`relationships` and result `taxa` into a taxonomy named CWE; CVE ids from the rule id and tags.

`unscanned`, as SARIF's appendix on incomplete results says: an invocation with `executionSuccessful: false`,
a tool execution or configuration notification of level `error` (warnings are not: semgrep, for one, files
a partly parsed file as a warning here although its JSON output lists it as an error), and a run whose
`results` is missing or null (the tool produced none). A log with no runs checked nothing.

Secrets: secret scanners (gitleaks, trufflehog, detect-secrets, ...) put the secret itself in
`region.snippet.text`, and SAST rules for hard-coded credentials (CWE-798, CWE-259, CWE-321: gosec G101,
bandit B105) quote it in their snippet and message. For those results the snippet is replaced by a redaction
of it, and so is every occurrence of it and every quoted string in the message.
"""

from __future__ import annotations

import re
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned, cvss_severity
from voxguard_ci.core.findings import severity as severity_of
from voxguard_ci.core.parsers._security import cve_ids, cwe_ids, field, redact, redaction
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW, "none": Severity.INFO}
NOT_FINDINGS = frozenset({"pass", "notApplicable"})
SECRET_SCANNERS = frozenset(
    {"gitleaks", "trufflehog", "detect-secrets", "ggshield", "noseyparker", "kingfisher"}
)
SECRET_CWES = frozenset({"CWE-798", "CWE-259", "CWE-321"})
_CWE_TAG = re.compile(r"\bcwe[-/_ ]?0*(\d+)\b", re.IGNORECASE)
_QUOTED = re.compile(r"'[^']+'|\"[^\"]+\"")


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or "runs" not in data:
        raise ReportError(f"expected a SARIF log (an object with runs), got {json_type(data)}")
    if data.get("version") != "2.1.0":
        raise ReportError(f"expected SARIF version 2.1.0, got {data.get('version')!r}")
    runs = field(data, "runs", list, "log")
    if not runs:
        return FindingsReport(
            tool="sarif", unscanned=[Unscanned(target="sarif", reason="the log has no runs")]
        )
    findings: list[Finding] = []
    unscanned: list[Unscanned] = []
    tools: list[str] = []
    for index, run in enumerate(runs):
        tool = _Run(f"runs[{index}]", run)
        tools.append(tool.name)
        findings.extend(tool.findings())
        unscanned.extend(tool.unscanned())
    return FindingsReport(tool=", ".join(dict.fromkeys(tools)), findings=findings, unscanned=unscanned)


class _Run:
    """One run: its tool, its rules by id and index, and its artifacts."""

    def __init__(self, where: str, run: Any) -> None:
        self.where = where
        tool = field(run, "tool", dict, where)
        driver = field(tool, "driver", dict, f"{where}.tool")
        self.name = field(driver, "name", str, f"{where}.tool.driver")
        self.run = run
        self.rules = _objects(driver.get("rules"))
        every_rule = self.rules + [
            r for e in _objects(tool.get("extensions")) for r in _objects(e.get("rules"))
        ]
        self.by_id = {r["id"]: r for r in every_rule if isinstance(r.get("id"), str)}
        self.secret_scanner = self.name.lower() in SECRET_SCANNERS

    def findings(self) -> list[Finding]:
        results = self.run.get("results")
        if not isinstance(results, list):
            return []
        findings = [self._finding(f"{self.where}.results[{i}]", result) for i, result in enumerate(results)]
        return [finding for finding in findings if finding is not None]

    def unscanned(self) -> list[Unscanned]:
        missed = []
        for invocation in _objects(self.run.get("invocations")):
            if invocation.get("executionSuccessful") is False:
                missed.append(Unscanned(target=self.name, reason=_failure(invocation)))
            for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
                missed.extend(
                    self._notification(n) for n in _objects(invocation.get(key)) if n.get("level") == "error"
                )
        if not isinstance(self.run.get("results"), list):
            missed.append(
                Unscanned(target=self.name, reason="the run has no results: the tool produced none")
            )
        return missed

    def _finding(self, where: str, result: Any) -> Finding | None:
        if not isinstance(result, dict):
            raise ReportError(f"{where}: expected a result object, got {json_type(result)}")
        if (
            _first_text(result.get("kind")) in NOT_FINDINGS
            or result.get("suppressions")
            or result.get("baselineState") == "absent"
        ):
            return None
        rule = self._rule(result)
        reference = result.get("rule") if isinstance(result.get("rule"), dict) else {}
        rule_id = _first_text(result.get("ruleId"), reference.get("id"), rule.get("id")) or "unknown"
        location = _first_location(result)
        region = location.get("region") if isinstance(location.get("region"), dict) else {}
        snippet = _text(region.get("snippet")) or None
        message = self._message(where, result, rule)
        tags = _tags(rule) + _tags(result)
        cwes = cwe_ids([f"CWE-{n}" for t in tags for n in _CWE_TAG.findall(t)] + _taxa(rule, result))
        if self.secret_scanner or SECRET_CWES.intersection(cwes):
            message, snippet = _redacted(message, snippet)
        return Finding(
            tool=self.name,
            rule_id=rule_id,
            severity=_severity(result, rule),
            message=message,
            path=self._path(location),
            line=region.get("startLine") if isinstance(region.get("startLine"), int) else None,
            cwe_ids=cwes,
            cve_ids=cve_ids([rule_id, *tags]),
            snippet=snippet,
        )

    def _rule(self, result: dict) -> dict:
        reference = result.get("rule") if isinstance(result.get("rule"), dict) else {}
        index = result.get("ruleIndex", reference.get("index"))
        if isinstance(index, int) and 0 <= index < len(self.rules) and "toolComponent" not in reference:
            return self.rules[index]
        return self.by_id.get(_first_text(result.get("ruleId"), reference.get("id")) or "", {})

    def _message(self, where: str, result: dict, rule: dict) -> str:
        message = result.get("message")
        if not isinstance(message, dict):
            raise ReportError(f"{where}: missing 'message'")
        if isinstance(message.get("text"), str):
            template = message["text"]
        else:
            strings = rule.get("messageStrings") if isinstance(rule.get("messageStrings"), dict) else {}
            template = _text(strings.get(_first_text(message.get("id")) or "")) or _text(
                rule.get("shortDescription")
            )
        arguments = message.get("arguments") if isinstance(message.get("arguments"), list) else []
        for number, argument in enumerate(arguments):
            template = template.replace(f"{{{number}}}", str(argument))
        return template or _first_text(rule.get("id")) or "finding"

    def _path(self, location: dict) -> str | None:
        artifact = (
            location.get("artifactLocation") if isinstance(location.get("artifactLocation"), dict) else {}
        )
        uri = artifact.get("uri")
        artifacts = self.run.get("artifacts") or []
        index = artifact.get("index")
        if not isinstance(uri, str) and isinstance(index, int) and 0 <= index < len(artifacts):
            uri = ((artifacts[index] or {}).get("location") or {}).get("uri")
        return uri.removeprefix("file://") if isinstance(uri, str) and uri else None

    def _notification(self, notification: dict) -> Unscanned:
        """An error notification: where (a file, else the notification's id, else the tool) and what."""
        reason = (
            " ".join(_text(notification.get("message")).split()) or "an error notification without a message"
        )
        for location in _objects(notification.get("locations")):
            physical = location.get("physicalLocation")
            if isinstance(physical, dict) and (path := self._path(physical)):
                return Unscanned(target=path, reason=reason)
        descriptor = notification.get("descriptor")
        target = descriptor.get("id") if isinstance(descriptor, dict) else None
        return Unscanned(target=str(target or self.name), reason=reason)


def _redacted(message: str, snippet: str | None) -> tuple[str, str | None]:
    """A result that may carry a secret: the snippet becomes a redaction of itself (whitespace collapsed, so
    that reformatting keeps it), and the message loses the snippet and any quoted string."""
    message = redact(message, snippet) or message if snippet else message
    message = _QUOTED.sub(lambda quoted: redaction(quoted.group(0)[1:-1]), message)
    return message, redaction(" ".join(snippet.split())) if snippet else None


def _first_location(result: dict) -> dict:
    locations = result.get("locations") or []
    first = (
        locations[0] if isinstance(locations, list) and locations and isinstance(locations[0], dict) else {}
    )
    physical = first.get("physicalLocation")
    return physical if isinstance(physical, dict) else {}


def _severity(result: dict, rule: dict) -> Severity:
    for holder in (result, rule):
        score = _properties(holder).get("security-severity")
        if isinstance(score, int | float) and not isinstance(score, bool):
            return cvss_severity(float(score)) or Severity.MEDIUM
        if isinstance(score, str) and score.strip():
            try:
                return cvss_severity(float(score)) or Severity.MEDIUM
            except ValueError:
                return severity_of(score)
    default = rule.get("defaultConfiguration") if isinstance(rule.get("defaultConfiguration"), dict) else {}
    level = result.get("level") or default.get("level") or "warning"
    return LEVELS.get(str(level), Severity.MEDIUM)


def _failure(invocation: dict) -> str:
    reason = "the tool did not run successfully"
    if isinstance(invocation.get("exitCode"), int):
        reason += f" (exit code {invocation['exitCode']})"
    detail = invocation.get("exitCodeDescription") or invocation.get("exitSignalName")
    return f"{reason}: {detail}" if isinstance(detail, str) and detail else reason


def _properties(holder: dict) -> dict:
    properties = holder.get("properties")
    return properties if isinstance(properties, dict) else {}


def _tags(holder: dict) -> list[str]:
    tags = _properties(holder).get("tags")
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _objects(value: Any) -> list[dict]:
    """The objects in a SARIF array property; a missing array is empty."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _taxa(rule: dict, result: dict) -> list[str]:
    """CWE ids from rule relationships and result taxa that point into a taxonomy named CWE."""
    references = [r.get("target") for r in _objects(rule.get("relationships"))] + _objects(result.get("taxa"))
    return [
        f"CWE-{reference['id']}"
        for reference in references
        if isinstance(reference, dict)
        and reference.get("id") is not None
        and isinstance(reference.get("toolComponent"), dict)
        and str(reference["toolComponent"].get("name", "")).upper() == "CWE"
    ]


def _first_text(*values: Any) -> str | None:
    return next((value for value in values if isinstance(value, str) and value), None)


def _text(holder: Any) -> str:
    """The `text` of a SARIF message or multiformatMessageString; empty when there is none."""
    return holder["text"] if isinstance(holder, dict) and isinstance(holder.get("text"), str) else ""
