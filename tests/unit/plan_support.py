"""Shared by the planning tests: a config mirroring the example's four services, and the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import voxguard_ci
from voxguard_ci.core.config import PipelineConfig, parse_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "github-webhooks"
SOURCE_ROOT = Path(voxguard_ci.__file__).resolve().parents[1]

CONFIG_YAML = """
services:
  - name: detection-engine
    language: rust
    paths: ["services/detection-engine/**", "Cargo.toml", "Cargo.lock"]
    toolchain: [cargo, --version]
  - name: management-api
    language: go
    paths: ["services/management-api/**", "go.mod", "go.sum"]
    toolchain: [go, version]
  - name: processing-service
    language: python
    paths: ["services/processing-service/**", "requirements*.txt"]
    toolchain: [python3, --version]
  - name: web
    language: typescript
    paths: ["packages/web/**", "pnpm-lock.yaml"]
    toolchain: [node, --version]
"""

SERVICES = ["detection-engine", "management-api", "processing-service", "web"]


def make_config(extra: str = "") -> PipelineConfig:
    return parse_config(CONFIG_YAML + extra)


def payload(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def write_repo(directory: Path, extra: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "voxguard-ci.yaml").write_text(CONFIG_YAML + extra, encoding="utf-8")
    return directory


# Records every process the CLI starts (and any os.system call) through Python's audit hooks.
AUDITED_MAIN = """
import sys
def hook(event, args):
    if event == "subprocess.Popen":
        sys.stderr.write("AUDIT-POPEN " + repr([args[0], list(args[1]) if args[1] else args[1]]) + "\\n")
    elif event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn"):
        sys.stderr.write("AUDIT-" + event + " " + repr(args) + "\\n")
sys.addaudithook(hook)
from voxguard_ci.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SOURCE_ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", AUDITED_MAIN, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def audited(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("AUDIT-")]


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], env={**os.environ, **GIT_ENV}, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> str:
    """Write (or, for None, delete) files, commit them all, and return the new commit's sha."""
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q", "-b", "main")
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")
