"""semgrep `--json` output → FindingsReport.

The report is an object with `results` (`check_id`, `path`, `start.line`, `extra.message`, `extra.severity`,
`extra.metadata`, `extra.lines`) and `errors`. Every error becomes `unscanned`: a file semgrep could not
parse (or parsed only in part: `PartialParsing`), a rule it could not load, a timeout.

Severity, as semgrep documents its scale: CRITICAL → critical; HIGH and the older ERROR → high; MEDIUM and
WARNING → medium; LOW and INFO → low; INVENTORY and EXPERIMENT → info. Any other word → medium.

CWE and CVE ids come from the rule's `metadata.cwe` / `metadata.cve` (`"CWE-78: Improper ..."`). The snippet
is `extra.lines`; semgrep OSS without a login prints `"requires login"` there, which is no snippet (the
fingerprint then uses the message). semgrep's own `extra.fingerprint` is not ours.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._security import cve_ids, cwe_ids, field, results_report

TOOL = "semgrep"
SEVERITIES = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "ERROR": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "WARNING": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "INFO": Severity.LOW,
    "INVENTORY": Severity.INFO,
    "EXPERIMENT": Severity.INFO,
}
NO_SNIPPET = frozenset({"", "requires login"})


def parse(text: str) -> FindingsReport:
    return results_report(text, TOOL, _finding, _unscanned)


def _finding(index: int, result: Any) -> Finding:
    where = f"results[{index}]"
    extra = field(result, "extra", dict, where)
    start = field(result, "start", dict, where)
    metadata = extra.get("metadata") if isinstance(extra.get("metadata"), dict) else {}
    lines = extra.get("lines")
    return Finding(
        tool=TOOL,
        rule_id=field(result, "check_id", str, where),
        severity=SEVERITIES.get(str(extra.get("severity")).upper(), Severity.MEDIUM),
        message=field(extra, "message", str, f"{where}.extra"),
        path=field(result, "path", str, where),
        line=field(start, "line", int, f"{where}.start"),
        cwe_ids=cwe_ids(metadata.get("cwe")),
        cve_ids=cve_ids(metadata.get("cve")),
        snippet=lines if isinstance(lines, str) and lines.strip() not in NO_SNIPPET else None,
    )


def _unscanned(index: int, error: Any) -> Unscanned:
    where = f"errors[{index}]"
    message = " ".join(str(field(error, "message", str, where)).split())
    kind = error.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    spans = error.get("spans") if isinstance(error.get("spans"), list) else []
    target = error.get("path") or next(
        (s.get("file") for s in spans if isinstance(s, dict) and s.get("file")), None
    )
    return Unscanned(
        target=str(target or "semgrep"),
        reason=f"{kind}: {message}" if isinstance(kind, str) and kind else message,
    )
