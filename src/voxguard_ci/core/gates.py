"""Quality gates (seed "Quality Gates"), computed from evidence: never a hard-coded PASSED.

A service whose coverage could not be measured is "not measured": it fails its own gate and does not count
toward the overall figure. The security gates come from the security stage (core.security); when it did not
run they are `not_run`, never passed.
"""

from __future__ import annotations

from pydantic import BaseModel

from voxguard_ci.core.config import Gates
from voxguard_ci.core.models import CoverageReport, GateRecord, LintReport, TestReport, Verdict


class ServiceEvidence(BaseModel):
    service: str
    build_ok: bool | None = None
    build_reason: str = ""
    tests: TestReport | None = None
    tests_step_ok: bool | None = None
    tests_reason: str = ""
    coverage: CoverageReport | None = None
    coverage_minimum: float | None = None
    lint: LintReport | None = None
    lint_reason: str = ""


SECURITY_GATES = ("security_scans", "critical_vulnerabilities", "new_high_vulnerabilities", "container_scan", "license_compliance")


def _verdict(ok: bool) -> Verdict:
    return Verdict.PASS if ok else Verdict.FAIL


def build_gate(evidence: list[ServiceEvidence]) -> GateRecord:
    built = [e for e in evidence if e.build_ok is not None]
    failed = [f"{e.service}: {e.build_reason or 'build failed'}" for e in built if not e.build_ok]
    if not built:
        return GateRecord(gate="build", verdict=Verdict.NOT_RUN, threshold="all services build",
                          evidence=["no build step ran"])
    return GateRecord(gate="build", verdict=_verdict(not failed), value=f"{len(built) - len(failed)}/{len(built)}",
                      threshold="all services build", evidence=failed)


def tests_gate(evidence: list[ServiceEvidence]) -> GateRecord:
    problems, passed, failed = [], 0, 0
    for e in evidence:
        if e.tests is None and e.tests_step_ok and not e.tests_reason:
            continue  # no report configured: the exit status is the only evidence, and it is clean
        if e.tests is None:
            problems.append(f"{e.service}: no test report ({e.tests_reason or 'tests did not run'})")
            continue
        passed += e.tests.passed
        failed += e.tests.failed + e.tests.errors
        problems += [f"{e.service}: {c.classname + '::' if c.classname else ''}{c.name} {c.outcome}"
                     for c in e.tests.cases if c.outcome in ("failed", "error")]
        if e.tests.total == 0:
            problems.append(f"{e.service}: the test report holds no test")
        elif not e.tests.cases and not e.tests.ok:
            problems.append(f"{e.service}: {e.tests.failed + e.tests.errors} failing")
    if not evidence:
        return GateRecord(gate="tests", verdict=Verdict.NOT_RUN, threshold="0 failing", evidence=["no service"])
    return GateRecord(gate="tests", verdict=_verdict(not problems), value=f"{passed} passed, {failed} failed",
                      threshold="0 failing", evidence=problems)


def coverage_gates(policy: Gates, evidence: list[ServiceEvidence]) -> list[GateRecord]:
    records, covered, total, unmeasured = [], 0, 0, []
    for e in evidence:
        if e.coverage_minimum is None:
            continue
        percent = e.coverage.percent if e.coverage else None
        if percent is None:
            unmeasured.append(e.service)
            records.append(GateRecord(gate=f"coverage:{e.service}", verdict=Verdict.FAIL, value="not measured",
                                      threshold=e.coverage_minimum, evidence=[f"{e.service}: no measurable coverage"]))
            continue
        covered += e.coverage.lines_covered
        total += e.coverage.lines_total
        records.append(GateRecord(
            gate=f"coverage:{e.service}", verdict=_verdict(percent >= e.coverage_minimum), value=percent,
            threshold=e.coverage_minimum,
            evidence=[f"{e.coverage.lines_covered}/{e.coverage.lines_total} lines"],
        ))
    if not records:
        return [GateRecord(gate="coverage", verdict=Verdict.NOT_RUN, threshold=policy.coverage_overall,
                           evidence=["no service measures coverage in this run"])]
    overall = round(100.0 * covered / total, 2) if total else None
    evidence_lines = [f"{covered}/{total} lines, line-weighted over measured services"]
    evidence_lines += [f"{name}: not measured" for name in unmeasured]
    overall_record = GateRecord(
        gate="coverage", verdict=_verdict(overall is not None and overall >= policy.coverage_overall),
        value=overall if overall is not None else "not measured", threshold=policy.coverage_overall,
        evidence=evidence_lines,
    )
    return [overall_record, *records]


def lint_gate(policy: Gates, evidence: list[ServiceEvidence]) -> GateRecord:
    linted = [e for e in evidence if e.lint is not None or e.lint_reason]
    if not linted:
        return GateRecord(gate="lint", verdict=Verdict.NOT_RUN, threshold=policy.lint_max_errors,
                          evidence=["no lint step ran"])
    errors, lines = 0, []
    for e in linted:
        if e.lint is None:
            errors += 1
            lines.append(f"{e.service}: {e.lint_reason}")
            continue
        errors += e.lint.errors
        lines += [f"{e.service}: {i.path}{':' + str(i.line) if i.line else ''} {i.rule} {i.message}".rstrip()
                  for i in e.lint.issues if i.severity == "error"][:20]
    return GateRecord(gate="lint", verdict=_verdict(errors <= policy.lint_max_errors), value=errors,
                      threshold=policy.lint_max_errors, evidence=lines)


def not_run_gates(policy: Gates, reason: str) -> list[GateRecord]:
    thresholds = {"security_scans": "every required scanner scans", "critical_vulnerabilities": policy.critical_max,
                  "new_high_vulnerabilities": policy.new_high_max, "container_scan": "no critical CVEs",
                  "license_compliance": "no " + ", ".join(policy.license_deny)}
    return [GateRecord(gate=g, verdict=Verdict.NOT_RUN, threshold=thresholds[g], evidence=[reason])
            for g in SECURITY_GATES]


def performance_gate(policy: Gates) -> GateRecord:
    return GateRecord(gate="performance_regression", verdict=Verdict.NOT_RUN, blocking=False,
                      threshold=f"< {policy.perf_regression_max_percent:g}% (advisory)",
                      evidence=["no load-test summary in this run"])


def evaluate(policy: Gates, evidence: list[ServiceEvidence], security: list[GateRecord] | None,
             security_reason: str = "the security stage did not run") -> list[GateRecord]:
    """Every gate of the seed, in one list; `security` holds the security stage's gates when it ran."""
    return [
        build_gate(evidence),
        tests_gate(evidence),
        *coverage_gates(policy, evidence),
        lint_gate(policy, evidence),
        *(security if security is not None else not_run_gates(policy, security_reason)),
        performance_gate(policy),
    ]


def passed(records: list[GateRecord]) -> bool:
    """The pipeline passes when no blocking gate failed; `not_run` is shown, never counted as a pass."""
    return not any(r.blocking and r.verdict == Verdict.FAIL for r in records)
