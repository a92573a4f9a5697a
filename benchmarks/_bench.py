"""Shared helpers for the benchmark scripts (not a benchmark itself).

Every script gets a fresh temporary directory holding its VOXGUARD_CI_HOME and its repository copies, starts
the reused Prefect server once before any timing, and stops it and deletes everything at the end.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "voxguard"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import BUILD_LEFTOVERS  # one list of build leftovers for the tests and the benchmarks


def cli() -> list[str]:
    exe = shutil.which("voxguard-ci")
    return [exe] if exe else [sys.executable, "-m", "voxguard_ci"]


_noted_security = False


def copy_example(dest: Path) -> Path:
    """Copy the example without build leftovers. The benchmarks measure build, test and lint (the steps the
    Makefile and the direct runs mirror), so a `security:` section (scanners) is left out of the copy's config,
    with a note printed once, and runs build no images (`--no-images`)."""
    global _noted_security
    shutil.copytree(EXAMPLE, dest, ignore=BUILD_LEFTOVERS, symlinks=True)
    config = dest / "voxguard-ci.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "security" in data:
        scanners = len((data.pop("security") or {}).get("scanners") or [])
        config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        if not _noted_security:
            _noted_security = True
            print(
                f"[setup] note: the example's `security:` section ({scanners} scanners) is left out of the copies' "
                "voxguard-ci.yaml; these benchmarks measure build/test/lint only"
            )
    return dest


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _rmtree(path: Path) -> None:
    def onerror(func, name, _exc):  # read-only files (e.g. Go's module files) need write permission first
        try:
            os.chmod(name, stat.S_IRWXU)
            func(name)
        except OSError:
            pass

    shutil.rmtree(path, onerror=onerror)


@dataclass
class Timed:
    seconds: float
    cpu: float  # user + system seconds of the process and the descendants it waited for
    returncode: int
    stdout: str
    started: float = 0.0  # epoch seconds, to place the run's log timestamps
    ended: float = 0.0
    log: Path | None = None  # where its stderr went
    drain: float = 0.0  # seconds the server stayed busy after a `voxguard-ci run` returned


def timed(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    log: Path | None = None,
    stdout_path: Path | None = None,
    check: bool = True,
) -> Timed:
    """Run argv (sequentially: CPU figures come from RUSAGE_CHILDREN deltas) and time its wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = log.open("ab") if log else subprocess.DEVNULL
    out = stdout_path.open("wb") if stdout_path else subprocess.PIPE
    try:
        started = time.time()
        start = time.perf_counter()
        proc = subprocess.run(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=False
        )
        seconds = time.perf_counter() - start
        ended = time.time()
    finally:
        if log:
            err.close()
        if stdout_path:
            out.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = proc.stdout.decode("utf-8", errors="replace") if proc.stdout is not None else ""
    if check and proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-40:] if log and log.exists() else []
        raise SystemExit(f"FAILED ({proc.returncode}): {' '.join(argv)} in {cwd}\n" + "\n".join(tail))
    return Timed(seconds, cpu, proc.returncode, text, started, ended, log)


