"""`voxguard-ci promote` against a real registry (Debian's docker-registry) on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "registry.yml"
    config.write_text(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {tmp_path / 'data'}\n"
                      f"http:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/v2/").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield f"127.0.0.1:{port}", url
    proc.terminate()
    proc.wait(timeout=10)


def push_blob(url: str, repository: str, data: bytes) -> dict:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    start = httpx.post(f"{url}/v2/{repository}/blobs/uploads/")
    assert start.status_code == 202
    location = start.headers["Location"]
    location = location if location.startswith("http") else url + location
    upload = httpx.URL(location).copy_merge_params({"digest": digest})  # keep the registry's _state parameter
    done = httpx.put(upload, content=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert done.status_code == 201, done.text
    return {"digest": digest, "size": len(data)}


def push_image(url: str, repository: str, tag: str) -> str:
    config = push_blob(url, repository, json.dumps({"architecture": "amd64", "os": "linux",
                                                    "rootfs": {"type": "layers", "diff_ids": []}}).encode())
    layer = push_blob(url, repository, b"not really a tar layer, but a real blob " + tag.encode())
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}],
    }).encode()
    put = httpx.put(f"{url}/v2/{repository}/manifests/{tag}", content=manifest,
                    headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    assert put.status_code == 201, put.text
    return put.headers["Docker-Content-Digest"]


def promote(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voxguard_ci", "promote", *argv, "--json"],
                          capture_output=True, text=True, timeout=60, check=False)


def test_promotion_retags_by_digest_without_uploading_anything(registry):
    host, url = registry
    digest = push_image(url, "voxguard/web", "sha-0123abc")
    proc = promote(f"{host}/voxguard/web@{digest}", "v1.4.0")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"image": f"{host}/voxguard/web", "digest": digest, "tag": "v1.4.0",
                                       "verified": True}
    tagged = httpx.head(f"{url}/v2/voxguard/web/manifests/v1.4.0",
                        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
    assert tagged.headers["Docker-Content-Digest"] == digest
    assert set(httpx.get(f"{url}/v2/voxguard/web/tags/list").json()["tags"]) == {"sha-0123abc", "v1.4.0"}


def test_a_missing_digest_exits_2_naming_it(registry):
    host, url = registry
    push_image(url, "voxguard/web", "sha-0123abc")
    missing = "sha256:" + "0" * 64
    proc = promote(f"{host}/voxguard/web@{missing}", "v1.4.0")
    assert proc.returncode == 2
    assert f"voxguard/web@{missing}: no such manifest" in proc.stderr
    assert "Traceback" not in proc.stderr
