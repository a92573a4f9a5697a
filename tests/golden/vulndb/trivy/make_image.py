"""Write a minimal Alpine-like image as a `docker save` tarball for `trivy image --input` (needs no registry).

    python tests/golden/vulndb/trivy/make_image.py OUT.tar

The image holds only what Trivy reads to detect an Alpine OS and its packages: /etc/alpine-release,
/etc/os-release and the apk database /lib/apk/db/installed (musl and busybox at pinned versions).
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile

FILES = {
    "etc/alpine-release": "3.19.1\n",
    "etc/os-release": 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
    "lib/apk/db/installed": (
        "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\nT:the musl c library\n\n"
        "P:busybox\nV:1.36.1-r15\nA:x86_64\nL:GPL-2.0-only\no:busybox\nT:Size optimized toolbox\n\n"
    ),
}


def _tar(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def main(out: str) -> None:
    layer = _tar({name: text.encode() for name, text in FILES.items()})
    diff_id = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "2026-01-15T00:00:00Z",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id}"]},
            "history": [{"created": "2026-01-15T00:00:00Z", "created_by": "ADD rootfs /"}],
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": ["voxguard/alpine-test:1"], "Layers": [f"{diff_id}/layer.tar"]}]
    ).encode()
    with open(out, "wb") as handle:
        handle.write(_tar({"manifest.json": manifest, config_name: config, f"{diff_id}/layer.tar": layer}))


if __name__ == "__main__":
    main(sys.argv[1])
