from voxguard_ci.core.config import Command, Gates, ReportSpec, Scanner
from voxguard_ci.core.findings import Component, Finding, FindingsReport, SbomReport, Unscanned
from voxguard_ci.core.models import Verdict
from voxguard_ci.core.security import (
    AcceptedFinding,
    ScanStatus,
    judge_scan,
    security_gates,
)


def scanner(name: str = "bandit", kind: str = "sast", required: bool = True) -> Scanner:
    return Scanner(name=name, kind=kind, required=required, commands=[Command(argv=[name])],
                   report=ReportSpec(format="x", path="r.json"))


def finding(severity: str, line: int = 1, rule: str = "B602", code: str = "subprocess.call(cmd, shell=True)"):
    return Finding(tool="bandit", rule_id=rule, severity=severity, message="m", path="app.py", line=line, snippet=code)


def gates(scans, baseline=frozenset(), accepted=None):
    return {g.gate: g for g in security_gates(Gates(), scans, set(baseline), accepted or {}, "test baseline")}


def scanned(*findings, kind="sast", name="bandit"):
    return judge_scan(scanner(name, kind), True, "", FindingsReport(tool=name, findings=list(findings)))


def test_a_scanner_that_could_not_scan_fails_closed_with_its_reason():
    missing = judge_scan(scanner(), False, "bandit: not found on PATH", None)
    crashed = judge_scan(scanner(), True, "", None, "r.json: empty report")
    blind = judge_scan(scanner("pip-audit", "dependencies"), True, "", FindingsReport(
        tool="pip-audit", unscanned=[Unscanned(target=f"pkg{i}", reason="not on PyPI") for i in range(3)]))
    assert missing.status == ScanStatus.FAILED and missing.reason == "bandit: not found on PATH"
    assert crashed.reason == "bandit: r.json: empty report"
    assert blind.status == ScanStatus.FAILED
    assert blind.reason == "pip-audit: 3 items could not be scanned (not on PyPI)"
    record = gates([missing, scanned()])
    assert record["security_scans"].verdict == Verdict.FAIL
    assert record["critical_vulnerabilities"].verdict == Verdict.FAIL  # never clean when a scan is missing
    assert "could not scan: bandit: not found on PATH" in record["critical_vulnerabilities"].evidence


def test_an_optional_scanner_that_could_not_scan_is_not_run_and_does_not_fail():
    optional = judge_scan(scanner("pnpm-audit", "dependencies", required=False), False, "HTTP 405", None)
    assert optional.status == ScanStatus.NOT_RUN
    record = gates([optional, scanned()])
    assert record["security_scans"].verdict == Verdict.PASS
    assert any("not run (optional): pnpm-audit" in line for line in record["security_scans"].evidence)


def test_an_empty_sbom_is_a_failed_scan():
    result = judge_scan(scanner("sbom", "sbom"), True, "", SbomReport(format="cyclonedx-1.6"))
    assert result.status == ScanStatus.FAILED and "no component" in result.reason


def test_critical_findings_fail_unless_accepted_then_overridden_with_who_and_why():
    critical = finding("critical")
    assert gates([scanned(critical)])["critical_vulnerabilities"].verdict == Verdict.FAIL
    accepted = {critical.fingerprint: AcceptedFinding(fingerprint=critical.fingerprint, reason="false positive",
                                                      accepted_by="security-team")}
    record = gates([scanned(critical)], accepted=accepted)["critical_vulnerabilities"]
    assert record.verdict == Verdict.OVERRIDDEN and record.value == 0
    assert "accepted by security-team: false positive" in record.evidence[0]


def test_high_findings_in_the_baseline_are_not_new_even_after_moving_lines():
    before = finding("high", line=8, code="    subprocess.call(cmd,   shell=True)")
    after = finding("high", line=14, code="subprocess.call(cmd, shell=True)")
    assert before.fingerprint == after.fingerprint
    record = gates([scanned(after)], baseline={before.fingerprint})["new_high_vulnerabilities"]
    assert record.verdict == Verdict.PASS and record.value == 0
    other = finding("high", rule="B605", code="os.system(cmd)")
    record = gates([scanned(after, other)], baseline={before.fingerprint})["new_high_vulnerabilities"]
    assert record.verdict == Verdict.FAIL and record.value == 1
    assert record.evidence[0].startswith("new: bandit B605 [high] app.py:1")


def test_medium_and_low_findings_do_not_block():
    record = gates([scanned(finding("medium"), finding("low", rule="B101"))])
    assert record["critical_vulnerabilities"].verdict == Verdict.PASS
    assert record["new_high_vulnerabilities"].verdict == Verdict.PASS


def sbom(*components):
    return judge_scan(scanner("sbom", "sbom"), True, "", SbomReport(format="cyclonedx-1.6", components=list(components)))


def test_license_expressions_or_allows_and_denies():
    allowed = Component(name="dual", version="1", licenses=["MIT OR GPL-3.0-only"])
    denied = Component(name="both", version="2", licenses=["MIT AND GPL-3.0-only"])
    lgpl = Component(name="lgpl", version="3", licenses=["LGPL-2.1-only"])
    dev_only = Component(name="devtool", version="4", licenses=["AGPL-3.0-only"], scope="excluded")
    assert gates([sbom(allowed, lgpl, dev_only)])["license_compliance"].verdict == Verdict.PASS
    record = gates([sbom(allowed, denied)])["license_compliance"]
    assert record.verdict == Verdict.FAIL
    assert record.evidence[0] == "both 2: MIT AND GPL-3.0-only"


def test_unknown_licenses_are_listed_for_review_not_allowed_silently():
    record = gates([sbom(Component(name="mystery", version="1"))])["license_compliance"]
    assert any("mystery (no license stated)" in line for line in record.evidence)


def test_container_gate_is_not_run_without_images():
    assert gates([scanned()])["container_scan"].verdict == Verdict.NOT_RUN
    image = judge_scan(scanner("trivy", "container"), True, "", FindingsReport(tool="trivy", findings=[
        Finding(tool="trivy", rule_id="CVE-1", severity="critical", message="m", package="openssl", version="1")]))
    assert gates([image])["container_scan"].verdict == Verdict.FAIL
