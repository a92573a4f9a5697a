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


def write_atomically(path: Path, text: str) -> Path:
    """Write through a temporary sibling and rename it, so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
