"""Helpers of the integration tests that build images: git in a scratch repository, and the registry's view."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

MANIFESTS = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=ci@voxguard.invalid", "-c", "user.name=ci",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


def registry_digest(image: str, tag: str) -> str | None:
    """The digest `image:tag` resolves to in its (loopback, plain HTTP) registry; None when it has no such tag."""
    registry, repository = image.split("/", 1)
    answer = httpx.head(f"http://{registry}/v2/{repository}/manifests/{tag}", headers={"Accept": MANIFESTS})
    return answer.headers.get("Docker-Content-Digest") if answer.status_code == 200 else None
