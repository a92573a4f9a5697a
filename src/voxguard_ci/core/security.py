"""Judging security scans, fail-closed, and the security gates computed from their findings.

A scan counts only when its tool ran, wrote a report we could read, and the report says everything was
checked: a missing tool, a timeout, an error exit, an unreadable report or anything in `unscanned` is a
failed scan (or `not_run` for a scanner marked `required: false`), never a clean one.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from voxguard_ci.core.config import Gates, Scanner, ScannerKind
from voxguard_ci.core.findings import Finding, FindingsReport, SbomReport, Severity
from voxguard_ci.core.licenses import license_violations
from voxguard_ci.core.models import GateRecord, Verdict

EVIDENCE_LIMIT = 25


class ScanStatus(StrEnum):
    SCANNED = "scanned"
    FAILED = "failed"
    NOT_RUN = "not_run"


class ScanResult(BaseModel):
    scanner: str
    kind: ScannerKind
    required: bool
    status: ScanStatus
    reason: str = ""
    findings: FindingsReport | None = None
    sbom: SbomReport | None = None


class AcceptedFinding(BaseModel):
    """A finding the team accepted, with who and why: kept in the repository's baseline file."""

    fingerprint: str
    reason: str
    accepted_by: str = ""
    tool: str = ""
    rule_id: str = ""


def scan_summary(scan: ScanResult) -> dict[str, object]:
    """The compact form the run's JSON carries."""
    by_severity = {s.value: 0 for s in Severity}
    for finding in scan.findings.findings if scan.findings else []:
        by_severity[finding.severity.value] += 1
    return {"scanner": scan.scanner, "kind": scan.kind, "status": scan.status.value, "reason": scan.reason,
            "findings": by_severity, "components": len(scan.sbom.components) if scan.sbom else 0}


def judge_scan(scanner: Scanner, step_ok: bool, step_reason: str,
               report: FindingsReport | SbomReport | None, report_error: str = "") -> ScanResult:
    def failed(reason: str) -> ScanResult:
        status = ScanStatus.FAILED if scanner.required else ScanStatus.NOT_RUN
        named = reason if reason.startswith(f"{scanner.name}:") else f"{scanner.name}: {reason}"
        return ScanResult(scanner=scanner.name, kind=scanner.kind, required=scanner.required, status=status,
                          reason=named,
                          findings=report if isinstance(report, FindingsReport) else None)

    if not step_ok:
        return failed(step_reason)
    if report_error:
        return failed(report_error)
    if isinstance(report, FindingsReport) and report.unscanned:
        reasons = sorted({u.reason for u in report.unscanned})
        noun = "item" if len(report.unscanned) == 1 else "items"
        return failed(f"{len(report.unscanned)} {noun} could not be scanned ({'; '.join(reasons[:3])})")
    if isinstance(report, SbomReport) and not report.components:
        return failed("the SBOM lists no component")
    if report is None:
        return failed("no report")
    return ScanResult(scanner=scanner.name, kind=scanner.kind, required=scanner.required,
                      status=ScanStatus.SCANNED,
                      findings=report if isinstance(report, FindingsReport) else None,
                      sbom=report if isinstance(report, SbomReport) else None)


def all_findings(scans: list[ScanResult], kinds: set[str] | None = None) -> list[Finding]:
    found = [f for s in scans if s.findings and (kinds is None or s.kind in kinds) for f in s.findings.findings]
    unique: dict[str, Finding] = {}
    for finding in found:
        unique.setdefault(finding.fingerprint, finding)
    return list(unique.values())


def describe(finding: Finding) -> str:
    where = finding.path + (f":{finding.line}" if finding.line else "") if finding.path else ""
    if finding.package:
        where = f"{finding.package} {finding.version or ''}".strip() + (f" ({where})" if where else "")
    return f"{finding.tool} {finding.rule_id} [{finding.severity.value}] {where}: {finding.message}"[:300]


def _failed_scans(scans: list[ScanResult], kinds: set[str]) -> list[str]:
    return [s.reason for s in scans if s.status == ScanStatus.FAILED and s.kind in kinds]


FINDING_KINDS = {"sast", "secrets", "dependencies", "iac", "dast"}


def scans_gate(scans: list[ScanResult]) -> GateRecord:
    if not scans:
        return GateRecord(gate="security_scans", verdict=Verdict.NOT_RUN, threshold="every required scanner scans",
                          evidence=["no scanner is configured"])
    failed = [s.reason for s in scans if s.status == ScanStatus.FAILED]
    skipped = [f"not run (optional): {s.reason}" for s in scans if s.status == ScanStatus.NOT_RUN]
    scanned = sum(1 for s in scans if s.status == ScanStatus.SCANNED)
    return GateRecord(gate="security_scans", verdict=Verdict.FAIL if failed else Verdict.PASS,
                      value=f"{scanned}/{len(scans)} scanned", threshold="every required scanner scans",
                      evidence=failed + skipped)


