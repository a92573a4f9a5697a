"""Parsers against golden files of real tool output.

Each expected number is the one the tool itself printed when it wrote the file, as recorded in
tests/golden/NOTES-*.md next to the command and the tool's version; none was computed with the parser.
"""

from pathlib import Path

from voxguard_ci.core.parsers import parse_report, sniff

GOLDEN = Path(__file__).parents[1] / "golden"


def parsed(relative: str, format: str | None = None):
    text = (GOLDEN / relative).read_text(encoding="utf-8")
    format = format or sniff(text, str(GOLDEN / relative))
    return parse_report(format, text, relative)


def counts(report) -> tuple[int, int, int, int]:
    return report.passed, report.failed, report.skipped, report.errors


def outcome(report, name: str) -> str:
    (case,) = [case for case in report.cases if case.name == name]
    return case.outcome


# Extra goldens: edge cases made on throwaway code (NOTES-extra.md)


def test_go_test_json_with_subtests_a_panic_a_skip_and_a_build_failure():
    report = parsed("go-test-json/extra-failures.json", "go-test-json")
    assert counts(report) == (4, 3, 1, 1)
    assert {c.name for c in report.cases if c.outcome == "failed"} == {
        "TestAbs",
        "TestAbs/wrong",
        "TestPanics",
    }
    assert outcome(report, "example.com/extra/broken") == "error"
    assert "TestNeverRuns" not in {c.name for c in report.cases}
    (wrong,) = [c for c in report.cases if c.name == "TestAbs/wrong"]
    assert (wrong.classname, wrong.message) == (
        "example.com/extra/calc",
        "calc_test.go:14: Abs(2) = 2, want 5",
    )


def test_go_test_json_with_go_build_errors_as_plain_text():
    report = parsed("go-test-json/extra-buildtext.json", "go-test-json")
    assert counts(report) == (4, 3, 1, 1)
    (broken,) = [c for c in report.cases if c.outcome == "error"]
    assert (broken.name, broken.message) == ("example.com/extra/broken", "build failed")


def test_go_coverprofile_is_line_weighted():
    report = parsed("go-coverprofile/extra-calc.out", "go-coverprofile")
    assert (report.lines_covered, report.lines_total, report.percent) == (6, 15, 40.0)
    assert [f.path for f in report.files] == ["example.com/extra/calc/calc.go"]


def test_cargo_test_sums_every_section_and_keeps_panic_messages():
    report = parsed("cargo-test/extra-failures.txt", "cargo-test")
    assert counts(report) == (4, 3, 1, 0)
    assert len(report.cases) == 8
    messages = {c.name: c.message for c in report.cases if c.outcome == "failed"}
    assert messages == {
        "tests::prints_then_panics": "custom failure message",
        "tests::adds_wrong": "assertion `left == right` failed",
        "src/lib.rs - half (line 12)": "assertion `left == right` failed",
    }
    assert outcome(report, "tests::slow") == "skipped"


def test_cargo_test_counts_a_crashed_test_binary_as_an_error():
    report = parsed("cargo-test/extra-abort.txt", "cargo-test")
    assert counts(report) == (1, 0, 0, 1)
    (crash,) = [c for c in report.cases if c.outcome == "error"]
    assert crash.name == "unittests src/lib.rs"
    assert "SIGABRT" in crash.message
    assert not report.ok


def test_junit_from_pytest_with_setup_and_teardown_errors():
    report = parsed("junit/extra-pytest-edge.xml", "junit")
    # The <testsuite> attributes pytest wrote: tests=10 failures=2 errors=3 skipped=2.
    assert counts(report) == (10 - 2 - 3 - 2, 2, 2, 3)
    assert len(report.cases) == 10
    assert outcome(report, "test_setup_error") == "error"
    assert outcome(report, "test_xfail") == "skipped"
    twice = [c.outcome for c in report.cases if c.name == "test_fails_and_teardown_errors"]
    assert twice == ["failed", "error"]
    (fails,) = [c for c in report.cases if c.name == "test_fails"]
    assert (fails.classname, fails.message) == ("test_edge", "AssertionError: arithmetic is broken")


def test_ruff_json_every_violation_is_an_error():
    report = parsed("ruff-json/extra-violations.json", "ruff-json")
    assert (report.errors, report.warnings) == (5, 0)
    assert sorted(issue.rule for issue in report.issues) == [
        "E711",
        "F401",
        "F401",
        "invalid-syntax",
        "invalid-syntax",
    ]
    assert report.issues[0].path.endswith("bad.py") and report.issues[0].line == 1


def test_ruff_json_clean():
    report = parsed("ruff-json/extra-clean.json", "ruff-json")
    assert (report.errors, report.issues) == (0, [])


def test_lines_from_gofmt():
    report = parsed("lines/extra-gofmt-l.txt", "lines")
    assert report.errors == 2
    assert [issue.path for issue in report.issues] == ["main.go", "pkg/bad.go"]
    assert parsed("lines/extra-gofmt-clean.txt", "lines").errors == 0


# Rust and Go: the example's detection-engine and management-api (NOTES-rust-go.md)


def test_cargo_tarpaulin_output_of_the_detection_engine():
    report = parsed("cargo-test/detection-engine.txt")
    assert counts(report) == (29, 0, 0, 0)
    assert len(report.cases) == 29


def test_cargo_tarpaulin_output_with_a_failing_test():
    report = parsed("cargo-test/failing.txt")
    assert counts(report) == (28, 1, 0, 0)
    (failed,) = [c for c in report.cases if c.outcome == "failed"]
    assert failed.name == "engine::tests::verdict_thresholds"


