"""Background processes kept alive between commands, the way build tools keep a daemon.

Each daemon has a name; its state file (`<state_dir>/<name>.json`: pid, log and whatever the caller records)
says what runs, a lock keeps two commands from starting two, and it counts as running only while its
process lives and its health check passes. Logs go to `<state_dir>/logs/<name>.log`.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.errors import InfrastructureError


@dataclass(frozen=True)
class Daemon:
    name: str
    state_dir: Path

    @property
    def state_file(self) -> Path:
        return self.state_dir / f"{self.name}.json"

    @property
    def log(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with (self.state_dir / f"{self.name}.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def read_state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def write_state(self, state: dict) -> None:
        write_atomically(self.state_file, json.dumps(state))

    def recorded_pid(self) -> int | None:
        state = self.read_state()
        pid = state.get("pid") if state else None
        return pid if pid and alive(pid) else None

    def spawn(self, argv: Sequence[str], env: Mapping[str, str], healthy: Callable[[], bool],
              timeout: float, extra_state: dict | None = None) -> dict:
        """Start argv detached, wait until healthy, record and return its state; call under `locked()`."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log_handle:
            try:
                proc = subprocess.Popen(list(argv), env=dict(env), stdin=subprocess.DEVNULL, stdout=log_handle,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as exc:
                raise InfrastructureError(f"{self.name}: cannot start {argv[0]!r}: {exc.strerror}") from None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise InfrastructureError(
                    f"{self.name} exited with code {proc.returncode} at start; see {self.log}:\n"
                    + tail(self.log))
            if healthy():
                state = {"pid": proc.pid, "log": str(self.log), **(extra_state or {})}
                self.write_state(state)
                return state
            time.sleep(0.1)
        terminate(proc.pid)
        raise InfrastructureError(f"{self.name} not healthy after {timeout:g} s; see {self.log}")

    def stop(self) -> None:
        """Stop the recorded process (its whole group) and forget it; call under `locked()`."""
        pid = self.recorded_pid()
        if pid:
            terminate(pid)
        self.state_file.unlink(missing_ok=True)


@dataclass
class PartStatus:
    """What `voxguard-ci stack status` shows for one part."""

    name: str
    running: bool
    url: str | None = None
    pid: int | None = None
    log: str | None = None
    details: dict[str, str] = field(default_factory=dict)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminate(pid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        for _ in range(50):
            if not alive(pid):
                return
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""
