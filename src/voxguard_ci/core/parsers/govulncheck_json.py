"""`govulncheck -json` output → FindingsReport.

The output is a stream of JSON objects, one after another (pretty-printed, not one per line), each with one
key: `config` (first: scanner, `db`, `db_last_modified`, `scan_level`), `SBOM` (modules and root packages),
`progress`, `osv` (a database entry for a module in the build, affected or not) and `finding` (an OSV id,
`fixed_version` and a `trace` of frames, vulnerable symbol first). govulncheck emits several findings per
vulnerability as it goes deeper: one at module level (the frame has only `module`), one at package level
(`package`), then one per call path (`function`, and the caller's frame with a `position`). Each vulnerability
becomes one Finding at the deepest level reached.

Severity. The Go vulnerability database rates nothing, so reachability decides, as govulncheck's own
text output does ("Your code is affected by ..." lists only called ones):

- called (a trace reaches a vulnerable function) → high;
- imported but not called, from a symbol-level scan → medium;
- required but not imported, from a package- or symbol-level scan → low;
- a level the scan did not analyse (`-scan module` or `-scan package` cannot rule out a call) → high.

A scan that did not read the database checked nothing: when govulncheck cannot reach its database it
prints `config`, `SBOM` and "Fetching vulnerabilities from the database..." on stdout, the error on stderr,
and stops. A stream with no evidence of a database read (no `db_last_modified` in `config`, no "Checking
... against the vulnerabilities" progress, no `osv` or `finding`) is reported as `unscanned`, never clean;
so is a stream without `config`.

Path and line: for a called vulnerability, where the user's code calls into the vulnerable module (the
second frame's position, relative to the scanned module's root), taken from the first trace in sort order
so that the same code gives the same finding. Version strings are Go's (`v1.25.0`).
"""

from __future__ import annotations

import json
from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned
from voxguard_ci.core.parsers._security import cve_ids, field
from voxguard_ci.core.parsers._text import json_type
from voxguard_ci.errors import ReportError

TOOL = "govulncheck"
MESSAGES = frozenset({"config", "progress", "SBOM", "osv", "finding"})
CHECKING = "against the vulnerabilities"  # "Checking the code/binary against the vulnerabilities..."
LEVELS = {"module": 0, "package": 1, "symbol": 2}


