from voxguard_ci.core.config import Gates
from voxguard_ci.core.gates import ServiceEvidence, evaluate, passed
from voxguard_ci.core.models import (
    CoverageReport,
    FileCoverage,
    LintIssue,
    LintReport,
    TestCase,
    TestReport,
    Verdict,
)

REASON = "security stage not run"


def cov(covered: int, total: int) -> CoverageReport:
    return CoverageReport.from_files([FileCoverage(path="a", lines_covered=covered, lines_total=total)])


def healthy(name: str, covered: int = 90, total: int = 100, minimum: float = 80) -> ServiceEvidence:
    return ServiceEvidence(service=name, build_ok=True, tests=TestReport(passed=3), coverage=cov(covered, total),
                           coverage_minimum=minimum, lint=LintReport())


def by_gate(records):
    return {r.gate: r for r in records}


def test_all_healthy_passes_and_security_gates_are_not_run():
    records = by_gate(evaluate(Gates(), [healthy("a"), healthy("b")], None, REASON))
    assert records["build"].verdict == Verdict.PASS and records["build"].value == "2/2"
    assert records["coverage"].verdict == Verdict.PASS and records["coverage"].value == 90.0
    for gate in ("security_scans", "critical_vulnerabilities", "new_high_vulnerabilities", "container_scan", "license_compliance"):
        assert records[gate].verdict == Verdict.NOT_RUN and records[gate].evidence == [REASON]
    assert records["performance_regression"].blocking is False
    assert passed(list(records.values()))


def test_overall_coverage_is_line_weighted_not_an_average():
    # 95/100 and 300/500: the average of percentages is 77.5, the line-weighted figure is 65.83.
    records = by_gate(evaluate(Gates(), [healthy("a", 95, 100, 50), healthy("b", 300, 500, 50)], None, REASON))
    assert records["coverage"].value == 65.83
    assert records["coverage"].verdict == Verdict.FAIL
    assert records["coverage:a"].verdict == Verdict.PASS


def test_service_below_its_own_minimum_fails_even_when_overall_passes():
    records = by_gate(evaluate(Gates(), [healthy("a", 990, 1000), healthy("b", 84, 100, minimum=85)], None, REASON))
    assert records["coverage"].verdict == Verdict.PASS
    assert records["coverage:b"].verdict == Verdict.FAIL
    assert not passed(list(records.values()))


def test_unmeasured_coverage_is_never_zero_and_never_a_pass():
    unmeasured = ServiceEvidence(service="rust", build_ok=True, tests=TestReport(passed=1),
                                 coverage=CoverageReport(), coverage_minimum=85, lint=LintReport())
    records = by_gate(evaluate(Gates(), [healthy("a"), unmeasured], None, REASON))
    assert records["coverage:rust"].value == "not measured"
    assert records["coverage:rust"].verdict == Verdict.FAIL
    assert records["coverage"].value == 90.0  # the unmeasured service does not drag the figure to 0
    assert "rust: not measured" in records["coverage"].evidence


def test_failed_build_and_tests_and_lint_fail_with_evidence():
    broken = ServiceEvidence(service="b", build_ok=False, build_reason="cargo: exited with code 101",
                             coverage_minimum=80, tests_reason="skipped: the build failed",
                             lint_reason="lint did not run: the build failed")
    failing_tests = healthy("t")
    failing_tests.tests = TestReport(passed=2, failed=1, cases=[TestCase(name="scores", outcome="failed")])
    dirty = healthy("l")
    dirty.lint = LintReport(errors=2, warnings=5, issues=[LintIssue(path="x.ts", line=3, rule="no-var", message="m")])
    records = by_gate(evaluate(Gates(), [broken, failing_tests, dirty], None, REASON))
    assert records["build"].verdict == Verdict.FAIL and records["build"].evidence == ["b: cargo: exited with code 101"]
    assert records["tests"].verdict == Verdict.FAIL
    assert "t: scores failed" in records["tests"].evidence
    assert any(line.startswith("b: no test report") for line in records["tests"].evidence)
    assert records["lint"].value == 3  # two errors, plus one lint that could not run
    assert records["lint"].verdict == Verdict.FAIL


def test_a_report_without_tests_is_not_a_pass():
    empty = healthy("e")
    empty.tests = TestReport()
    assert by_gate(evaluate(Gates(), [empty], None, REASON))["tests"].verdict == Verdict.FAIL


def test_warnings_do_not_fail_lint():
    noisy = healthy("n")
    noisy.lint = LintReport(errors=0, warnings=12)
    assert by_gate(evaluate(Gates(), [noisy], None, REASON))["lint"].verdict == Verdict.PASS


def test_without_a_report_the_exit_status_decides():
    clean = ServiceEvidence(service="c", build_ok=True, tests_step_ok=True)
    broken = ServiceEvidence(service="b", build_ok=True, tests_step_ok=False, tests_reason="pytest: exited with code 1")
    assert by_gate(evaluate(Gates(), [clean], None, REASON))["tests"].verdict == Verdict.PASS
    record = by_gate(evaluate(Gates(), [clean, broken], None, REASON))["tests"]
    assert record.verdict == Verdict.FAIL
    assert record.evidence == ["b: no test report (pytest: exited with code 1)"]
