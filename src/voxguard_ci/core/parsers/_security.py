"""Helpers shared by the security report parsers (SAST, secrets, IaC, DAST).

- Secrets never reach the model: `redact` puts `<redacted sha256:…>` where the secret was. The short digest
  keeps two different secrets two different findings (and the fingerprint line-independent) without
  carrying the value.
- `flagged_lines` picks the flagged lines out of an excerpt whose lines start with their numbers (bandit's
  `"8 code"`, gosec's `"8: code"`), dropping the context lines around them, which change when code moves.
- `cwe_ids`/`cve_ids` read ids however a tool spells them (`78`, `"CWE-78: OS Command Injection"`,
  `"cwe-78"`, `"cve-2021-44228"`) and return them as `CWE-78` / `CVE-2021-44228`.
- `field` reads a required key of a given JSON type, or raises ReportError naming where, the key and what
  was there instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from voxguard_ci.core.findings import FindingsReport
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

_CWE = re.compile(r"\bCWE[-_ ]?(\d+)\b", re.IGNORECASE)
_CVE = re.compile(r"\bCVE-(\d{4})-(\d{4,})\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+)(?::| |$) ?(.*)$")


def redaction(secret: str) -> str:
    """What stands in for `secret`: a short digest of it, never the value."""
    return f"<redacted sha256:{hashlib.sha256(secret.encode()).hexdigest()[:12]}>"


def redact(text: str | None, secret: str | None) -> str | None:
    """`text` with every occurrence of `secret` replaced by its redaction."""
    if text is None or not secret:
        return text
    return text.replace(secret, redaction(secret))


def flagged_lines(code: Any, first: int, last: int) -> str | None:
    """Lines `first`..`last` of a numbered excerpt, without their numbers; None when none are there."""
    picked = []
    for line in code.splitlines() if isinstance(code, str) else []:
        match = _NUMBERED.match(line)
        if match and first <= int(match.group(1)) <= last:
            picked.append(match.group(2))
    return "\n".join(picked) if picked else None


def cwe_ids(values: Any) -> list[str]:
    """`CWE-N` ids from a number, a string or a list of either; bare numbers count as CWE numbers."""
    ids: list[str] = []
    for value in _flatten(values):
        text = str(value).strip()
        if text.isdigit() and int(text) > 0:
            ids.append(f"CWE-{int(text)}")
        else:
            ids.extend(f"CWE-{int(number)}" for number in _CWE.findall(text) if int(number) > 0)
    return _unique(ids)


def cve_ids(values: Any) -> list[str]:
    """`CVE-YYYY-N` ids found in a string or a list of strings."""
    return _unique(
        f"CVE-{year}-{number}" for value in _flatten(values) for year, number in _CVE.findall(str(value))
    )


def field(item: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """`item[key]`, which must be of `kind`; else ReportError naming `where`, the key and what was there."""
    if not isinstance(item, dict):
        raise ReportError(f"{where}: expected an object, got {json_type(item)}")
    if key not in item:
        raise ReportError(f"{where}: missing {key!r}")
    value = item[key]
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in _kinds(kind):
        expected = " or ".join(_JSON_NAMES.get(k, k.__name__) for k in _kinds(kind))
        raise ReportError(f"{where}: {key!r} should be {expected}, got {json_type(value)}")
    return value


_JSON_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def results_report(text: str, tool: str, finding: Any, unscanned: Any) -> FindingsReport:
    """bandit's and semgrep's shape: an object with a `results` array and an `errors` array."""
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ReportError(f"expected a {tool} JSON report (an object with a results array), got {json_type(data)}")
    errors = data.get("errors", [])
    if not isinstance(errors, list):
        raise ReportError(f"{tool} errors should be an array, got {json_type(errors)}")
    return FindingsReport(
        tool=tool,
        findings=[finding(index, result) for index, result in enumerate(data["results"])],
        unscanned=[unscanned(index, error) for index, error in enumerate(errors)],
    )


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _flatten(values: Any) -> Iterable[Any]:
    if values is None:
        return []
    if isinstance(values, list | tuple):
        return [v for v in values if v is not None and not isinstance(v, dict | list)]
    return [values]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))
