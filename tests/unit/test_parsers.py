"""The parser registry, format sniffing, and what each parser says about input it cannot read.

Golden files of real tool output are checked in test_parsers_golden.py; here the inputs are broken on
purpose, most of them cut from those golden files.
"""

from pathlib import Path

import pytest

from voxguard_ci.core import models
from voxguard_ci.core.parsers import FORMATS, parse_report, sniff
from voxguard_ci.core.parsers.security_code import CODE_FORMATS
from voxguard_ci.core.parsers.security_deps import DEPENDENCY_FORMATS
from voxguard_ci.errors import ReportError, UserError

GOLDEN = Path(__file__).parents[1] / "golden"


def golden(relative: str) -> str:
    return (GOLDEN / relative).read_text(encoding="utf-8")


def error_of(format: str, text: str, source: str = "report.out") -> str:
    with pytest.raises(ReportError) as caught:
        parse_report(format, text, source)
    return str(caught.value)


# The registry


def test_the_registry_names_every_format_with_its_kind():
    kinds = {name: kind for name, (kind, _) in FORMATS.items()}
    security = {name: kind for name, kind in kinds.items() if kind in ("findings", "sbom")}
    assert security == {**{name: "findings" for name in CODE_FORMATS},
                        **{name: kind for name, (kind, _) in DEPENDENCY_FORMATS.items()}}
    assert {name: kind for name, kind in kinds.items() if name not in security} == {
        "junit": "tests",
        "go-test-json": "tests",
        "cargo-test": "tests",
        "cobertura": "coverage",
        "go-coverprofile": "coverage",
        "lcov": "coverage",
        "istanbul-summary": "coverage",
        "eslint-json": "lint",
        "ruff-json": "lint",
        "lines": "lint",
    }


def test_each_kind_returns_its_model():
    model_of = {"tests": models.TestReport, "coverage": models.CoverageReport, "lint": models.LintReport}
    samples = {
        "junit": '<testsuite name="s"><testcase name="t"/></testsuite>',
        "go-test-json": '{"Action":"pass","Package":"p","Test":"T"}',
        "cargo-test": "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
        "cobertura": "<coverage><packages/></coverage>",
        "go-coverprofile": "mode: set\n",
        "lcov": "SF:a.js\nDA:1,1\nend_of_record\n",
        "istanbul-summary": '{"total": {"lines": {"total": 0, "covered": 0}}}',
        "eslint-json": "[]",
        "ruff-json": "[]",
        "lines": "a.go\n",
    }
    for name, (kind, _) in FORMATS.items():
        if kind in model_of:
            assert isinstance(parse_report(name, samples[name], "x"), model_of[kind]), name


def test_report_errors_are_user_errors_that_exit_2():
    assert issubclass(ReportError, UserError)
    assert ReportError("x").exit_code == 2


def test_an_unknown_format_lists_the_supported_ones():
    message = error_of("nunit", "<x/>")
    assert message.startswith("report.out: unknown report format 'nunit'")
    assert "cobertura" in message and "ruff-json" in message


@pytest.mark.parametrize("format", sorted(set(FORMATS) - {"lines"}))
@pytest.mark.parametrize("text", ["", "  \n\t\n"])
def test_an_empty_or_blank_report_is_named_so(format, text):
    assert error_of(format, text, "out/report.xml") == "out/report.xml: empty report"


def test_blank_output_of_a_lines_tool_is_a_clean_result():
    report = parse_report("lines", "", "gofmt.txt")
    assert (report.errors, report.issues) == (0, [])


def test_errors_are_prefixed_with_the_source_exactly_once():
    message = error_of("cobertura", "<coverage>", "build/coverage.xml")
    assert message.startswith("build/coverage.xml: not valid XML at line 1")
    assert message.count("build/coverage.xml") == 1


# Sniffing: the content decides


GOLDEN_FILES = sorted(
    p.relative_to(GOLDEN).as_posix() for p in GOLDEN.glob("*/*") if p.is_file() and p.parent.name in FORMATS
)


def test_there_are_golden_files_of_every_format():
    assert {relative.split("/")[0] for relative in GOLDEN_FILES} == set(FORMATS)