def test_tarpaulin_cobertura_of_the_detection_engine():
    report = parsed("cobertura/tarpaulin-detection-engine.xml")
    assert (report.lines_covered, report.lines_total, report.percent) == (137, 151, 90.73)
    per_file = {Path(f.path).name: (f.lines_covered, f.lines_total) for f in report.files}
    assert per_file == {
        "cdr.rs": (18, 18),
        "config.rs": (18, 18),
        "engine.rs": (73, 73),
        "lib.rs": (28, 29),
        "main.rs": (0, 13),
    }


def test_go_test_json_of_the_management_api():
    report = parsed("go-test-json/management-api.jsonl")
    assert counts(report) == (17, 0, 0, 0)
    assert sum("/" in c.name for c in report.cases) == 3  # the subtests of TestRuleValidation


def test_go_test_json_with_a_failing_test():
    report = parsed("go-test-json/failing.jsonl")
    assert counts(report) == (16, 1, 0, 0)
    (failed,) = [c for c in report.cases if c.outcome == "failed"]
    assert failed.name == "TestRulesAreSortedNumerically"
    assert failed.classname.endswith("/internal/registry")


def statements(text: str) -> tuple[int, int]:
    """(covered, total) statements, as `go tool cover -func` counts them: to check the golden, not the parser."""
    covered = total = 0
    for line in text.splitlines()[1:]:
        stmts, count = (int(field) for field in line.split()[-2:])
        total += stmts
        covered += stmts if count else 0
    return covered, total


def test_go_coverprofile_of_the_management_api():
    text = (GOLDEN / "go-coverprofile/management-api.out").read_text()
    covered, total = statements(text)
    assert (len(text.splitlines()) - 1, round(100 * covered / total, 1)) == (114, 95.2)  # what go printed
    report = parsed("go-coverprofile/management-api.out")
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["main.go"].lines_covered == 0  # main: 0.0% of statements
    for name in ("api.go", "registry.go"):  # 100.0% of statements: every line is covered
        assert by_name[name].lines_covered == by_name[name].lines_total > 0
    assert 0 < by_name["server.go"].lines_covered < by_name["server.go"].lines_total  # Run: 93.8%
    assert 90 < report.percent < 100 and report.percent != 95.2  # lines, not statements


# Python and TypeScript: the example's processing-service and web (NOTES-python-web.md)


def test_pytest_junit_of_the_processing_service():
    report = parsed("junit/pytest-processing-service.xml")
    assert counts(report) == (39, 0, 0, 0)


def test_pytest_junit_with_a_failure_a_skip_and_an_error():
    report = parsed("junit/pytest-failing.xml")
    assert counts(report) == (16, 1, 1, 1)
    assert (
        outcome(report, "test_valid_numbers_become_e164[0800 123 4567-GB-+448001234567-premium_rate]")
        == "failed"
    )
    assert outcome(report, "test_home_network_lookup") == "error"
    assert outcome(report, "test_ported_number_lookup") == "skipped"


def test_vitest_junit_of_the_web_package():
    report = parsed("junit/vitest-web.xml")
    assert counts(report) == (26, 0, 0, 0)
    assert len({c.classname for c in report.cases}) == 4  # four test files


def test_coveragepy_cobertura_counts_lines_not_branches():
    assert parsed("cobertura/coveragepy-processing-service.xml").model_dump(exclude={"files"}) == {
        "lines_covered": 324,
        "lines_total": 324,
        "percent": 100.0,
    }
    report = parsed("cobertura/coveragepy-failing.xml")
    # lines-covered="144" lines-valid="324"; coverage.py's own 39.69% also counts the 64 branches.
    assert (report.lines_covered, report.lines_total, report.percent) == (144, 324, 44.44)
    assert len(report.files) == 7


def test_vitest_lcov_of_the_web_package():
    report = parsed("lcov/vitest-web.info")
    assert (report.lines_covered, report.lines_total) == (261, 268)
    per_file = {f.path: round(100 * f.lines_covered / f.lines_total, 2) for f in report.files}
    assert per_file == {
        "src/format.ts": 100,
        "src/index.ts": 100,
        "src/main.ts": 85.71,
        "src/render.ts": 100,
        "src/summary.ts": 98.36,
    }


def test_vitest_istanbul_summary_of_the_web_package():
    report = parsed("istanbul-summary/vitest-web.json")
    assert (report.lines_covered, report.lines_total, len(report.files)) == (261, 268, 5)
    # vitest printed 97.38%: istanbul truncates to two decimals, the model rounds 97.388... to 97.39.
    assert report.percent == 97.39


def test_eslint_json_with_errors_warnings_and_a_parse_error():
    report = parsed("eslint-json/web.json")
    assert (report.errors, report.warnings) == (6, 1)
    (warning,) = [i for i in report.issues if i.severity == "warning"]
    assert (Path(warning.path).name, warning.rule) == ("legacy.ts", "no-console")
    (fatal,) = [i for i in report.issues if Path(i.path).name == "syntax.ts"]
    assert (fatal.rule, fatal.severity, fatal.message) == ("", "error", "Parsing error: ')' expected.")


def test_eslint_json_clean():
    report = parsed("eslint-json/web-clean.json")
    assert (report.errors, report.warnings, report.issues) == (0, 0, [])


def test_ruff_json_of_a_broken_processing_service():
    report = parsed("ruff-json/processing-service.json")
    assert report.errors == 11
    rules = sorted(issue.rule for issue in report.issues)
    assert rules == sorted(
        ["E501", "E711", "E722", "F401", "F821", "F841", "I001", "SIM105", "SIM114", "UP006", "UP035"]
    )


def test_ruff_json_clean_is_told_apart_by_its_path():
    report = parsed("ruff-json/clean.json")
    assert (report.errors, report.issues) == (0, [])
