"""Caching across processes, one-change re-runs and crash-resume, on a small synthetic repository.

Each step appends a line to .runs/<step> (ignored by the pipeline), so the tests count real executions.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

STEP = "import pathlib, sys; r = pathlib.Path('.runs'); r.mkdir(exist_ok=True); (r / sys.argv[1]).open('a').write('x' + chr(10))"
WAIT_FOR_GO = "import pathlib, time; [time.sleep(0.1) for _ in range(900) if not pathlib.Path('.runs/go').exists()]"


def service(name: str, test_wait: bool = False) -> str:
    build = (f"      commands:\n        - [python3, -c, \"{STEP}\", build-{name}]\n"
             f"        - [python3, -c, \"import pathlib; pathlib.Path('out').mkdir(exist_ok=True); "
             f"pathlib.Path('out/{name}.bin').write_text(open('src/{name}/main.txt').read())\"]\n"
             f"      outputs: [out/{name}.bin]\n")
    waiting = f"        - [python3, -c, \"{WAIT_FOR_GO}\"]\n" if test_wait else ""
    test = (f"      commands:\n{waiting}        - [python3, -c, \"{STEP}\", test-{name}]\n"
            f"        - [python3, -c, \"import pathlib; assert pathlib.Path('out/{name}.bin').read_text()\"]\n")
    return (f"  - name: {name}\n    language: python\n    paths: ['src/{name}/**']\n"
            f"    toolchain: [python3, --version]\n    build:\n{build}    test:\n{test}")


def make_repo(root: Path, test_wait: bool = False) -> Path:
    root.mkdir()
    config = "ignore: ['.runs/**', 'out/**', '.voxguard-ci/**']\nservices:\n"
    config += service("alpha", test_wait) + service("beta")
    (root / "voxguard-ci.yaml").write_text(config)
    for name in ("alpha", "beta"):
        (root / "src" / name).mkdir(parents=True)
        # a per-test salt: identical sources elsewhere would (rightly) share these cache entries
        (root / "src" / name / "main.txt").write_text(f"{name} v1 {root.parent.name}\n")
    return root


def runs(repo: Path, step: str) -> int:
    path = repo / ".runs" / step
    return len(path.read_text().splitlines()) if path.exists() else 0


def run_cli(repo: Path, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def cached(result: dict) -> dict[str, bool]:
    return {f"{s['stage']}-{s['service']}": s["cached"] for s in result["steps"]}


def test_unchanged_steps_are_cache_hits_in_a_new_process(tmp_path, prefect_env):
    repo = make_repo(tmp_path / "repo")
    first = run_cli(repo, prefect_env)
    assert first["state"] == "passed" and first["stages"]["build"] == "completed"
    assert set(cached(first).values()) == {False}

    (repo / "out" / "alpha.bin").unlink()
    second = run_cli(repo, prefect_env)
    assert cached(second) == {"build-alpha": True, "test-alpha": True, "build-beta": True, "test-beta": True}
    assert second["stages"]["build"] == "cached"
    assert runs(repo, "build-alpha") == 1 and runs(repo, "test-beta") == 1
    assert (repo / "out" / "alpha.bin").read_text().startswith("alpha v1")  # restored from the step's archive


def test_one_changed_file_reruns_only_its_service(tmp_path, prefect_env):
    repo = make_repo(tmp_path / "repo")
    run_cli(repo, prefect_env)
    (repo / "src" / "beta" / "main.txt").write_text("beta v2\n")
    result = run_cli(repo, prefect_env)
    assert cached(result) == {"build-alpha": True, "test-alpha": True, "build-beta": False, "test-beta": False}
    assert runs(repo, "build-alpha") == 1 and runs(repo, "build-beta") == 2
    assert (repo / "out" / "beta.bin").read_text() == "beta v2\n"


def test_a_killed_run_resumes_with_only_the_unfinished_steps(tmp_path, prefect_env):
    repo = make_repo(tmp_path / "repo", test_wait=True)
    proc = subprocess.Popen([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json"], env=prefect_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (runs(repo, "test-beta") and runs(repo, "build-alpha")):
        time.sleep(0.2)
    assert runs(repo, "test-beta") == 1, "the first run never got going"
    time.sleep(2)  # let Prefect persist the finished steps' results
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert runs(repo, "test-alpha") == 0  # alpha's test was still waiting when the run died

    (repo / ".runs" / "go").write_text("")
    result = run_cli(repo, prefect_env)
    assert result["state"] == "passed", json.dumps(result["gates"], indent=1)
    assert cached(result) == {"build-alpha": True, "test-alpha": False, "build-beta": True, "test-beta": True}
    assert runs(repo, "build-alpha") == 1 and runs(repo, "build-beta") == 1 and runs(repo, "test-beta") == 1
    assert runs(repo, "test-alpha") == 1