@pytest.mark.parametrize("relative", [r for r in GOLDEN_FILES if not r.startswith("lines/")])
def test_sniff_recognises_every_real_output(relative):
    """Each golden file lies in a folder named after its format; `lines` cannot be sniffed."""
    assert sniff(golden(relative), str(GOLDEN / relative)) == relative.split("/")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<testsuites><testsuite name="a"/></testsuites>', "junit"),
        ('<testsuite name="a" tests="0"/>', "junit"),
        ('<?xml version="1.0" ?>\n<coverage version="7"><packages/></coverage>', "cobertura"),
        ("mode: atomic\nx.go:1.1,2.2 1 0\n", "go-coverprofile"),
        ("TN:\nSF:src/a.ts\nDA:1,0\nend_of_record\n", "lcov"),
        ("SF:src/a.ts\nend_of_record\n", "lcov"),
        ('{"total": {"lines": {"total": 1, "covered": 1, "skipped": 0, "pct": 100}}}', "istanbul-summary"),
        ('[{"filePath": "/a.js", "messages": [], "errorCount": 0}]', "eslint-json"),
        ('[{"code": "F401", "filename": "a.py", "message": "m", "location": {"row": 1}}]', "ruff-json"),
        ("go: downloading x v1\n" + '{"Action":"start","Package":"p"}\n', "go-test-json"),
        ("   Compiling x\n\nrunning 1 test\ntest a ... ok\n", "cargo-test"),
    ],
)
def test_sniff_reads_the_content(text, expected):
    assert sniff(text, "whatever.txt") == expected


def test_the_file_name_only_breaks_the_tie_of_an_empty_json_array():
    assert sniff("[]", "eslint-report.json") == "eslint-json"
    assert sniff("[]\n", "ruff.json") == "ruff-json"
    with pytest.raises(ReportError, match="empty JSON array.*pass --tool with one of: bandit-json"):
        sniff("[]", "lint.json")
    assert sniff(golden("junit/extra-pytest-edge.xml"), "lcov.info") == "junit"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("main.go\npkg/bad.go\n", "looks like none of the supported formats"),
        ("<html><body/></html>", "root element <html>"),
        ('{"results": []}', "JSON document of a shape"),
        ('[{"file": "a"}]', "JSON document of a shape"),
    ],
)
def test_sniff_lists_the_formats_when_it_cannot_tell(text, problem):
    with pytest.raises(ReportError) as caught:
        sniff(text, "report.txt")
    message = str(caught.value)
    assert problem in message
    assert "pass --tool with one of: " + ", ".join(sorted(FORMATS)) in message


def test_sniff_reports_broken_xml_and_json_as_such():
    with pytest.raises(ReportError, match="not valid XML at line 2"):
        sniff('<?xml version="1.0"?>\n<testsuites><testsuite>', "junit.xml")
    with pytest.raises(ReportError, match="not valid JSON at line 1"):
        sniff('[{"filePath": "/a.js", "messages": [', "eslint.json")
    with pytest.raises(ReportError, match="empty report"):
        sniff(" \n", "x")


# Malformed input, format by format


