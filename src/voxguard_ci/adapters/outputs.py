"""A content store for the outputs a step declares (binaries, reports), keyed by the step's cache key.

After a step succeeds its outputs are archived; on a cache hit they are restored when missing, so later
steps find exactly what a real run would have left.
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputsMissing(Exception):
    """The archive for a cache key is gone: the step must run again."""


def archive_path(store: Path, key: str) -> Path:
    return store / key[:2] / f"{key}.tar"


def save_outputs(root: Path, outputs: Sequence[str], store: Path, key: str) -> list[str]:
    """Archive the declared outputs that exist; returns the ones that were missing."""
    missing = [rel for rel in outputs if not (root / rel).exists()]
    target = archive_path(store, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(fd)
    with tarfile.open(tmp, "w") as tar:
        for rel in outputs:
            if (root / rel).exists():
                tar.add(root / rel, arcname=rel)
    os.replace(tmp, target)
    return missing


def restore_outputs(root: Path, outputs: Sequence[str], store: Path, key: str) -> list[str]:
    """Bring back declared outputs that are absent from `root`; returns what was restored."""
    absent = [rel for rel in outputs if not (root / rel).exists()]
    if not absent:
        return []
    source = archive_path(store, key)
    if not source.is_file():
        raise OutputsMissing(f"no archived outputs for cache key {key[:12]}")
    with tarfile.open(source) as tar:
        members = [m for m in tar.getmembers() if any(m.name == a or m.name.startswith(a + "/") for a in absent)]
        tar.extractall(root, members=members, filter="tar")
    return absent
