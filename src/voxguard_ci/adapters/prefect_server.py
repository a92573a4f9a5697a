"""A local Prefect server kept alive between runs, the way build tools keep a daemon.

Started on first use with SQLite under the data directory, reused by later commands, stopped with
`voxguard-ci server stop`. Its state file records pid, url and database; a lock keeps two commands from
starting two servers.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from voxguard_ci.adapters.home import data_dir
from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.errors import InfrastructureError

START_TIMEOUT_SECONDS = 90.0


@dataclass
class ServerStatus:
    url: str | None
    running: bool
    database: str
    pid: int | None = None
    log: str | None = None


def server_dir() -> Path:
    return data_dir() / "server"


def _state_file() -> Path:
    return server_dir() / "server.json"


def _database_url() -> str:
    return f"sqlite+aiosqlite:///{server_dir() / 'prefect.db'}"


def _healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _lock():
    server_dir().mkdir(parents=True, exist_ok=True)
    with (server_dir() / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _read_state() -> dict | None:
    try:
        return json.loads(_state_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def status() -> ServerStatus:
    state = _read_state()
    if not state:
        return ServerStatus(url=None, running=False, database=_database_url())
    running = _alive(state["pid"]) and _healthy(state["url"])
    return ServerStatus(url=state["url"], running=running, database=state["database"], pid=state["pid"],
                        log=state.get("log"))


def _server_env(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(server_dir() / "home"),
        "PREFECT_API_DATABASE_CONNECTION_URL": _database_url(),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    })
    return env


def start() -> ServerStatus:
    """Start the server unless a healthy one is already recorded; idempotent."""
    with _lock():
        current = status()
        if current.running:
            return current
        if current.pid and _alive(current.pid):
            _terminate(current.pid)
        port = _free_port()
        url = f"http://127.0.0.1:{port}/api"
        log = server_dir() / "server.log"
        with log.open("ab") as log_handle:
            proc = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env=_server_env(port), stdin=subprocess.DEVNULL, stdout=log_handle, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise InfrastructureError(f"Prefect server exited with code {proc.returncode}; see {log}")
            if _healthy(url, timeout=1.0):
                state = {"pid": proc.pid, "url": url, "database": _database_url(), "log": str(log)}
                write_atomically(_state_file(), json.dumps(state))
                return ServerStatus(**state, running=True)
            time.sleep(0.25)
        _terminate(proc.pid)
        raise InfrastructureError(f"Prefect server not healthy after {START_TIMEOUT_SECONDS:g} s; see {log}")


def _terminate(pid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        for _ in range(50):
            if not _alive(pid):
                return
            time.sleep(0.1)


def stop() -> ServerStatus:
    with _lock():
        current = status()
        if current.pid:
            _terminate(current.pid)
        _state_file().unlink(missing_ok=True)
        return ServerStatus(url=None, running=False, database=current.database, log=current.log)


def as_dict(s: ServerStatus) -> dict:
    return asdict(s)
