"""Reading the repository: which files exist (honouring ignore globs and .gitignore) and their digests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import pathspec


def pattern_matcher(patterns: Iterable[str]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", list(patterns))


def list_files(root: Path, ignore: Iterable[str]) -> list[str]:
    """Every file under `root` (POSIX relative paths, sorted), skipping ignored files and directories."""
    patterns = list(ignore)
    gitignore = root / ".gitignore"
    if gitignore.is_file():
        patterns += gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    ignored = pattern_matcher(patterns)
    found: list[str] = []
    for directory, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and not ignored.match_file(f"{prefix}{d}/"))
        found.extend(prefix + name for name in filenames if not ignored.match_file(prefix + name))
    return sorted(found)


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def write_atomically(path: Path, text: str, mode: int = 0o644) -> Path:
    """Write through a temporary sibling and rename it, so readers never see a half-written file; the file has
    `mode` from its creation (0o600 for a secret is never readable by others, not even for a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path
