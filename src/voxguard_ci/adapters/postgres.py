"""A PostgreSQL database for the Prefect server: Debian's PostgreSQL, in a cluster of our own.

`VOXGUARD_CI_DATABASE_URL` (postgresql+asyncpg://…) names a server someone else runs; it is used as is.
Otherwise, as root, a Debian cluster `voxguard-ci` (pg_createcluster, port VOXGUARD_CI_POSTGRES_PORT,
default 5433) is created and started, and a role and database per data directory are made in it with a
generated password kept in `<stack>/postgres.json` (mode 0600).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from voxguard_ci.adapters.home import data_dir, stack_dir
from voxguard_ci.adapters.runner import run_command
from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.errors import InfrastructureError

CLUSTER = "voxguard-ci"
TIMEOUT = 120.0


@dataclass(frozen=True)
class Cluster:
    version: str
    port: int
    online: bool
    log: str


def external_url() -> str | None:
    return os.environ.get("VOXGUARD_CI_DATABASE_URL") or None


def _run(argv: list[str], what: str, stdin: bytes | None = None) -> list[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    lines: list[str] = []
    result = run_command(argv, cwd=Path("/"), env=env, timeout=TIMEOUT, on_line=lines.append, stdin=stdin)
    if result.exit_code != 0:
        detail = "\n".join(result.log_tail) or result.reason
        raise InfrastructureError(f"PostgreSQL: {what} failed ({' '.join(argv[:3])}…): {detail}")
    return lines


def cluster() -> Cluster | None:
    for line in _run(["pg_lsclusters", "--no-header"], "listing clusters"):
        fields = line.split()
        if len(fields) >= 7 and fields[1] == CLUSTER:
            return Cluster(version=fields[0], port=int(fields[2]), online=fields[3].startswith("online"),
                           log=fields[6])
    return None


def _newest_version() -> str:
    root = Path("/usr/lib/postgresql")
    versions = sorted((p.name for p in root.glob("*") if (p / "bin" / "postgres").exists()), key=float)
    if not versions:
        raise InfrastructureError("PostgreSQL: no server under /usr/lib/postgresql; install Debian's postgresql")
    return versions[-1]


def _credentials() -> dict[str, str]:
    path = stack_dir() / "postgres.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    suffix = hashlib.sha256(str(data_dir()).encode()).hexdigest()[:8]
    creds = {"role": f"vgci_{suffix}", "database": f"prefect_{suffix}", "password": secrets.token_urlsafe(24)}
    write_atomically(path, json.dumps(creds), mode=0o600)
    return creds


def _grant(port: int, creds: dict[str, str]) -> None:
    role, database, password = creds["role"], creds["database"], creds["password"]
    sql = (
        f"SELECT format('CREATE ROLE %I LOGIN', '{role}') WHERE NOT EXISTS "
        f"(SELECT FROM pg_roles WHERE rolname = '{role}') \\gexec\n"
        f"ALTER ROLE {role} PASSWORD '{password}';\n"
        f"SELECT format('CREATE DATABASE %I OWNER %I', '{database}', '{role}') WHERE NOT EXISTS "
        f"(SELECT FROM pg_database WHERE datname = '{database}') \\gexec\n"
    )
    _run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-p", str(port),
          "-d", "postgres"], "creating the role and database", stdin=sql.encode())


def start() -> str:
    """Make the database ready and return its SQLAlchemy URL (holding the password: never print it)."""
    if url := external_url():
        return url
    if os.geteuid() != 0:
        raise InfrastructureError(
            "PostgreSQL: managing a Debian cluster needs root; run your own server and set "
            "VOXGUARD_CI_DATABASE_URL=postgresql+asyncpg://USER:PASSWORD@HOST:PORT/DB")
    current = cluster()
    if current is None:
        port = os.environ.get("VOXGUARD_CI_POSTGRES_PORT", "5433")
        _run(["pg_createcluster", _newest_version(), CLUSTER, "--port", port, "--start-conf", "manual"],
             f"creating cluster {CLUSTER}")
        current = cluster()
        assert current is not None
    if not current.online:
        _run(["pg_ctlcluster", current.version, CLUSTER, "start"], f"starting cluster {CLUSTER}")
    creds = _credentials()
    _grant(current.port, creds)
    return (f"postgresql+asyncpg://{creds['role']}:{creds['password']}@127.0.0.1:{current.port}/"
            f"{creds['database']}")


def stop() -> None:
    if external_url() or os.geteuid() != 0 or shutil.which("pg_lsclusters") is None:
        return
    current = cluster()
    if current and current.online:
        _run(["pg_ctlcluster", current.version, CLUSTER, "stop"], f"stopping cluster {CLUSTER}")
