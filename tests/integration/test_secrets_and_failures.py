"""Secrets never reach logs or artifacts; a missing program is a failed step with its reason, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

SECRET = "s3cr3t-deploy-token-4711"

CONFIG = """
env_allow: [PATH, HOME, VOXGUARD_DEPLOY_TOKEN]
secrets: [VOXGUARD_DEPLOY_TOKEN]
services:
  - name: leaky
    language: python
    paths: ['leaky/**']
    toolchain: [python3, --version]
    test:
      commands:
        - [python3, -c, "import os, sys; print('token is', os.environ['VOXGUARD_DEPLOY_TOKEN']); sys.exit(3)"]
  - name: toolless
    language: rust
    paths: ['toolless/**']
    toolchain: [cargo-not-installed-here, --version]
    build:
      commands: [[cargo-not-installed-here, build]]
"""


def test_secret_values_are_masked_and_missing_programs_fail_cleanly(tmp_path, prefect_env):
    repo = tmp_path / "repo"
    for name in ("leaky", "toolless"):
        (repo / name).mkdir(parents=True)
        (repo / name / "src.txt").write_text(f"{name} {tmp_path.name}\n")
    (repo / "voxguard-ci.yaml").write_text(CONFIG)
    env = {**prefect_env, "VOXGUARD_DEPLOY_TOKEN": SECRET}
    proc = subprocess.run([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    result = json.loads(proc.stdout)
    steps = {f"{s['stage']}-{s['service']}": s for s in result["steps"]}
    assert steps["build-toolless"]["commands"][0]["reason"] == "cargo-not-installed-here: not found on PATH"
    assert steps["test-leaky"]["commands"][0]["log_tail"] == ["token is ***"]
    assert SECRET not in proc.stdout and SECRET not in proc.stderr

    api = prefect_env["PREFECT_API_URL"]
    flow_run = {"flow_runs": {"id": {"any_": [result["flow_run_id"]]}}}
    logs = httpx.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [result["flow_run_id"]]}}})
    artifacts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [result["flow_run_id"]]}}})
    task_runs = httpx.post(f"{api}/task_runs/filter", json=flow_run)
    for response in (logs, artifacts, task_runs):
        response.raise_for_status()
        assert SECRET not in response.text
    assert "token is ***" in logs.text
    keys = {a["key"] for a in artifacts.json()}
    assert {"failed-test-leaky", "failed-build-toolless"} <= keys
    for path in Path(result["output_dir"]).iterdir():
        assert SECRET not in path.read_text()
