"""Building, tagging and pushing images through the Docker API: a Docker engine, or Podman's `system service`
(`voxguard-ci stack up podman`). DOCKER_HOST says which; the docker SDK speaks the protocol.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import docker
from docker.utils.build import tar

from voxguard_ci.adapters import registry as registry_api
from voxguard_ci.core.images import ImageBuild, ignore_files
from voxguard_ci.errors import InfrastructureError

API_TIMEOUT = 600


class BuildFailed(Exception):
    """The builder ran and reported an error (a failing RUN, a missing base image): the step fails."""


def connect() -> docker.APIClient:
    try:
        api = docker.APIClient(base_url=os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"),
                               version="auto", timeout=API_TIMEOUT)
        api.ping()
    except docker.errors.DockerException as exc:
        raise InfrastructureError(
            f"no container engine at DOCKER_HOST={os.environ.get('DOCKER_HOST', '(unset)')}: {exc}; "
            "`voxguard-ci stack up podman` starts one") from None
    return api


def identity(api: docker.APIClient) -> str:
    version = api.version()
    return f"{version.get('Platform', {}).get('Name') or 'engine'} {version.get('Version')} API {version.get('ApiVersion')}"


def image_id(api: docker.APIClient, name: str) -> str | None:
    try:
        return api.inspect_image(name)["Id"]
    except docker.errors.ImageNotFound:
        return None


def ignore_patterns(repo: Path, spec: ImageBuild) -> list[str]:
    """The patterns of the first ignore file that exists (`core.images.ignore_files` gives the order)."""
    for candidate in (repo / name for name in ignore_files(spec.context, spec.dockerfile)):
        if candidate.is_file():
            lines = (line.strip() for line in candidate.read_text().splitlines())
            return [line for line in lines if line and not line.startswith("#")]
    return []


def build(api: docker.APIClient, spec: ImageBuild, on_line: Callable[[str], None]) -> str:
    """Build the image, tagged with its first tag; returns its image ID."""
    repo = Path(spec.repo)
    context, dockerfile = repo / spec.context, repo / spec.dockerfile
    relative = os.path.relpath(dockerfile, context)
    with tempfile.TemporaryFile() as archive:
        tar(str(context), exclude=ignore_patterns(repo, spec), dockerfile=(relative, None),
            fileobj=archive)  # the Dockerfile goes in even where the ignore file allow-lists sources
        archive.seek(0)
        stream = api.build(fileobj=archive, custom_context=True, dockerfile=relative, buildargs=spec.build_args,
                           target=spec.target, tag=f"{spec.image}:{spec.tags[0]}", rm=True, forcerm=True,
                           pull=False, decode=True, timeout=spec.timeout,
                           labels={"org.opencontainers.image.revision": spec.tags[0].removeprefix("sha-")})
        for chunk in stream:
            for line in str(chunk.get("stream", "")).splitlines():
                if line.strip():
                    on_line(line.rstrip())
            if "error" in chunk:
                raise BuildFailed(str(chunk.get("error")).strip())
    built = image_id(api, f"{spec.image}:{spec.tags[0]}")
    if built is None:
        raise BuildFailed(f"the engine reported success but has no image {spec.image}:{spec.tags[0]}")
    return built


def tag(api: docker.APIClient, built: str, image: str, tags: list[str]) -> None:
    for name in tags:
        api.tag(built, image, name)


def push(api: docker.APIClient, spec: ImageBuild, on_line: Callable[[str], None]) -> str:
    """Push every tag; returns the manifest digest the registry reports for them (all must agree)."""
    digests = set()
    for name in spec.tags:
        for chunk in api.push(spec.image, tag=name, stream=True, decode=True):
            if "error" in chunk:
                raise BuildFailed(f"push {spec.image}:{name}: {str(chunk['error']).strip()}")
            if chunk.get("status") and not chunk.get("progressDetail"):
                on_line(f"{name}: {chunk['status']}")
        digest = registry_api.resolve(spec.registry, spec.repository, name)
        if digest is None:
            raise BuildFailed(f"push {spec.image}:{name}: the registry has no such tag afterwards")
        digests.add(digest)
    if len(digests) != 1:
        raise BuildFailed(f"push {spec.image}: its tags resolve to different digests {sorted(digests)}")
    return digests.pop()
