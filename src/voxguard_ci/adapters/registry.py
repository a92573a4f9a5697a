"""Re-tagging a tested image in its registry over the OCI distribution API: no pull, no rebuild.

`promote` reads the manifest by digest, checks that its bytes hash to that digest, puts the same bytes under
the new tag, and reads the tag back to verify it resolves to the same digest. The registry never receives a
layer: a manifest put only refers to blobs it already has.
"""

from __future__ import annotations

import hashlib

import httpx
from pydantic import BaseModel

from voxguard_ci.core.images import ImageRef, check_tag
from voxguard_ci.errors import InfrastructureError, UserError

ACCEPTED_MANIFESTS = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
MANIFEST_TYPES = ", ".join(ACCEPTED_MANIFESTS)
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class Promotion(BaseModel):
    image: str
    digest: str
    tag: str
    verified: bool


def base_url(registry: str) -> str:
    """Plain HTTP for a registry on this machine (as Docker treats localhost), HTTPS everywhere else."""
    host = registry.rsplit(":", 1)[0] if not registry.startswith("[") else registry.split("]")[0] + "]"
    return f"{'http' if host in LOOPBACK else 'https'}://{registry}"


def _request(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    try:
        return client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise InfrastructureError(f"registry unreachable: {method} {url}: {exc}") from None


def promote(image: ImageRef, tag: str, client: httpx.Client | None = None) -> Promotion:
    check_tag(tag)
    own = client is None
    client = client or httpx.Client(timeout=30.0)
    try:
        root = f"{base_url(image.registry)}/v2/{image.repository}/manifests"
        got = _request(client, "GET", f"{root}/{image.digest}", headers={"Accept": MANIFEST_TYPES})
        if got.status_code == 404:
            raise UserError(f"{image}: no such manifest in {image.registry} (the digest is missing)")
        if got.status_code != 200:
            raise InfrastructureError(f"{image}: the registry answered HTTP {got.status_code}: {got.text[:200]}")
        actual = "sha256:" + hashlib.sha256(got.content).hexdigest()
        if actual != image.digest:
            raise InfrastructureError(f"{image}: the registry returned a manifest whose digest is {actual}")
        media_type = got.headers.get("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        put = _request(client, "PUT", f"{root}/{tag}", content=got.content, headers={"Content-Type": media_type})
        if put.status_code not in (200, 201):
            raise InfrastructureError(f"{image}: tagging {tag!r} failed: HTTP {put.status_code}: {put.text[:200]}")
        verified = resolve(image.registry, image.repository, tag, client) == image.digest
        return Promotion(image=f"{image.registry}/{image.repository}", digest=image.digest, tag=tag,
                         verified=verified)
    finally:
        if own:
            client.close()


def resolve(registry: str, repository: str, reference: str, client: httpx.Client | None = None) -> str | None:
    """The manifest digest `reference` (a tag or a digest) resolves to in the registry; None when absent."""
    own = client is None
    client = client or httpx.Client(timeout=30.0)
    try:
        answer = _request(client, "HEAD", f"{base_url(registry)}/v2/{repository}/manifests/{reference}",
                          headers={"Accept": MANIFEST_TYPES})
    finally:
        if own:
            client.close()
    return answer.headers.get("Docker-Content-Digest") if answer.status_code == 200 else None