def critical_gate(policy: Gates, scans: list[ScanResult], accepted: dict[str, AcceptedFinding]) -> GateRecord:
    criticals = [f for f in all_findings(scans, FINDING_KINDS) if f.severity == Severity.CRITICAL]
    open_ = [f for f in criticals if f.fingerprint not in accepted]
    overridden = [f for f in criticals if f.fingerprint in accepted]
    failed = _failed_scans(scans, FINDING_KINDS)
    evidence = [describe(f) for f in open_][:EVIDENCE_LIMIT]
    evidence += [f"could not scan: {reason}" for reason in failed]
    evidence += [f"accepted by {accepted[f.fingerprint].accepted_by or 'baseline'}: "
                 f"{accepted[f.fingerprint].reason} — {describe(f)}" for f in overridden]
    if len(open_) > policy.critical_max or failed:
        verdict = Verdict.FAIL
    elif overridden:
        verdict = Verdict.OVERRIDDEN
    else:
        verdict = Verdict.PASS
    return GateRecord(gate="critical_vulnerabilities", verdict=verdict, value=len(open_),
                      threshold=policy.critical_max, evidence=evidence)


def new_high_gate(policy: Gates, scans: list[ScanResult], baseline: set[str],
                  accepted: dict[str, AcceptedFinding], baseline_note: str) -> GateRecord:
    highs = [f for f in all_findings(scans, FINDING_KINDS) if f.severity == Severity.HIGH]
    new = [f for f in highs if f.fingerprint not in baseline and f.fingerprint not in accepted]
    known = [f for f in highs if f.fingerprint in baseline and f.fingerprint not in accepted]
    taken = [f for f in highs if f.fingerprint in accepted]
    failed = _failed_scans(scans, FINDING_KINDS)
    evidence = [f"new: {describe(f)}" for f in new][:EVIDENCE_LIMIT]
    evidence += [f"could not scan: {reason}" for reason in failed]
    evidence += [f"accepted by {accepted[f.fingerprint].accepted_by or 'the team'}: {accepted[f.fingerprint].reason}"
                 f" — {describe(f)}" for f in taken]
    evidence.append(f"{len(known)} high finding(s) already in the baseline ({baseline_note})")
    verdict = Verdict.FAIL if len(new) > policy.new_high_max or failed else Verdict.PASS
    return GateRecord(gate="new_high_vulnerabilities", verdict=verdict, value=len(new),
                      threshold=policy.new_high_max, evidence=evidence)


def container_gate(scans: list[ScanResult]) -> GateRecord:
    container = [s for s in scans if s.kind == "container"]
    if not container:
        return GateRecord(gate="container_scan", verdict=Verdict.NOT_RUN, threshold="no critical CVEs",
                          evidence=["no container image was scanned in this run"])
    criticals = [f for f in all_findings(container) if f.severity == Severity.CRITICAL]
    failed = _failed_scans(scans, {"container"})
    evidence = [describe(f) for f in criticals][:EVIDENCE_LIMIT] + [f"could not scan: {r}" for r in failed]
    return GateRecord(gate="container_scan", verdict=Verdict.FAIL if criticals or failed else Verdict.PASS,
                      value=len(criticals), threshold="no critical CVEs", evidence=evidence)


def license_gate(policy: Gates, scans: list[ScanResult]) -> GateRecord:
    sboms = [s for s in scans if s.kind == "sbom"]
    threshold = "no " + ", ".join(policy.license_deny)
    if not sboms:
        return GateRecord(gate="license_compliance", verdict=Verdict.NOT_RUN, threshold=threshold,
                          evidence=["no SBOM was produced in this run"])
    components = [c for s in sboms if s.sbom for c in s.sbom.components if c.scope not in ("optional", "excluded")]
    violations, unknown = license_violations(components, policy.license_deny)
    failed = _failed_scans(scans, {"sbom"})
    evidence = [f"{c.name} {c.version or ''}: {expression}" for c, expression in violations][:EVIDENCE_LIMIT]
    evidence += [f"could not scan: {r}" for r in failed]
    if unknown:
        evidence.append(f"{len(unknown)} component(s) with no readable license, to review: "
                        + ", ".join(sorted(f"{c.name} ({why})" for c, why in unknown))[:400])
    return GateRecord(gate="license_compliance", verdict=Verdict.FAIL if violations or failed else Verdict.PASS,
                      value=f"{len(violations)} denied of {len(components)} production components",
                      threshold=threshold, evidence=evidence)


def security_gates(policy: Gates, scans: list[ScanResult], baseline: set[str],
                   accepted: dict[str, AcceptedFinding], baseline_note: str) -> list[GateRecord]:
    return [
        scans_gate(scans),
        critical_gate(policy, scans, accepted),
        new_high_gate(policy, scans, baseline, accepted, baseline_note),
        container_gate(scans),
        license_gate(policy, scans),
    ]
