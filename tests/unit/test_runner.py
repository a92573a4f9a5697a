import os
import sys
import time
from pathlib import Path

from voxguard_ci.adapters.runner import allowed_environment, run_command
from voxguard_ci.core.models import StepStatus

ENV = {"PATH": os.environ["PATH"]}


def test_streams_lines_and_returns_exit_code(tmp_path):
    lines = []
    result = run_command([sys.executable, "-c", "print('one'); print('two')"], cwd=tmp_path, env=ENV,
                         timeout=30, on_line=lines.append)
    assert lines == ["one", "two"]
    assert result.status == StepStatus.PASSED and result.exit_code == 0
    assert result.log_tail == ["one", "two"]


def test_nonzero_exit_is_failed_unless_allowed(tmp_path):
    argv = [sys.executable, "-c", "import sys; sys.exit(1)"]
    assert run_command(argv, cwd=tmp_path, env=ENV, timeout=30).status == StepStatus.FAILED
    assert run_command(argv, cwd=tmp_path, env=ENV, timeout=30, ok_codes=[0, 1]).status == StepStatus.PASSED


def test_missing_program_is_a_failed_step_with_reason(tmp_path):
    result = run_command(["cargo-that-does-not-exist", "build"], cwd=tmp_path, env=ENV, timeout=5)
    assert result.status == StepStatus.NOT_FOUND
    assert result.reason == "cargo-that-does-not-exist: not found on PATH"


def test_environment_is_exactly_the_allow_list(tmp_path):
    env = allowed_environment(["PATH"], {"STEP": "yes"}, source={"PATH": ENV["PATH"], "AWS_SECRET": "x"})
    lines = []
    run_command([sys.executable, "-c", "import os; print(sorted(k for k in os.environ if k != 'LC_CTYPE'))"],
                cwd=tmp_path, env=env, timeout=30, on_line=lines.append)
    assert lines == ["['PATH', 'STEP']"]


def test_secrets_are_masked_in_lines_tail_and_reason(tmp_path):
    lines = []
    result = run_command([sys.executable, "-c", "import sys; print('token=hunter22'); sys.exit(3)", "hunter22"],
                         cwd=tmp_path, env=ENV, timeout=30, on_line=lines.append, secrets=["hunter22"])
    assert lines == ["token=***"]
    assert "hunter22" not in result.model_dump_json()


def test_timeout_kills_the_whole_process_group(tmp_path):
    marker = tmp_path / "grandchild-survived"
    child = f"import time, pathlib; time.sleep(3); pathlib.Path({str(marker)!r}).touch()"
    script = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(60)"
    started = time.monotonic()
    result = run_command([sys.executable, "-c", script], cwd=tmp_path, env=ENV, timeout=1)
    assert result.status == StepStatus.TIMED_OUT
    assert time.monotonic() - started < 10
    time.sleep(3.5)
    assert not marker.exists()


def test_stdout_to_file_keeps_stderr_in_log(tmp_path):
    lines = []
    report = tmp_path / "reports" / "out.json"
    result = run_command([sys.executable, "-c", "import sys; print('{}'); print('warn', file=sys.stderr)"],
                         cwd=tmp_path, env=ENV, timeout=30, on_line=lines.append, stdout_path=report)
    assert result.status == StepStatus.PASSED
    assert report.read_text() == "{}\n"
    assert lines == ["warn"]


def test_relative_program_resolves_against_cwd(tmp_path):
    tool = tmp_path / "bin" / "tool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\necho from-tool\n")
    tool.chmod(0o755)
    lines = []
    result = run_command(["bin/tool"], cwd=tmp_path, env=ENV, timeout=30, on_line=lines.append)
    assert result.status == StepStatus.PASSED and lines == ["from-tool"]
    assert run_command(["bin/tool"], cwd=Path("/"), env=ENV, timeout=5).status == StepStatus.NOT_FOUND
