import hashlib
import json

import httpx
import pytest

from voxguard_ci.adapters.registry import base_url, promote
from voxguard_ci.core.images import check_tag, parse_digest_ref
from voxguard_ci.errors import InfrastructureError, UserError

MANIFEST = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2,
                                  "digest": "sha256:" + "c" * 64}, "layers": []}).encode()
DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()


def test_digest_references_are_parsed_and_checked():
    ref = parse_digest_ref(f"127.0.0.1:5000/voxguard/web@{DIGEST}")
    assert (ref.registry, ref.repository, ref.digest) == ("127.0.0.1:5000", "voxguard/web", DIGEST)
    for bad in ("voxguard/web:latest", f"web@{DIGEST}", "127.0.0.1:5000/web@sha256:abc", f"host:1/Web@{DIGEST}"):
        with pytest.raises(UserError, match="expected REGISTRY/REPOSITORY@sha256"):
            parse_digest_ref(bad)
    assert check_tag("v1.4.0") == "v1.4.0"
    for bad in ("-rf", "a b", "$(touch x)", "x" * 129):
        with pytest.raises(UserError):
            check_tag(bad)


def test_loopback_registries_speak_http_others_https():
    assert base_url("127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert base_url("localhost:5000") == "http://localhost:5000"
    assert base_url("ghcr.io") == "https://ghcr.io"


def registry(manifests: dict[str, bytes], puts: list) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        reference = request.url.path.rsplit("/", 1)[1]
        if request.method == "PUT":
            puts.append((reference, request.content, request.headers["Content-Type"]))
            manifests[reference] = request.content
            return httpx.Response(201)
        if reference not in manifests:
            return httpx.Response(404, json={"errors": [{"code": "MANIFEST_UNKNOWN"}]})
        body = manifests[reference]
        headers = {"Content-Type": "application/vnd.oci.image.manifest.v1+json",
                   "Docker-Content-Digest": "sha256:" + hashlib.sha256(body).hexdigest()}
        return httpx.Response(200, content=b"" if request.method == "HEAD" else body, headers=headers)

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_promote_puts_the_same_bytes_under_the_tag_and_verifies_it():
    puts: list = []
    result = promote(parse_digest_ref(f"127.0.0.1:5000/voxguard/web@{DIGEST}"), "v1",
                     registry({DIGEST: MANIFEST}, puts))
    assert result.verified and result.tag == "v1" and result.digest == DIGEST
    assert puts == [("v1", MANIFEST, "application/vnd.oci.image.manifest.v1+json")]


def test_a_missing_digest_is_an_error_naming_it():
    with pytest.raises(UserError, match=f"voxguard/web@{DIGEST}: no such manifest"):
        promote(parse_digest_ref(f"127.0.0.1:5000/voxguard/web@{DIGEST}"), "v1", registry({}, []))


def test_a_manifest_that_does_not_hash_to_its_digest_is_refused():
    with pytest.raises(InfrastructureError, match="whose digest is"):
        promote(parse_digest_ref(f"127.0.0.1:5000/voxguard/web@{DIGEST}"), "v1",
                registry({DIGEST: MANIFEST + b" "}, []))
