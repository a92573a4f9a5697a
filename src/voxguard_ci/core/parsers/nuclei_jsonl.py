"""nuclei `-jsonl` output (one JSON object per line) → FindingsReport.

Each line is a result event: `template-id`, `info` (`name`, `severity`, `classification` with `cve-id`,
`cwe-id`, `cvss-score`), `host`, `matched-at`, `matcher-name`, `matcher-status`. A `-json-export` file (the
same events in one array) is read too.

With `-ms` (`-matcher-status`) nuclei also prints a line for every template that did not match
(`"matcher-status": false`): that target was checked and is clean, so it is no finding. A line with an
`error` is a template nuclei could not run against that target: `unscanned`. Without `-ms` nuclei prints
nothing at all on a clean scan and on one that reached nothing, and the two cannot be told apart: run it with
`-ms`, so that empty output (which is an error here, as for every report) never stands for a clean scan.

Severity: nuclei's critical/high/medium/low/info map one to one. `unknown` (a template that states none), or
a missing severity, takes the template's `cvss-score` when it has one, else medium.

CVE and CWE ids come from `classification` (nuclei lowercases them; they are upper-cased here). The
finding's path is `matched-at` (else `url`, else `host`); the rule is the template id, with the matcher's
name in the message.
`extracted-results`, `request`, `response` and `curl-command` are not read: they can carry credentials.
"""

from __future__ import annotations

import json
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned, cvss_severity
from voxguard_ci.core.parsers._security import cve_ids, cwe_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "nuclei"
SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
}


def parse(text: str) -> FindingsReport:
    findings: list[Finding] = []
    unscanned: list[Unscanned] = []
    for where, event in _events(text):
        template = field(event, "template-id", str, where)
        info = field(event, "info", dict, where)
        target = _first_text(event.get("matched-at"), event.get("url"), event.get("host")) or template
        if isinstance(event.get("error"), str) and event["error"]:
            unscanned.append(
                Unscanned(target=target, reason=f"{template}: {' '.join(event['error'].split())}")
            )
        elif event.get("matcher-status") is not False:
            findings.append(_finding(template, info, target, event.get("matcher-name")))
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def _events(text: str) -> list[tuple[str, Any]]:
    if text.lstrip().startswith("["):
        data = load_json(text)
        if not isinstance(data, list):
            raise ReportError(f"expected nuclei result events, got {json_type(data)}")
        return [(f"item {index}", event) for index, event in enumerate(data)]
    events = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ReportError(f"line {number}: not valid JSON at column {exc.colno}: {exc.msg}") from None
    if not events:
        raise ReportError("expected nuclei result events (one JSON object per line), got none")
    return events


def _finding(template: str, info: dict, target: str, matcher: Any) -> Finding:
    classification = info.get("classification") if isinstance(info.get("classification"), dict) else {}
    name = _first_text(info.get("name")) or template
    return Finding(
        tool=TOOL,
        rule_id=template,
        severity=_severity(info.get("severity"), classification.get("cvss-score")),
        message=f"{name} [{matcher}]" if isinstance(matcher, str) and matcher else name,
        path=target,
        cve_ids=cve_ids(classification.get("cve-id")),
        cwe_ids=cwe_ids(classification.get("cwe-id")),
    )


def _severity(word: Any, score: Any) -> Severity:
    if isinstance(word, str) and word.lower() in SEVERITIES:
        return SEVERITIES[word.lower()]
    by_score = (
        cvss_severity(score) if isinstance(score, int | float) and not isinstance(score, bool) else None
    )
    return by_score or Severity.MEDIUM


def _first_text(*values: Any) -> str | None:
    return next((v for v in values if isinstance(v, str) and v), None)
