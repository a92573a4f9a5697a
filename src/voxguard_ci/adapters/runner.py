"""The one way this project starts a process: argv lists, never a shell.

`run_command` streams output line by line to a callback, masks secret values, enforces a timeout by killing
the whole process group, and always returns a CommandResult: a missing program or a timeout is a failed
result with a reason, not an exception.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from voxguard_ci.core.models import CommandResult, StepStatus

TAIL_LINES = 40
KILL_GRACE_SECONDS = 5.0
MASK = "***"


class SecretMasker:
    """Replaces every configured secret value with ***; values shorter than 4 characters are not secrets."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._values = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, MASK)
        return text


def allowed_environment(allow: Iterable[str], extra: Mapping[str, str] | None = None,
                        source: Mapping[str, str] | None = None) -> dict[str, str]:
    source = os.environ if source is None else source
    env = {name: source[name] for name in allow if name in source}
    env.update(extra or {})
    return env


def find_program(program: str, cwd: Path, env: Mapping[str, str]) -> str | None:
    if os.sep in program:
        candidate = Path(program) if Path(program).is_absolute() else cwd / program
        return str(candidate) if os.access(candidate, os.X_OK) and candidate.is_file() else None
    return shutil.which(program, path=env.get("PATH", ""))


def _pump(stream: IO[bytes], sink: Callable[[str], None]) -> None:
    for raw in iter(stream.readline, b""):
        sink(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
    stream.close()


def _feed(proc: subprocess.Popen[bytes], data: bytes) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
    except BrokenPipeError:
        pass
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, KILL_GRACE_SECONDS), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_command(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    on_line: Callable[[str], None] = lambda line: None,
    secrets: Iterable[str] = (),
    stdout_path: Path | None = None,
    ok_codes: Iterable[int] = (0,),
    stdin: bytes | None = None,
) -> CommandResult:
    """Run `argv` in `cwd` with exactly `env`; stdout goes to `stdout_path` when given, else to the log.

    `stdin`, when given, is written to the process's standard input (for secrets that must not be in argv).
    """
    argv = list(argv)
    mask = SecretMasker(secrets)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    started = time.monotonic()

    def log(line: str) -> None:
        line = mask(line)
        tail.append(line)
        on_line(line)

    def result(status: StepStatus, exit_code: int | None, reason: str = "") -> CommandResult:
        return CommandResult(argv=[mask(a) for a in argv], exit_code=exit_code, status=status,
                             duration=round(time.monotonic() - started, 3), log_tail=list(tail),
                             reason=mask(reason))

    program = find_program(argv[0], cwd, env)
    if program is None:
        return result(StepStatus.NOT_FOUND, None, f"{argv[0]}: not found on PATH")
    if not cwd.is_dir():
        return result(StepStatus.FAILED, None, f"{cwd}: working directory does not exist")

    out_file = None
    if stdout_path is not None:
        stdout_path.parent.mkdir(parents=True, exist_ok=True)
        out_file = stdout_path.open("wb")
    try:
        proc = subprocess.Popen(
            [program, *argv[1:]], cwd=cwd, env=dict(env),
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=out_file or subprocess.PIPE,
            stderr=subprocess.PIPE if out_file else subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        if out_file:
            out_file.close()
        return result(StepStatus.FAILED, None, f"{argv[0]}: cannot start: {exc.strerror}")

    pipe = proc.stderr if out_file else proc.stdout
    assert pipe is not None
    reader = threading.Thread(target=_pump, args=(pipe, log), daemon=True)
    reader.start()
    try:
        if stdin is not None:
            _feed(proc, stdin)
        proc.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        timed_out = True
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        reader.join(timeout=KILL_GRACE_SECONDS)
        if out_file:
            out_file.close()

    if timed_out:
        return result(StepStatus.TIMED_OUT, proc.returncode,
                      f"{argv[0]}: timed out after {timeout:g} s; its process group was killed")
    if proc.returncode in set(ok_codes):
        return result(StepStatus.PASSED, proc.returncode)
    return result(StepStatus.FAILED, proc.returncode, f"{argv[0]}: exited with code {proc.returncode}")
