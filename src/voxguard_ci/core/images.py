"""Image references: `registry/repository@sha256:<hex>` and tags, parsed and checked."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from pydantic import BaseModel

from voxguard_ci.core import cache
from voxguard_ci.errors import UserError

if TYPE_CHECKING:  # config validates image names with the grammar below
    from voxguard_ci.core.config import Service

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_REPOSITORY = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")
_REGISTRY = re.compile(r"^(?:localhost|[A-Za-z0-9.-]+\.[A-Za-z0-9.-]+|[A-Za-z0-9.-]+:[0-9]+|\[[0-9a-fA-F:]+\](?::[0-9]+)?)$")


class ImageRef(BaseModel):
    registry: str
    repository: str
    digest: str

    def __str__(self) -> str:
        return f"{self.registry}/{self.repository}@{self.digest}"


def parse_digest_ref(text: str) -> ImageRef:
    """`127.0.0.1:5000/voxguard/web@sha256:…` → ImageRef; anything else is a UserError saying what was expected."""
    expected = "expected REGISTRY/REPOSITORY@sha256:<64 hex digits>"
    name, at, digest = text.partition("@")
    if not at or not _DIGEST.match(digest):
        raise UserError(f"{text!r}: {expected}")
    registry, slash, repository = name.partition("/")
    if not slash or not _REGISTRY.match(registry) or not _REPOSITORY.match(repository):
        raise UserError(f"{text!r}: {expected} (the registry host comes first, e.g. 127.0.0.1:5000/voxguard/web)")
    return ImageRef(registry=registry, repository=repository, digest=digest)


def registry_name(text: str) -> str:
    """A registry as host, host:port or [ipv6]:port; ValueError (for config validation) otherwise."""
    if not _REGISTRY.match(text):
        raise ValueError(f"expected a registry as host:port (e.g. 127.0.0.1:5000 or ghcr.io), got {text!r}")
    return text


def repository_name(text: str) -> str:
    if not _REPOSITORY.match(text):
        raise ValueError(f"expected a repository of lowercase path components (e.g. voxguard/web), got {text!r}")
    return text


def check_tag(tag: str) -> str:
    if not _TAG.match(tag):
        raise UserError(f"{tag!r}: expected a tag of letters, digits, '_', '.' and '-' (at most 128, not starting "
                        "with '.' or '-')")
    return tag


# --- building: what a service's image step does ------------------------------------------------------------

DEFAULT_REGISTRY = "127.0.0.1:5000"
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?", re.IGNORECASE)
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE)
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


class ImageBuild(BaseModel):
    """Everything a service's image step needs, and its cache key (which leaves the tags out: a new commit
    whose service is unchanged re-tags the image it already has instead of building it again)."""

    service: str
    repo: str
    context: str
    dockerfile: str
    build_args: dict[str, str]
    target: str | None
    registry: str
    repository: str
    tags: list[str]
    push: bool
    timeout: float
    cache_key: str

    @property
    def name(self) -> str:
        return f"image-{self.service}"

    @property
    def image(self) -> str:
        return f"{self.registry}/{self.repository}"


class ImageRecord(BaseModel):
    """One built image, as the run's artifacts record it."""

    service: str
    image: str
    tags: list[str]
    image_id: str
    digest: str | None = None  # the registry's manifest digest; None when not pushed
    pushed: bool = False
    cached: bool = False

    @property
    def reference(self) -> str:
        return f"{self.image}@{self.digest}" if self.digest else self.image_id


def image_tags(commit: str | None, *, moves_latest: bool) -> list[str]:
    """`sha-<commit>` when the commit is known, and `latest` for the main branch (or a local run)."""
    tags = [f"sha-{commit}"] if commit else []
    return [*tags, "latest"] if moves_latest or not tags else tags


def ignore_files(context: str, dockerfile: str) -> list[str]:
    """Where a build's ignore file may be (repository-relative), in the order a builder reads them:
    `<Dockerfile>.dockerignore` as BuildKit does, else the context's `.dockerignore`."""
    return [f"{dockerfile}.dockerignore", posixpath.normpath(posixpath.join(context, ".dockerignore"))]


def base_images(dockerfile: str, build_args: dict[str, str]) -> list[str]:
    """The images a Dockerfile builds FROM, with ARG defaults and build args substituted; stages and `scratch`
    are not images."""
    args: dict[str, str] = {}
    stages: set[str] = set()
    bases: list[str] = []
    for line in dockerfile.splitlines():
        if match := _ARG.match(line):
            name, default = match.groups()
            args[name] = build_args.get(name, default or "")
        elif match := _FROM.match(line):
            image = _VAR.sub(lambda m: args.get(m.group(1), ""), match.group(1))
            if image and image not in stages and image != "scratch" and image not in bases:
                bases.append(image)
            if match.group(2):
                stages.add(match.group(2))
    return bases


def image_build(service: Service, *, project: str, repo: str, registry: str, commit: str | None, push: bool,
                moves_latest: bool, file_digests: dict[str, str], engine: str) -> ImageBuild:
    """The image step of `service` (which has a `docker` section). `file_digests` covers the service's files
    and its Dockerfile; `engine` names the builder and the base images' IDs: all of it goes into the key."""
    docker = service.docker
    assert docker is not None
    repository = docker.repository or f"{project}/{service.name}".lower()
    recipe = {"context": docker.context, "dockerfile": docker.dockerfile, "build_args": docker.build_args,
              "target": docker.target, "image": f"{registry}/{repository}", "push": push}
    key = cache.step_key(service=service.name, stage="image", inputs=cache.inputs_digest(file_digests),
                         commands=[recipe], env={}, toolchain=engine, outputs=[])
    return ImageBuild(service=service.name, repo=repo, context=docker.context, dockerfile=docker.dockerfile,
                      build_args=docker.build_args, target=docker.target, registry=registry, repository=repository,
                      tags=image_tags(commit, moves_latest=moves_latest), push=push, timeout=docker.timeout,
                      cache_key=key)
