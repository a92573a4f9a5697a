"""Image references: `registry/repository@sha256:<hex>` and tags, parsed and checked."""

from __future__ import annotations

import re

from pydantic import BaseModel

from voxguard_ci.errors import UserError

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


def check_tag(tag: str) -> str:
    if not _TAG.match(tag):
        raise UserError(f"{tag!r}: expected a tag of letters, digits, '_', '.' and '-' (at most 128, not starting "
                        "with '.' or '-')")
    return tag