def parse(text: str) -> FindingsReport:
    messages = _stream(text)
    config: dict[str, Any] | None = None
    progress: list[str] = []
    sbom: dict[str, Any] = {}
    entries: dict[str, dict[str, Any]] = {}
    traces: dict[str, list[list[dict[str, Any]]]] = {}
    fixes: dict[str, str] = {}
    for index, message in enumerate(messages):
        where = f"message {index + 1}"
        if not isinstance(message, dict) or not message.keys() & MESSAGES:
            raise ReportError(
                f"{where}: expected a govulncheck message (config, progress, SBOM, osv or finding), "
                f"got {_describe(message)}"
            )
        if "config" in message:
            config = field(message, "config", dict, where)
        elif "progress" in message:
            progress.append(str(field(message, "progress", dict, where).get("message", "")))
        elif "SBOM" in message:
            sbom = field(message, "SBOM", dict, where)
        elif "osv" in message:
            entry = field(message, "osv", dict, where)
            entries[field(entry, "id", str, f"{where} osv")] = entry
        else:
            finding = field(message, "finding", dict, where)
            trace = field(finding, "trace", list, f"{where} finding")
            if not trace or not all(isinstance(frame, dict) and "module" in frame for frame in trace):
                raise ReportError(
                    f"{where} finding: 'trace' should be a non-empty array of frames with a module"
                )
            osv = field(finding, "osv", str, f"{where} finding")
            traces.setdefault(osv, []).append(trace)
            if isinstance(finding.get("fixed_version"), str) and finding["fixed_version"]:
                fixes.setdefault(osv, finding["fixed_version"])
    unscanned = _unscanned(config, progress, sbom, bool(entries or traces))
    level = LEVELS.get(str((config or {}).get("scan_level", "")), 0)
    findings = [
        _finding(osv, found, entries.get(osv, {}), fixes.get(osv), level)
        for osv, found in sorted(traces.items())
    ]
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def _stream(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    messages: list[Any] = []
    position = _skip_space(text, 0)
    while position < len(text):
        try:
            message, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ReportError(
                f"not a valid govulncheck JSON stream at line {exc.lineno}, column {exc.colno} "
                f"(after {len(messages)} complete messages): {exc.msg}"
            ) from None
        messages.append(message)
        position = _skip_space(text, position)
    if not messages:
        raise ReportError("empty govulncheck stream")
    return messages


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object with keys " + ", ".join(sorted(value)[:5]) if value else "an empty object"
    return json_type(value)


def _unscanned(config: dict | None, progress: list[str], sbom: dict, saw_vulns: bool) -> list[Unscanned]:
    target = _target(sbom)
    if config is None:
        return [
            Unscanned(
                target=target,
                reason="the govulncheck stream has no config message: it is not a complete scan",
            )
        ]
    read_db = bool(config.get("db_last_modified")) or saw_vulns or any(CHECKING in p for p in progress)
    if read_db:
        return []
    last = f" after {progress[-1]!r}" if progress else ""
    return [
        Unscanned(
            target=target,
            reason=f"govulncheck did not read its vulnerability database ({config.get('db') or 'unknown'}): "
            f"the stream stops{last}",
        )
    ]


def _target(sbom: dict) -> str:
    modules = sbom.get("modules") if isinstance(sbom.get("modules"), list) else []
    main = [m["path"] for m in modules if isinstance(m, dict) and m.get("path") and not m.get("version")]
    return f"go module {main[0]}" if main else "go modules"


def _finding(
    osv: str, found: list[list[dict[str, Any]]], entry: dict[str, Any], fixed: str | None, level: int
) -> Finding:
    def depth(trace: list[dict[str, Any]]) -> int:
        top = trace[0]
        return 2 if top.get("function") else 1 if top.get("package") else 0

    deepest = max(depth(trace) for trace in found)
    chosen = min((t for t in found if depth(t) == deepest), key=_trace_key)
    top = chosen[0]
    caller = chosen[1] if len(chosen) > 1 else {}
    position = caller.get("position") if isinstance(caller.get("position"), dict) else {}
    return Finding(
        tool=TOOL,
        rule_id=osv,
        severity=_severity(deepest, level),
        message=_message(osv, entry, deepest, top),
        path=position.get("filename") or None,
        line=position.get("line") or None,
        package=str(top["module"]),
        version=top.get("version") or None,
        fixed_version=fixed,
        cve_ids=cve_ids(entry.get("aliases")),
    )


def _trace_key(trace: list[dict[str, Any]]) -> tuple:
    return tuple(
        (
            str((frame.get("position") or {}).get("filename", "")),
            int((frame.get("position") or {}).get("line", 0) or 0),
            str(frame.get("package", "")),
            str(frame.get("function", "")),
        )
        for frame in trace
    )


def _severity(depth: int, level: int) -> Severity:
    if depth == 2 or depth >= level:
        return Severity.HIGH  # called, or the scan could not look deeper than where it found it
    return Severity.MEDIUM if depth == 1 else Severity.LOW


def _message(osv: str, entry: dict[str, Any], depth: int, top: dict[str, Any]) -> str:
    """The advisory's summary and how far the code reaches it; not the caller, which moves in refactoring."""
    summary = entry.get("summary") or (entry.get("details") or "").strip().split("\n")[0] or osv
    if depth == 2:
        symbol = ".".join(p.lstrip("*") for p in (top.get("receiver"), top.get("function")) if p)
        return f"{summary} (called: {top.get('package', top['module'])}.{symbol})"
    if depth == 1:
        return f"{summary} (package {top['package']} imported, vulnerable code not called)"
    return f"{summary} (module required, vulnerable packages not imported)"
