"""`voxguard-ci stack`: the real registry, Podman API service and Prefect server (SQLite and Debian's PostgreSQL)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from voxguard_ci.adapters.daemon import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def stack_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DOCKER_HOST", "CONTAINERS_"))}
    env.update({"VOXGUARD_CI_HOME": str(tmp_path / "home"), "VOXGUARD_CI_REGISTRY": f"127.0.0.1:{free_port()}"})
    yield env
    cli(env, "stack", "down")


def cli(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voxguard_ci", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def parts(proc: subprocess.CompletedProcess) -> dict[str, dict]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return {p["name"]: p for p in json.loads(proc.stdout)["parts"]}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_up_is_idempotent_and_down_stops_every_part(stack_env):
    up = cli(stack_env, "stack", "up", "registry", "podman", "--json")
    assert up.returncode == 0, up.stderr
    first = parts(up)
    assert first["registry"]["running"] and first["podman"]["running"]
    assert httpx.get(f"http://{stack_env['VOXGUARD_CI_REGISTRY']}/v2/").status_code == 200
    socket_path = first["podman"]["url"].removeprefix("unix://")
    with httpx.Client(transport=httpx.HTTPTransport(uds=socket_path)) as docker_api:
        assert docker_api.get("http://podman/_ping").text == "OK"
        assert docker_api.get("http://podman/version").json()["ApiVersion"]
    again = parts(cli(stack_env, "stack", "up", "registry", "podman", "--json"))
    assert again["registry"]["pid"] == first["registry"]["pid"] and again["podman"]["pid"] == first["podman"]["pid"]
    logs = Path(stack_env["VOXGUARD_CI_HOME"]) / "stack" / "logs"
    assert {p.name for p in logs.iterdir()} >= {"registry.log", "podman.log"}

    down = cli(stack_env, "stack", "down", "registry", "podman", "--json")
    assert down.returncode == 0
    stopped = parts(down)
    assert not stopped["registry"]["running"] and not stopped["podman"]["running"]
    assert not alive(first["registry"]["pid"]) and not alive(first["podman"]["pid"])
    status = cli(stack_env, "stack", "status", "registry", "--json")
    assert status.returncode == 1 and not parts(status)["registry"]["running"]


def test_a_part_that_cannot_start_says_why(stack_env):
    with socket.socket() as squatter:  # something that is not a registry holds the address
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        stack_env["VOXGUARD_CI_REGISTRY"] = f"127.0.0.1:{squatter.getsockname()[1]}"
        proc = cli(stack_env, "stack", "up", "registry")
    assert proc.returncode == 3
    assert "is taken by something that is not a registry" in proc.stderr
    assert "VOXGUARD_CI_REGISTRY" in proc.stderr and "Traceback" not in proc.stderr


def test_an_unknown_part_is_a_usage_error(stack_env):
    proc = cli(stack_env, "stack", "up", "kafka")
    assert proc.returncode == 2 and "invalid choice: 'kafka'" in proc.stderr


TINY = """\
version: 1
services:
  - name: calc
    language: python
    paths: ["calc/**"]
    toolchain: [python3, --version]
    build:
      commands: [[python3, -c, "print('built')"]]
    test:
      commands: [[python3, -c, "print('tested')"]]
"""


def test_the_server_runs_on_postgresql_and_the_pipeline_state_survives_a_restart(stack_env, tmp_path):
    repo = tmp_path / "repo"
    (repo / "calc").mkdir(parents=True)
    (repo / "voxguard-ci.yaml").write_text(TINY)
    (repo / "calc" / "calc.py").write_text("print(1)\n")

    up = cli(stack_env, "stack", "up", "server", "--postgres", "--json")
    assert up.returncode == 0, up.stderr
    server = parts(up)["server"]
    assert server["details"]["database"].startswith("postgresql+asyncpg://")
    assert ":***@127.0.0.1:" in server["details"]["database"]  # the password is never shown
    run = cli(stack_env, "run", str(repo), "--json", "--no-images")
    assert run.returncode in (0, 1), run.stderr[-2000:]
    flow_run_id = json.loads(run.stdout)["flow_run_id"]

    assert cli(stack_env, "stack", "down", "server").returncode == 0
    assert not alive(server["pid"])
    restarted = parts(cli(stack_env, "stack", "up", "server", "--postgres", "--json"))["server"]
    assert restarted["running"] and restarted["pid"] != server["pid"]
    flow_run = httpx.get(f"{restarted['url']}/flow_runs/{flow_run_id}").json()
    assert flow_run["id"] == flow_run_id and flow_run["state"]["type"] in ("COMPLETED", "FAILED")
    tasks = httpx.post(f"{restarted['url']}/task_runs/filter",
                       json={"flow_runs": {"id": {"any_": [flow_run_id]}}}).json()
    assert {"build-calc", "test-calc"} <= {t["name"] for t in tasks}

    # a later `run` reuses the running PostgreSQL server instead of starting one on SQLite
    cli(stack_env, "run", str(repo), "--json", "--no-images")
    assert parts(cli(stack_env, "stack", "status", "server", "--json"))["server"]["pid"] == restarted["pid"]
