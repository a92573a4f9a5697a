"""Path filters with GitHub Actions semantics, matched by `pathspec`.

GitHub matches a `paths` pattern against the whole path from the repository root: `Cargo.lock` and
`requirements*.txt` name root files only, `*` never crosses `/`, `**` crosses any number of directories, and a
leading `!` excludes what earlier patterns included. Git's own wildmatch lets a slash-less pattern match at any
depth, so every pattern is anchored at the root before pathspec sees it; `**.md` is read as `**/*.md`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pathspec

from voxguard_ci.core.config import PipelineConfig


def _github_pattern(glob: str) -> str:
    negate, body = (True, glob[1:]) if glob.startswith("!") else (False, glob)
    if body.startswith("**") and not body.startswith("**/"):
        body = "**/*" + body[2:]
    elif not body.startswith(("/", "**/")):
        body = "/" + body
    return ("!" if negate else "") + body


def compile_globs(globs: Iterable[str]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", [_github_pattern(glob) for glob in globs])


def normalize(path: str) -> str:
    """A changed path as git prints it: relative to the root, with no leading `./` or `/`."""
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def matches(globs: Iterable[str], path: str) -> bool:
    return compile_globs(globs).match_file(normalize(path))


def matching(globs: Iterable[str], files: Iterable[str]) -> list[str]:
    spec = compile_globs(globs)
    return [path for path in files if spec.match_file(normalize(path))]


def docs_files(config: PipelineConfig, files: Iterable[str]) -> list[str]:
    return matching(config.triggers.docs_paths, files)


def is_docs_only(config: PipelineConfig, files: list[str]) -> bool:
    """True when there is at least one file and every file is documentation (a change that builds nothing)."""
    return bool(files) and len(docs_files(config, files)) == len(files)


def affected_services(config: PipelineConfig, files: Iterable[str]) -> list[str]:
    """Names of the services a change touches, in config order.

    A file matching `triggers.shared_paths` affects every service. Root lockfiles and manifests belong to the
    service whose `paths` name them (`Cargo.lock` → the Rust service). Documentation files (`docs_paths`) affect
    no service, even inside a service's tree: a docs-only change builds nothing.
    """
    docs = compile_globs(config.triggers.docs_paths)
    code = [normalize(path) for path in files if not docs.match_file(normalize(path))]
    if matching(config.triggers.shared_paths, code):
        return [service.name for service in config.services]
    return [service.name for service in config.services if matching(service.paths, code)]
