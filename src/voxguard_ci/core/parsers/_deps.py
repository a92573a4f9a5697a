"""Helpers shared by the dependency-scan parsers: CVSS v3 base scores, fixed versions, "nothing was audited".

- `cvss3_score` computes the base score of a CVSS v3.0/v3.1 vector (FIRST's formulas), for tools that give a
  vector but no score (cargo-audit, OSV entries). A v2 or v4 vector, or a malformed one, gives None.
- `advisory_severity` is the one rule for an advisory with no usable rating: a known vulnerability whose
  severity nobody scored is **high** (it blocks as a new high until someone triages it), never info.
- `lowest_fix` turns a patched range as advisories write it (`>=4.17.19`, `>= 1.2.3, < 2.0`, `^1.0.999`)
  into the version it starts at, choosing the lowest one above the installed version; a plain version is
  kept as written (`v1.99.0`, `1.2.4_git20230717-r5`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from voxguard_ci.core.findings import Severity, cvss_severity

_V3 = re.compile(r"^CVSS:3\.[01]/(.+)$")
_WEIGHTS = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}


def cvss3_score(vector: str | None) -> float | None:
    """The CVSS v3.x base score of `vector`, or None when it is not a complete v3 vector."""
    match = _V3.match((vector or "").strip())
    if not match:
        return None
    metrics = dict(part.split(":", 1) for part in match.group(1).split("/") if ":" in part)
    scope = metrics.get("S")
    try:
        av, ac, ui = (_WEIGHTS[key][metrics[key]] for key in ("AV", "AC", "UI"))
        c, i, a = (_WEIGHTS[key][metrics[key]] for key in ("C", "I", "A"))
        pr = _PR[scope][metrics["PR"]]
    except KeyError:
        return None
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    impact = 6.42 * iss if scope == "U" else 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    if impact <= 0:
        return 0.0
    exploitability = 8.22 * av * ac * pr * ui
    total = impact + exploitability if scope == "U" else 1.08 * (impact + exploitability)
    return _round_up(min(total, 10.0))


def _round_up(value: float) -> float:
    """CVSS v3.1's Roundup: the smallest one-decimal number >= value, immune to float noise."""
    scaled = round(value * 100_000)
    if scaled % 10_000 == 0:
        return scaled / 100_000
    return (math.floor(scaled / 10_000) + 1) / 10.0


def advisory_severity(vectors: Iterable[str | None] = (), score: float | None = None) -> Severity:
    """Severity of a vulnerability advisory: from `score`, else the highest v3 vector; unrated → high."""
    scores = [s for s in (cvss3_score(v) for v in vectors) if s is not None]
    if score is not None:
        scores.append(score)
    rated = cvss_severity(max(scores)) if scores else None
    return rated or Severity.HIGH


_COMPARATOR = re.compile(r"(>=|<=|>|<|\^|~|=)?\s*(v?\d[^\s,|<>=^~]*)")
_STARTS = frozenset({">=", "^", "~", "=", None})


def version_key(version: str) -> tuple[int, ...]:
    """A sortable key: the numbers in a version, in order (`1.2.4_git20230717-r5` → 1, 2, 4, 20230717, 5)."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def lowest_fix(patched: Iterable[str], installed: str | None = None) -> str | None:
    """The lowest version any of the `patched` ranges starts at that is above `installed` (if given)."""
    starts = []
    for requirement in patched:
        for alternative in str(requirement).split("||"):
            match = _COMPARATOR.search(alternative)  # the range's first comparator: where it starts
            if match and match.group(1) in _STARTS:
                starts.append(match.group(2))
    if installed:
        above = [v for v in starts if version_key(v) > version_key(installed)]
        starts = above or starts
    return min(starts, key=version_key) if starts else None
