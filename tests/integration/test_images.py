"""The image step on a tiny repository: real Podman (through its Docker API) and a real registry."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from repo_support import git, registry_digest

pytestmark = pytest.mark.integration

BASE = "localhost/voxguard-base/busybox:1.35"
CONFIG = f"""\
version: 1
project: tiny
services:
  - name: hello
    language: python
    paths: ["hello/**"]
    toolchain: [python3, --version]
    build:
      commands: [[python3, -c, "print('built')"]]
    test:
      commands: [[python3, -c, "print('tested')"]]
    docker:
      context: hello
      dockerfile: hello/Dockerfile
      build_args: {{BASE: {BASE}}}
"""
DOCKERFILE = 'ARG BASE=busybox:1.36\nFROM ${BASE}\nCOPY greeting.txt /greeting.txt\nCMD ["cat", "/greeting.txt"]\n'


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "tiny"
    (root / "hello").mkdir(parents=True)
    (root / "voxguard-ci.yaml").write_text(CONFIG)
    (root / "hello" / "Dockerfile").write_text(DOCKERFILE)
    (root / "hello" / "greeting.txt").write_text(f"hello from {tmp_path.name}\n")  # a per-test image
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "tiny")
    return root


def run(repo: Path, env: dict[str, str], *event: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json", *event], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout)


def step(result: dict, name: str) -> dict:
    return next(s for s in result["steps"] if f"{s['stage']}-{s['service']}" == name)


def test_an_unchanged_service_is_retagged_not_rebuilt_and_a_lost_image_is_rebuilt(repo, prefect_env):
    code, first = run(repo, prefect_env, "--event", "push", "--ref", "main")
    assert code == 0, first["gates"]
    image = first["images"][0]
    commit = git(repo, "rev-parse", "HEAD")
    assert image["tags"] == [f"sha-{commit}", "latest"] and not image["cached"]
    assert registry_digest(image["image"], f"sha-{commit}") == image["digest"]

    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing for hello")
    second_commit = git(repo, "rev-parse", "HEAD")
    _, second = run(repo, prefect_env, "--event", "push", "--ref", "main")
    again = second["images"][0]
    assert again["cached"] and again["digest"] == image["digest"] and again["image_id"] == image["image_id"]
    assert registry_digest(image["image"], f"sha-{second_commit}") == image["digest"]  # re-tagged by digest

    # The registry loses the image: the cached record is not trusted, the image is built and pushed again.
    registry, repository = image["image"].split("/", 1)
    deleted = httpx.delete(f"http://{registry}/v2/{repository}/manifests/{image['digest']}")
    assert deleted.status_code == 202
    git(repo, "commit", "-q", "--allow-empty", "-m", "after the registry was wiped")
    _, third = run(repo, prefect_env, "--event", "push", "--ref", "main")
    rebuilt = third["images"][0]
    assert not rebuilt["cached"] and rebuilt["pushed"]
    assert registry_digest(image["image"], f"sha-{git(repo, 'rev-parse', 'HEAD')}") == rebuilt["digest"]


def test_a_failing_image_build_fails_the_build_gate_with_its_log(repo, prefect_env):
    (repo / "hello" / "Dockerfile").write_text(f"FROM {BASE}\nRUN echo about to fail && false\n")
    code, result = run(repo, prefect_env, "--event", "push", "--ref", "main")
    assert code == 1 and result["stages"]["image"] == "failed" and result["images"] == []
    image_step = step(result, "image-hello")
    assert image_step["status"] == "failed" and "RUN echo about to fail" in image_step["commands"][0]["reason"]
    assert any("about to fail" in line for line in image_step["commands"][0]["log_tail"])
    build = next(g for g in result["gates"] if g["gate"] == "build")
    assert build["verdict"] == "fail" and any("image-hello" in line for line in build["evidence"])


def test_a_missing_base_image_is_a_failed_step_naming_it(repo, prefect_env):
    (repo / "hello" / "Dockerfile").write_text("FROM localhost/voxguard-base/nothing-here:0\n")
    code, result = run(repo, prefect_env, "--event", "push", "--ref", "main")
    assert code == 1
    assert "localhost/voxguard-base/nothing-here:0" in step(result, "image-hello")["commands"][0]["reason"]


def test_no_images_builds_none(repo, prefect_env):
    code, result = run(repo, prefect_env, "--no-images")
    assert code == 0 and result["images"] == [] and result["stages"]["image"] == "not_planned"


@pytest.fixture(autouse=True)
def base_image(prefect_env):
    """The busybox base the tiny Dockerfile builds FROM (built locally: no public registry is reachable)."""
    from voxguard_ci.adapters import stack
    from voxguard_ci.adapters.base_images import ensure_base_images

    ensure_base_images({**prefect_env, **stack.podman_config()})
    assert shutil.which("podman")
