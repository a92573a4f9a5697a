"""A local Prefect server kept alive between runs (SQLite by default, PostgreSQL when given a URL).

Started on first use, reused by later commands, stopped with `voxguard-ci server stop` or `stack down`.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from voxguard_ci.adapters import daemon
from voxguard_ci.adapters.home import data_dir, stack_dir

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


def sqlite_url() -> str:
    return f"sqlite+aiosqlite:///{server_dir() / 'prefect.db'}"


def _daemon() -> daemon.Daemon:
    return daemon.Daemon("prefect-server", stack_dir())


def _shown(database_url: str) -> str:
    """The database URL without its password."""
    try:
        url = httpx.URL(database_url)
    except httpx.InvalidURL:
        return database_url
    return str(url.copy_with(username=url.username, password="***")) if url.password else database_url


def _fingerprint(database_url: str) -> str:
    return hashlib.sha256(database_url.encode()).hexdigest()[:16]


def _healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def status() -> ServerStatus:
    state = _daemon().read_state()
    if not state:
        return ServerStatus(url=None, running=False, database=_shown(sqlite_url()))
    running = daemon.alive(state["pid"]) and _healthy(state["url"])
    return ServerStatus(url=state["url"], running=running, database=state["database"], pid=state["pid"],
                        log=state.get("log"))


def _server_env(port: int, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(server_dir() / "home"),
        "PREFECT_API_DATABASE_CONNECTION_URL": database_url,
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    })
    return env


def start(database_url: str | None = None) -> ServerStatus:
    """Start the server unless a healthy one is recorded; idempotent. Without a database URL any running
    server is reused (SQLite when none runs); with one, a server on another database is restarted on it."""
    server = _daemon()
    with server.locked():
        state = server.read_state() or {}
        current = status()
        wanted = _fingerprint(database_url) if database_url else state.get("fingerprint")
        if current.running and state.get("fingerprint") == wanted:
            return current
        server.stop()
        database_url = database_url or sqlite_url()
        server_dir().mkdir(parents=True, exist_ok=True)
        port = daemon.free_port()
        url = f"http://127.0.0.1:{port}/api"
        state = server.spawn(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=_server_env(port, database_url), healthy=lambda: _healthy(url, timeout=1.0),
            timeout=START_TIMEOUT_SECONDS,
            extra_state={"url": url, "database": _shown(database_url), "fingerprint": _fingerprint(database_url)})
        return ServerStatus(url=url, running=True, database=state["database"], pid=state["pid"], log=state["log"])


def stop() -> ServerStatus:
    server = _daemon()
    with server.locked():
        current = status()
        server.stop()
        return ServerStatus(url=None, running=False, database=current.database, log=current.log)


def as_dict(s: ServerStatus) -> dict:
    return asdict(s)
