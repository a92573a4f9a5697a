"""`trivy fs|image|repo --format json` output (schema version 2) → FindingsReport.

The report is one object: `SchemaVersion` 2, `ArtifactName`, `ArtifactType` (`filesystem`, `repository`,
`container_image`, ...), `Metadata` and `Results`, one per scanned target (`Target`: a lockfile, a Dockerfile,
or the image's OS as `alpine:3.19 (alpine 3.19.1)`; `Class`: `os-pkgs`, `lang-pkgs`, `config`, `secret`,
`license`). Read here:

- `Vulnerabilities` (`VulnerabilityID`, `PkgName`, `InstalledVersion`, `FixedVersion`, `Severity`, `Title`,
  `CweIDs`, `CVSS`) → one Finding each, `path` the result's target. `FixedVersion` is a version, a list
  (`1.2.3, 2.0.1`) or, for crates, the patched range (`>= 1.0.999`): `fixed_version` is the lowest version
  it names above the installed one;
- `Misconfigurations` with `Status` FAIL (`--include-non-failures` adds PASS ones, which are not findings)
  → `rule_id` the check's `ID` (`DS-0002`; trivy before 0.6x wrote `DS002`), `line` from
  `CauseMetadata.StartLine`;
- `Secrets` (`RuleID`, `Title`, `StartLine`); trivy already masks the secret in `Match`, which is not kept.

License results (`--scanners license`) are not findings here: licenses are the SBOM's business.

Severity is trivy's CRITICAL/HIGH/MEDIUM/LOW. Trivy says UNKNOWN for a vulnerability nobody rated yet:
then the highest CVSS v3 score among its sources decides, and without one it is an unrated known
vulnerability → high (not info). A misconfiguration or secret with UNKNOWN severity → medium.

Trivy leaves `Results` out when it found nothing it knows how to scan (no lockfile, no OS it supports):
that scan checked nothing and is `unscanned`, never clean.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Finding, FindingsReport, Severity, Unscanned, cvss_severity
from voxguard_ci.core.findings import severity as severity_of
from voxguard_ci.core.parsers._deps import advisory_severity, lowest_fix
from voxguard_ci.core.parsers._security import cve_ids, cwe_ids, field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

TOOL = "trivy"
RATED = frozenset({"CRITICAL", "HIGH", "MEDIUM", "LOW"})


def parse(text: str) -> FindingsReport:
    data = load_json(text)
    if not isinstance(data, dict) or "SchemaVersion" not in data:
        shape = (
            "an object with keys " + ", ".join(sorted(data)[:6])
            if isinstance(data, dict)
            else json_type(data)
        )
        raise ReportError(f"expected a trivy JSON report (an object with SchemaVersion), got {shape}")
    if data["SchemaVersion"] != 2:
        raise ReportError(f"unsupported trivy SchemaVersion {data['SchemaVersion']!r}: expected 2")
    results = [] if data.get("Results") is None else data["Results"]
    if not isinstance(results, list):
        raise ReportError(f"trivy Results should be an array, got {json_type(results)}")
    artifact = str(data.get("ArtifactName") or data.get("ArtifactType") or "artifact")
    findings: list[Finding] = []
    for index, result in enumerate(results):
        where = f"Results[{index}]"
        target = field(result, "Target", str, where)
        findings.extend(
            _vulnerability(f"{where}.Vulnerabilities[{i}]", target, v)
            for i, v in enumerate(_list(result, "Vulnerabilities", where))
        )
        findings.extend(
            _misconfiguration(f"{where}.Misconfigurations[{i}]", target, m)
            for i, m in enumerate(_list(result, "Misconfigurations", where))
            if not isinstance(m, dict) or m.get("Status", "FAIL") == "FAIL"
        )
        findings.extend(
            _secret(f"{where}.Secrets[{i}]", target, s) for i, s in enumerate(_list(result, "Secrets", where))
        )
    unscanned = []
    if not results:
        kind = data.get("ArtifactType") or "artifact"
        unscanned.append(
            Unscanned(
                target=artifact, reason=f"trivy found nothing it could scan in this {kind} (no Results)"
            )
        )
    return FindingsReport(tool=TOOL, findings=findings, unscanned=unscanned)


def _list(result: dict[str, Any], key: str, where: str) -> list[Any]:
    value = [] if result.get(key) is None else result[key]
    if not isinstance(value, list):
        raise ReportError(f"{where}: {key!r} should be an array, got {json_type(value)}")
    return value


def _vulnerability(where: str, target: str, vuln: Any) -> Finding:
    rule_id = field(vuln, "VulnerabilityID", str, where)
    installed = str(vuln.get("InstalledVersion") or "") or None
    fixed = str(vuln.get("FixedVersion") or "")
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=_vulnerability_severity(vuln),
        message=str(vuln.get("Title") or _first_sentence(vuln.get("Description")) or rule_id),
        path=target,
        package=field(vuln, "PkgName", str, where),
        version=installed,
        fixed_version=lowest_fix(fixed.split(","), installed) if fixed else None,
        cve_ids=cve_ids([rule_id, *(vuln.get("VendorIDs") or [])]),
        cwe_ids=cwe_ids(vuln.get("CweIDs")),
    )


def _vulnerability_severity(vuln: dict[str, Any]) -> Severity:
    word = str(vuln.get("Severity") or "").upper()
    if word in RATED:
        return severity_of(word)
    sources = vuln.get("CVSS") if isinstance(vuln.get("CVSS"), dict) else {}
    scores = [s.get("V3Score") for s in sources.values() if isinstance(s, dict)]
    numbers = [float(s) for s in scores if isinstance(s, int | float) and not isinstance(s, bool)]
    vectors = [s.get("V3Vector") for s in sources.values() if isinstance(s, dict)]
    if numbers:
        return cvss_severity(max(numbers)) or Severity.HIGH
    return advisory_severity(vectors)


def _misconfiguration(where: str, target: str, misconf: Any) -> Finding:
    rule_id = field(misconf, "ID", str, where)
    cause = misconf.get("CauseMetadata") if isinstance(misconf.get("CauseMetadata"), dict) else {}
    line = cause.get("StartLine")
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=severity_of(misconf.get("Severity"), Severity.MEDIUM),
        message=str(misconf.get("Message") or misconf.get("Title") or rule_id),
        path=target,
        line=line if isinstance(line, int) and line > 0 else None,
    )


def _secret(where: str, target: str, secret: Any) -> Finding:
    rule_id = field(secret, "RuleID", str, where)
    line = secret.get("StartLine")
    return Finding(
        tool=TOOL,
        rule_id=rule_id,
        severity=severity_of(secret.get("Severity"), Severity.MEDIUM),
        message=str(secret.get("Title") or rule_id),
        path=target,
        line=line if isinstance(line, int) and line > 0 else None,
    )


def _first_sentence(text: Any) -> str:
    return str(text or "").strip().split("\n")[0].split(". ")[0][:300]
