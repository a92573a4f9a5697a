"""The local stack a full run needs, each part on 127.0.0.1 and started idempotently:

- registry: Debian's `docker-registry` on VOXGUARD_CI_REGISTRY (default 127.0.0.1:5000), storage under the stack dir;
  a registry already answering there is used as it is;
- podman: `podman system service` serving the Docker API on a unix socket, with a containers.conf that makes
  containers run here (runc; ulimits root may set) and a registries.conf that lets the local registry be plain HTTP;
- server: the Prefect server, on SQLite or (database="postgres") on Debian's PostgreSQL.

State files and logs live under `<data dir>/stack` (logs in `logs/`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import httpx

from voxguard_ci.adapters import daemon, postgres, prefect_server
from voxguard_ci.adapters.daemon import PartStatus
from voxguard_ci.adapters.home import stack_dir
from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.core.images import DEFAULT_REGISTRY
from voxguard_ci.errors import InfrastructureError, UserError

PARTS = ("registry", "podman", "server")
DATABASES = ("sqlite", "postgres")
START_TIMEOUT = 30.0

CONTAINERS_CONF = """\
# Written by voxguard-ci: crun cannot run containers here (cgroups in hybrid mode), and the default
# ulimits exceed what root may set.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
"""


def registry_address() -> str:
    return os.environ.get("VOXGUARD_CI_REGISTRY", DEFAULT_REGISTRY)


def podman_socket() -> Path:
    return stack_dir() / "podman.sock"


def podman_env() -> dict[str, str]:
    """What a podman command or a Docker API client needs in its environment to use the stack's engine."""
    return {
        "CONTAINERS_CONF": str(stack_dir() / "containers.conf"),
        "CONTAINERS_REGISTRIES_CONF": str(stack_dir() / "registries.conf"),
        "DOCKER_HOST": f"unix://{podman_socket()}",
    }


def podman_config() -> dict[str, str]:
    """Write the stack's Podman settings; returns `podman_env()` (for podman commands, no service needed)."""
    _write_podman_config()
    return podman_env()


def _write_podman_config() -> None:
    write_atomically(stack_dir() / "containers.conf", CONTAINERS_CONF)
    registries = (
        "# Written by voxguard-ci: the local registry speaks plain HTTP on loopback.\n"
        "unqualified-search-registries = []\n\n"
        f'[[registry]]\nlocation = "{registry_address()}"\ninsecure = true\n'
    )
    write_atomically(stack_dir() / "registries.conf", registries)


def _program(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InfrastructureError(f"{name} is not installed (Debian package {package}); `bash .ci/setup` installs it")
    return path


# --- registry ------------------------------------------------------------------------------------------

def _registry_healthy() -> bool:
    try:
        return httpx.get(f"http://{registry_address()}/v2/", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def _registry_status() -> PartStatus:
    part = daemon.Daemon("registry", stack_dir())
    pid = part.recorded_pid()
    running = _registry_healthy()
    details = {"managed": "yes" if pid else "no: another process serves it"} if running else {}
    return PartStatus("registry", running, f"http://{registry_address()}", pid, str(part.log) if pid else None,
                      details)


def _registry_up() -> PartStatus:
    part = daemon.Daemon("registry", stack_dir())
    with part.locked():
        if _registry_healthy():
            return _registry_status()
        host, _, port = registry_address().rpartition(":")
        if daemon.port_open(host, int(port)):
            raise InfrastructureError(f"registry: {registry_address()} is taken by something that is not a "
                                      "registry; set VOXGUARD_CI_REGISTRY to another host:port")
        storage = stack_dir() / "registry"
        config = stack_dir() / "registry.yml"
        write_atomically(config, (
            "version: 0.1\nlog:\n  level: warn\n"
            f"storage:\n  filesystem:\n    rootdirectory: {storage}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {registry_address()}\n"))
        part.spawn([_program("docker-registry", "docker-registry"), "serve", str(config)], os.environ,
                   _registry_healthy, START_TIMEOUT)
    return _registry_status()


# --- podman --------------------------------------------------------------------------------------------

def _podman_healthy() -> bool:
    transport = httpx.HTTPTransport(uds=str(podman_socket()))
    try:
        with httpx.Client(transport=transport, timeout=2.0) as client:
            return client.get("http://podman/_ping").text == "OK"
    except httpx.HTTPError:
        return False


def _podman_status() -> PartStatus:
    part = daemon.Daemon("podman", stack_dir())
    pid = part.recorded_pid()
    running = bool(pid) and _podman_healthy()
    return PartStatus("podman", running, podman_env()["DOCKER_HOST"], pid, str(part.log) if pid else None)


def _podman_up() -> PartStatus:
    part = daemon.Daemon("podman", stack_dir())
    with part.locked():
        if part.recorded_pid() and _podman_healthy():
            return _podman_status()
        part.stop()
        _write_podman_config()
        podman_socket().unlink(missing_ok=True)
        env = {**os.environ, **podman_env()}
        part.spawn([_program("podman", "podman"), "system", "service", "--time=0", f"unix://{podman_socket()}"],
                   env, _podman_healthy, START_TIMEOUT)
    return _podman_status()


# --- Prefect server ------------------------------------------------------------------------------------

def _server_status() -> PartStatus:
    current = prefect_server.status()
    return PartStatus("server", current.running, current.url, current.pid, current.log,
                      {"database": current.database})


def _server_up(database: str) -> PartStatus:
    url = postgres.start() if database == "postgres" else None
    prefect_server.start(url)
    return _server_status()


# --- the stack -----------------------------------------------------------------------------------------

def _chosen(parts: Iterable[str]) -> list[str]:
    chosen = list(parts) or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise UserError(f"unknown stack part(s) {', '.join(unknown)}: expected some of {', '.join(PARTS)}")
    return chosen


def up(parts: Iterable[str] = (), database: str = "sqlite") -> list[PartStatus]:
    if database not in DATABASES:
        raise UserError(f"unknown database {database!r}: expected one of {', '.join(DATABASES)}")
    start = {"registry": _registry_up, "podman": _podman_up, "server": lambda: _server_up(database)}
    return [start[name]() for name in _chosen(parts)]


def down(parts: Iterable[str] = ()) -> list[PartStatus]:
    for name in _chosen(parts):
        if name == "server":
            on_postgres = prefect_server.status().database.startswith("postgresql")
            prefect_server.stop()
            if on_postgres:  # the cluster this server used; a server on SQLite leaves PostgreSQL alone
                postgres.stop()
            continue
        part = daemon.Daemon(name, stack_dir())
        with part.locked():
            part.stop()
    return status(parts)


def status(parts: Iterable[str] = ()) -> list[PartStatus]:
    show = {"registry": _registry_status, "podman": _podman_status, "server": _server_status}
    return [show[name]() for name in _chosen(parts)]
