"""A content store for the outputs a step declares (binaries, reports, dependency folders), keyed by the
step's cache key.

After a step succeeds its outputs are archived with a manifest of what they were; on a cache hit every output
that is missing or differs from the manifest is put back, so later steps see exactly what a real run left
(not a stale report from a later, failed run). Files are compared by content; directories by the path, size
and modification time of every entry, which the archive restores as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputsMissing(Exception):
    """The archive for a cache key is gone: the step must run again."""


def archive_path(store: Path, key: str) -> Path:
    return store / key[:2] / f"{key}.tar"


def _manifest_path(store: Path, key: str) -> Path:
    return store / key[:2] / f"{key}.json"


def fingerprint(path: Path) -> str | None:
    if path.is_symlink() or path.is_file():
        if path.is_symlink():
            return "link:" + os.readlink(path)
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                sha.update(block)
        return "file:" + sha.hexdigest()
    if not path.is_dir():
        return None
    sha = hashlib.sha256()
    for directory, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(directory, d))]):
            full = os.path.join(directory, name)
            stat = os.lstat(full)
            sha.update(f"{os.path.relpath(full, path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return "dir:" + sha.hexdigest()


def save_outputs(root: Path, outputs: Sequence[str], store: Path, key: str) -> None:
    """Archive the declared outputs (all of which exist: the step checked) and their manifest."""
    target = archive_path(store, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(fd)
    with tarfile.open(tmp, "w") as tar:
        for rel in outputs:
            tar.add(root / rel, arcname=rel)
    manifest = {rel: fingerprint(root / rel) for rel in outputs}
    _manifest_path(store, key).write_text(json.dumps(manifest))
    os.replace(tmp, target)


def restore_outputs(root: Path, outputs: Sequence[str], store: Path, key: str) -> list[str]:
    """Put back the declared outputs that are missing or differ from what the step left; returns them."""
    if not outputs:
        return []
    source = archive_path(store, key)
    if source.is_file():
        os.utime(source)  # recently used archives are the last to be pruned
    try:
        manifest = json.loads(_manifest_path(store, key).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        manifest = {}
    if not source.is_file():
        raise OutputsMissing(f"no archived outputs for cache key {key[:12]}")
    stale = [rel for rel in outputs if manifest.get(rel) is None or fingerprint(root / rel) != manifest[rel]]
    if not stale:
        return []
    for rel in stale:
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    with tarfile.open(source) as tar:
        members = [m for m in tar.getmembers() if any(m.name == s or m.name.startswith(s + "/") for s in stale)]
        tar.extractall(root, members=members, filter="tar")
    return stale


def prune(store: Path, max_bytes: int) -> list[Path]:
    """Delete the least recently used archives until the store holds at most `max_bytes`; returns them.
    A pruned key only costs a re-run: its next cache hit finds no archive and runs the step again."""
    archives = sorted(store.glob("*/*.tar"), key=lambda p: p.stat().st_mtime, reverse=True)
    kept, removed = 0, []
    for archive in archives:
        kept += archive.stat().st_size
        if kept > max_bytes:
            archive.unlink(missing_ok=True)
            archive.with_suffix(".json").unlink(missing_ok=True)
            removed.append(archive)
    return removed
