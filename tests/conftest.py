"""Shared fixtures: one real Prefect server per test session (started through our own daemon code)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "voxguard"
BUILD_LEFTOVERS = shutil.ignore_patterns("node_modules", "target", "build", ".venv", "reports", ".voxguard-ci", "dist",
                                         "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".coverage")


@pytest.fixture(scope="session")
def prefect_env(tmp_path_factory) -> dict[str, str]:
    """Environment for CLI subprocesses: an isolated data dir and a real local Prefect server."""
    home = tmp_path_factory.mktemp("voxguard-ci-home")
    saved = {k: os.environ.get(k) for k in ("VOXGUARD_CI_HOME", "PREFECT_API_URL")}
    os.environ["VOXGUARD_CI_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    from voxguard_ci.adapters import prefect_server

    status = prefect_server.start()
    env = {**os.environ, "VOXGUARD_CI_HOME": str(home), "PREFECT_API_URL": status.url}
    yield env
    from voxguard_ci.adapters import stack

    stack.down()  # the registry and Podman service the runs started, and the server
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """A fresh copy of the example monorepo without build leftovers."""
    target = tmp_path / "voxguard"
    shutil.copytree(EXAMPLE, target, ignore=BUILD_LEFTOVERS, symlinks=True)
    return target
