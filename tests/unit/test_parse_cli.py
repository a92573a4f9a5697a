"""`voxguard-ci parse REPORT`: exit codes, the JSON contract, and one-line errors without a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voxguard_ci.cli import main
from voxguard_ci.core.parsers import FORMATS

GOLDEN = Path(__file__).parents[1] / "golden"
SRC = Path(__file__).parents[2] / "src"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["parse", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_tool_kind_then_the_model_fields(capsys):
    code, out, err = run(capsys, str(GOLDEN / "go-coverprofile/extra-calc.out"), "--format", "json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert list(data) == ["tool", "kind", "lines_covered", "lines_total", "percent", "files"]
    assert (data["tool"], data["kind"], data["percent"]) == ("go-coverprofile", "coverage", 40.0)


def test_json_of_a_test_report(capsys):
    code, out, _ = run(capsys, str(GOLDEN / "cargo-test/extra-failures.txt"), "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["tool", "kind", "passed", "failed", "skipped", "errors", "cases"]
    assert (data["tool"], data["kind"], data["passed"], data["failed"]) == ("cargo-test", "tests", 4, 3)
    assert set(data["cases"][0]) == {"name", "classname", "outcome", "duration", "message"}


def test_json_of_a_lint_report_needs_the_tool_named(capsys):
    code, out, _ = run(capsys, str(GOLDEN / "lines/extra-gofmt-l.txt"), "--tool", "lines", "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["tool", "kind", "errors", "warnings", "issues"]
    assert (data["tool"], data["kind"], data["errors"]) == ("lines", "lint", 2)


def test_text_is_a_short_summary(capsys):
    code, out, _ = run(capsys, str(GOLDEN / "go-test-json/extra-failures.json"))
    assert code == 0
    assert out.splitlines()[0] == "go-test-json: 4 passed, 3 failed, 1 skipped, 1 errors"
    assert "  FAILED example.com/extra/calc::TestAbs/wrong: calc_test.go:14: Abs(2) = 2, want 5" in out
    assert "  ERROR example.com/extra/broken: build failed" in out


def test_text_of_coverage(capsys):
    _, out, _ = run(capsys, str(GOLDEN / "go-coverprofile/extra-calc.out"))
    assert out == "go-coverprofile: 40.0% of lines covered (6/15) in 1 files\n"


def test_tool_overrides_sniffing_and_rejects_unknown_names(capsys):
    report = str(GOLDEN / "ruff-json/extra-clean.json")
    assert json.loads(run(capsys, report, "--tool", "eslint-json", "--json")[1])["tool"] == "eslint-json"
    with pytest.raises(SystemExit) as exited:
        main(["parse", report, "--tool", "nunit"])
    assert exited.value.code == 2
    assert "invalid choice: 'nunit'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "empty report"),
        ("<testsuites><testsuite>", "not valid XML at line 1, column 23: no element found"),
        ("main.go\n", "cannot tell the report format"),
        (b"\xff\xfe<\x00x\x00", "not UTF-8 text (byte 0)"),
    ],
)
def test_bad_reports_exit_2_with_one_line(capsys, tmp_path, content, expected):
    report = tmp_path / "report.xml"
    if isinstance(content, bytes):
        report.write_bytes(content)
    elif content is not None:
        report.write_text(content)
    code, out, err = run(capsys, str(report))
    assert (code, out) == (2, "")
    assert err.startswith(f"voxguard-ci: {report}: {expected}")
    assert err.count("\n") == 1


def test_a_directory_is_not_a_report(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2
    assert err == f"voxguard-ci: {tmp_path}: is a directory, expected a report file\n"


def test_a_named_format_that_does_not_fit_names_the_problem(capsys):
    code, _, err = run(capsys, str(GOLDEN / "junit/extra-pytest-edge.xml"), "--tool", "cobertura")
    assert code == 2
    assert err.endswith(
        "extra-pytest-edge.xml: expected a Cobertura <coverage> root element, got <testsuites>\n"
    )


def test_every_format_is_a_tool_choice(capsys):
    with pytest.raises(SystemExit):
        main(["parse", "--help"])
    help_text = "".join(capsys.readouterr().out.split())  # argparse may wrap inside hyphenated names
    assert ",".join(sorted(FORMATS)) in help_text


def python_m(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "voxguard_ci", "parse", *argv],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


def test_as_a_process_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = python_m("missing/junit.xml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "voxguard-ci: missing/junit.xml: no such file\n"
    assert "Traceback" not in result.stderr