def _group_cpu_seconds(pgid: int) -> float | None:
    """CPU seconds (user + system) of every live process in process group `pgid`; None when none is left."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "(comm)": state ppid pgrp ... utime(12) stime(13)
            found = True
            total += int(fields[11]) + int(fields[12])
    return total / ticks if found else None


class Bench:
    """A temp dir with its own VOXGUARD_CI_HOME and a started server; `with Bench("name") as b:`."""

    def __init__(self, name: str, max_parallel: int | None = 2) -> None:
        self.name = name
        self.max_parallel = max_parallel

    def __enter__(self) -> Self:
        self.tmp = Path(tempfile.mkdtemp(prefix=f"voxguard-bench-{self.name}-"))
        self.home = self.tmp / "voxguard-ci-home"
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        env = {
            k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VOXGUARD_CI_MAX_PARALLEL")
        }
        env["VOXGUARD_CI_HOME"] = str(self.home)
        if self.max_parallel:
            env["VOXGUARD_CI_MAX_PARALLEL"] = str(self.max_parallel)
        self.env = env
        self._runs = 0
        try:
            started = timed(
                [*cli(), "server", "start", "--json"],
                cwd=self.tmp,
                env=env,
                log=self.logs / "server-start.log",
            )
            self.server_url = json.loads(started.stdout)["url"]
            # the server runs in its own session (process group = its pid), recorded in its state file
            self.server_pid = json.loads((self.home / "stack" / "prefect-server.json").read_text())["pid"]
            print(
                f"[setup] Prefect server started for this benchmark in {started.seconds:.1f} s "
                f"({self.server_url}); VOXGUARD_CI_HOME={self.home}"
            )
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup()

    def _cleanup(self) -> None:
        try:
            subprocess.run(
                [*cli(), "stack", "down"],  # the server, and a registry or Podman service a run started
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
                check=False,
            )
        finally:
            _rmtree(self.tmp)

    def server_idle(
        self, window: float = 1.0, busy_share: float = 0.10, quiet_windows: int = 2, timeout: float = 600.0
    ) -> float:
        """Wait until the server has used < busy_share of a core for `quiet_windows` windows in a row (it keeps
        writing a run's logs, events and task-run states after the CLI returns); returns the seconds until the
        last busy window ended."""
        start = time.perf_counter()
        last_busy_end = start
        quiet = 0
        before = _group_cpu_seconds(self.server_pid)
        while quiet < quiet_windows and time.perf_counter() - start < timeout:
            time.sleep(window)
            now = _group_cpu_seconds(self.server_pid)
            if before is None or now is None:
                raise SystemExit("the Prefect server process is gone")
            if now - before >= busy_share * window:
                quiet = 0
                last_busy_end = time.perf_counter()
            else:
                quiet += 1
            before = now
        return last_busy_end - start

    def run(self, repo: Path, label: str, *, expect_passed: bool = True, images: bool = False) -> tuple[Timed, dict]:
        """`voxguard-ci run REPO --json` in a new process; returns the timing and the parsed JSON.

        Untimed: first waits until the server is idle, so a run is not charged for digesting the previous
        one. After the run, measures how long the server stays busy with it (Timed.drain)."""
        self._runs += 1
        log = self.logs / f"run-{self._runs}-{label}.log"
        self.server_idle()
        # by default --no-images: the Makefile and the direct runs build no container images either
        no_images = [] if images else ["--no-images"]
        result = timed([*cli(), "run", str(repo), "--json", *no_images], cwd=self.tmp, env=self.env, log=log,
                       check=False)
        result.drain = self.server_idle()
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError:
            tail = log.read_text(errors="replace").splitlines()[-40:]
            raise SystemExit(
                f"voxguard-ci run ({label}) printed no JSON, exit {result.returncode}\n" + "\n".join(tail)
            ) from None
        failed = [f"{s['stage']}-{s['service']}" for s in data["steps"] if s["status"] != "passed"]
        if failed or (expect_passed and (result.returncode != 0 or data["state"] != "passed")):
            tail = log.read_text(errors="replace").splitlines()[-40:]
            raise SystemExit(
                f"voxguard-ci run ({label}): exit {result.returncode}, state {data['state']}, "
                f"failed steps {failed}\n" + "\n".join(tail)
            )
        return result, data


SERVICE_STAGES = ("build", "test", "lint")


def service_steps(data: dict) -> list[dict]:
    """The build/test/lint steps of a run's JSON (other stages, such as security scans, left out)."""
    return [s for s in data["steps"] if s["stage"] in SERVICE_STAGES]


def other_steps(data: dict) -> list[dict]:
    return [s for s in data["steps"] if s["stage"] not in SERVICE_STAGES]


def expected_service_steps(config: Any) -> int:
    return sum(1 for service in config.services for stage in SERVICE_STAGES if getattr(service, stage))


def step_table(data: dict) -> str:
    rows = [
        f"    {s['stage'] + '-' + s['service']:<28} {s['duration']:>7.2f} s  {'cached' if s['cached'] else 'ran'}"
        for s in data["steps"]
    ]
    return "\n".join(rows)


_LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d+) \| \w+\s+\| (.*)$")


def phase_times(run: Timed) -> dict[str, float] | None:
    """Split a `voxguard-ci run` by its Prefect log timestamps: process start -> flow run begins -> last task
    finished -> flow run finished -> process exit (seconds each); None when the log lacks those lines."""
    if run.log is None or not run.log.exists():
        return None
    midnight = datetime.datetime.fromtimestamp(run.started).replace(hour=0, minute=0, second=0, microsecond=0)
    base = midnight.timestamp()
    begin = last_task = finish = None
    for line in run.log.read_text(errors="replace").splitlines():
        match = _LOG_LINE.match(line)
        if not match:
            continue
        hours, minutes, secs, message = match.groups()
        at = base + int(hours) * 3600 + int(minutes) * 60 + float(secs)
        if "Beginning flow run" in message and begin is None:
            begin = at
        elif message.startswith("Task run") and "Finished in state" in message:
            last_task = at
        elif message.startswith("Flow run") and "Finished in state" in message:
            finish = at
    if begin is None or last_task is None or finish is None:
        return None
    return {
        "startup": begin - run.started,
        "tasks": last_task - begin,
        "finish": finish - last_task,
        "exit": run.ended - finish,
    }


def phases(run: Timed) -> str:
    times = phase_times(run)
    if times is None:
        return "phases: flow run log lines not found"
    return (
        f"phases: process start -> flow run begins {times['startup']:.2f} s (interpreter, imports, server "
        f"check, plan, flow run created) | tasks {times['tasks']:.2f} s | last task -> flow run finished "
        f"{times['finish']:.2f} s | -> process exit {times['exit']:.2f} s"
    )