def test_junit_truncated_xml_names_the_line():
    text = golden("junit/extra-pytest-edge.xml")
    assert "not valid XML at line" in error_of("junit", text[: len(text) // 2])


def test_junit_wrong_root_is_named():
    assert error_of("junit", "<coverage/>").endswith(
        "expected a JUnit <testsuites> or <testsuite> root element, got <coverage>"
    )


def test_junit_testcase_without_name():
    assert "no name attribute" in error_of("junit", '<testsuite><testcase classname="x"/></testsuite>')


def test_go_test_json_truncated_last_event():
    text = golden("go-test-json/extra-failures.json").rstrip("\n")
    message = error_of("go-test-json", text[:-20])
    assert f"line {text.count(chr(10)) + 1} is not a complete JSON event" in message


def test_go_test_json_without_any_event_is_an_error():
    assert "no test events and no package result" in error_of("go-test-json", "PASS\nok  \tpkg\t0.1s\n")
    assert "no test events" in error_of("go-test-json", '{"Action":"start","Package":"p"}\n')


def test_go_test_json_wrong_shape():
    assert "line 2: expected a go test event object with an Action, got an object without Action" in error_of(
        "go-test-json", '{"Action": "start", "Package": "p"}\n{"Test": "T"}'
    )
    assert "no test events and no package result" in error_of("go-test-json", "[1, 2]")


def test_cargo_test_truncated_section():
    text = golden("cargo-test/extra-failures.txt")
    cut = text[: text.index("test result:")]
    assert "have no 'test result:' line: the output is truncated" in error_of("cargo-test", cut)


def test_cargo_test_text_without_libtest_lines():
    assert "no libtest output" in error_of(
        "cargo-test", "   Compiling x v0.1.0\nerror[E0308]: mismatched types\n"
    )


def test_cargo_test_result_without_section():
    text = "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"
    assert "line 1: 'test result:' without a 'running N tests' line" in error_of("cargo-test", text)


def test_cobertura_truncated_and_wrong_root():
    assert "not valid XML at line 3" in error_of("cobertura", '<?xml version="1.0"?>\n<coverage>\n<packages>')
    assert "expected a Cobertura <coverage> root element, got <testsuites>" in error_of(
        "cobertura", "<testsuites/>"
    )


def test_cobertura_bad_line_and_class():
    bad_hits = (
        '<coverage><packages><package><classes><class filename="a.py"><lines><line number="1" hits="x"/>'
    )
    bad_hits += "</lines></class></classes></package></packages></coverage>"
    assert "a <line> element has hits='x', expected a whole number" in error_of("cobertura", bad_hits)
    no_file = (
        '<coverage><packages><package><classes><class name="a"/></classes></package></packages></coverage>'
    )
    assert "<class name='a'> element has no filename attribute" in error_of("cobertura", no_file)


def test_go_coverprofile_without_mode_line_and_with_bad_block():
    text = golden("go-coverprofile/extra-calc.out")
    body = text.split("\n", 1)[1]
    assert "expected a first line 'mode: set|count|atomic', got 'example.com" in error_of(
        "go-coverprofile", body
    )
    assert "line 3: expected 'file:line.col,line.col statements count'" in error_of(
        "go-coverprofile", text.replace(" 1 0\n", " one 0\n", 1)
    )
    assert "block ends at line 1, before it starts at line 5" in error_of(
        "go-coverprofile", "mode: set\na.go:5.1,1.2 1 1"
    )


def test_go_coverprofile_truncated_mid_block():
    text = golden("go-coverprofile/extra-calc.out")
    assert "line 10: expected 'file:line.col" in error_of("go-coverprofile", text[: text.rindex(" 1 0")])


def test_lcov_malformed_records():
    assert "has no end_of_record: the file is truncated" in error_of("lcov", "SF:a.js\nDA:1,1\n")
    assert "line 2: expected DA:line,hits with whole numbers, got '1'" in error_of("lcov", "SF:a.js\nDA:1\n")
    assert "line 1: DA: outside a record" in error_of("lcov", "DA:1,1\n")
    assert "line 3: SF:b.js starts before the record for a.js has ended" in error_of(
        "lcov", "SF:a.js\nDA:1,1\nSF:b.js\n"
    )
    assert "line 1: end_of_record without an SF: line" in error_of("lcov", "end_of_record\n")
    assert "no SF: records" in error_of("lcov", "TN:\n")


def test_istanbul_summary_malformed():
    assert "not valid JSON at line 1" in error_of("istanbul-summary", '{"total": {"lines": {"total": 3')
    assert "expected a JSON object of istanbul coverage summaries, got array" in error_of(
        "istanbul-summary", "[]"
    )
    assert 'with a "total" key' in error_of(
        "istanbul-summary", '{"a.js": {"lines": {"total": 1, "covered": 1}}}'
    )
    assert '"a.js": expected {"lines"' in error_of(
        "istanbul-summary", '{"total": {"lines": {"total": 1, "covered": 1}}, "a.js": {"lines": "all"}}'
    )


def test_istanbul_summary_that_disagrees_with_its_total():
    text = (
        '{"total": {"lines": {"total": 10, "covered": 9}},'
        ' "a.js": {"lines": {"total": 4, "covered": 2}}, "b.js": {"lines": {"total": 6, "covered": 6}}}'
    )
    assert 'the files\' lines add up to 8/10 covered, but "total" says 9/10' in error_of(
        "istanbul-summary", text
    )


def test_eslint_json_malformed():
    assert "expected a JSON array of eslint file results, got object" in error_of("eslint-json", '{"a": 1}')
    assert "item 0: expected an eslint file result" in error_of("eslint-json", '[{"filePath": "a.js"}]')
    assert "expected messages with severity 1 or 2" in error_of(
        "eslint-json", '[{"filePath": "a.js", "messages": [{"severity": 0, "message": "off"}]}]'
    )
    assert "not valid JSON at line 1, column 14: Expecting value" in error_of("eslint-json", '[{"filePath":')


def test_ruff_json_malformed():
    text = golden("ruff-json/extra-violations.json")
    assert "not valid JSON at line" in error_of("ruff-json", text[: len(text) // 2])
    assert error_of("ruff-json", '{"violations": []}').endswith(
        "expected a JSON array of ruff violations, got object"
    )
    assert "item 1: expected a ruff violation with filename and message" in error_of(
        "ruff-json", '[{"filename": "a.py", "message": "m"}, "F401"]'
    )


# Robustness: any prefix of a real output either parses or is a ReportError, never a crash


@pytest.mark.parametrize("relative", GOLDEN_FILES)
def test_every_prefix_parses_or_raises_a_report_error(relative):
    text, format = golden(relative), relative.split("/")[0]
    for end in range(0, len(text), max(1, len(text) // 97)):
        try:
            parse_report(format, text[:end], "cut")
        except ReportError:
            pass
