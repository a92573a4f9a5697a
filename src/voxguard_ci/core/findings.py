"""One model for what security tools report: findings, what could not be scanned, and SBOM components.

Severity is one scale for every tool (critical/high/medium/low/info); each parser documents how it maps its
tool's own scale. A finding's fingerprint leaves out line numbers and whitespace, so moving or reformatting
code keeps a finding recognisable against the baseline.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return ["info", "low", "medium", "high", "critical"].index(self.value)


_ALIASES = {
    "critical": Severity.CRITICAL, "crit": Severity.CRITICAL, "blocker": Severity.CRITICAL,
    "high": Severity.HIGH, "error": Severity.HIGH, "major": Severity.HIGH, "important": Severity.HIGH,
    "medium": Severity.MEDIUM, "moderate": Severity.MEDIUM, "warning": Severity.MEDIUM, "warn": Severity.MEDIUM,
    "low": Severity.LOW, "minor": Severity.LOW, "note": Severity.LOW,
    "info": Severity.INFO, "informational": Severity.INFO, "none": Severity.INFO, "unknown": Severity.INFO,
    "negligible": Severity.INFO, "undefined": Severity.INFO,
}


def severity(value: str | None, default: Severity = Severity.MEDIUM) -> Severity:
    """Map a tool's severity word onto our scale; an unknown word keeps `default`, never silently `info`."""
    if value is None:
        return default
    return _ALIASES.get(str(value).strip().lower(), default)


def cvss_severity(score: float | None) -> Severity | None:
    """CVSS v3 qualitative ratings: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 none."""
    if score is None:
        return None
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0:
        return Severity.LOW
    return Severity.INFO


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(_Model):
    tool: str
    rule_id: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    package: str | None = None
    version: str | None = None
    fixed_version: str | None = None
    cve_ids: list[str] = []
    cwe_ids: list[str] = []
    snippet: str | None = Field(None, description="The offending code, when the tool gives it.")
    fingerprint: str = ""

    def model_post_init(self, _context: object) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint(self)


_SPACE = re.compile(r"\s+")


def _normalize(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def fingerprint(finding: Finding) -> str:
    """Stable identity: tool, rule and location without line numbers; code findings add their snippet with
    whitespace collapsed, dependency findings their package and version."""
    parts = [finding.tool, finding.rule_id, finding.path or "", finding.package or "", finding.version or ""]
    parts.append(_normalize(finding.snippet) if finding.snippet else _normalize(finding.message))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class Unscanned(_Model):
    """Something the tool could not check: a scan that checked nothing is never clean."""

    target: str
    reason: str


class FindingsReport(_Model):
    """`findings` kind."""

    tool: str
    findings: list[Finding] = []
    unscanned: list[Unscanned] = []

    def count(self, at_least: Severity) -> int:
        return sum(1 for f in self.findings if f.severity.rank >= at_least.rank)


class Component(_Model):
    name: str
    version: str | None = None
    purl: str | None = None
    licenses: list[str] = Field([], description="SPDX ids or expressions, as the SBOM states them.")
    scope: str | None = Field(None, description="required/optional/excluded (CycloneDX), when stated.")


class SbomReport(_Model):
    """`sbom` kind."""

    format: str
    components: list[Component] = []
