"""The local base images, built for real with debootstrap, buildah and podman (about 100 s when none exist)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from voxguard_ci.adapters.base_images import ensure_base_images

pytestmark = pytest.mark.integration

# What /tmp/pc/containers.conf holds on the CI machines: runc, and ulimits the sandbox allows.
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
"""

# Each image runs its tool; the words expected in the output.
TOOLS = {
    "debian": (["python3", "-c", "import ssl, venv; print('venv ok', ssl.OPENSSL_VERSION)"], "venv ok"),
    "golang": (["go", "version"], "go version go"),
    "rust": (["sh", "-c", "rustc --version && cc --version"], "rustc 1."),
    "node": (["sh", "-c", "node --version && pnpm --version"], "v"),
    "busybox": (["sh", "-c", "which httpd && httpd --help 2>&1"], "/bin/httpd\nBusyBox v1."),
}


@pytest.fixture
def podman_env(tmp_path) -> dict[str, str]:
    missing = [tool for tool in ("podman", "buildah", "debootstrap") if shutil.which(tool) is None]
    if missing or os.geteuid() != 0:
        pytest.skip(f"needs root and {', '.join(missing) or 'podman'}")
    env = dict(os.environ)
    if "CONTAINERS_CONF" not in env:
        conf = tmp_path / "containers.conf"
        conf.write_text(CONTAINERS_CONF)
        env["CONTAINERS_CONF"] = str(conf)
    return env


def podman(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["podman", *args], check=False, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_base_images_run_their_tools_and_a_second_call_builds_nothing(podman_env):
    refs = ensure_base_images(podman_env, log=lambda line: None)
    assert set(refs) == set(TOOLS)
    assert all(ref.startswith("localhost/voxguard-base/") for ref in refs.values())
    ids = {name: podman(podman_env, "image", "inspect", "--format", "{{.Id}}", ref) for name, ref in refs.items()}
    for name, (argv, expected) in TOOLS.items():
        assert expected in podman(podman_env, "run", "--rm", refs[name], *argv), name

    lines: list[str] = []
    started = time.monotonic()
    assert ensure_base_images(podman_env, log=lines.append) == refs
    assert time.monotonic() - started < 15
    assert lines == [f"{ref}: present" for ref in refs.values()]
    assert {name: podman(podman_env, "image", "inspect", "--format", "{{.Id}}", ref)
            for name, ref in refs.items()} == ids
