"""Which files a change touched, from a git diff in a local repository.

Revisions come from event data (a webhook's shas, `--base`/`--head`), so they are passed as argv items after
`--end-of-options`, never through a shell, and a revision that looks like an option is refused outright.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from voxguard_ci.adapters.runner import run_command
from voxguard_ci.core.models import StepStatus
from voxguard_ci.errors import EventError, InfrastructureError

GIT_TIMEOUT_SECONDS = 60.0


def _check_revision(name: str, revision: str) -> None:
    if not revision:
        raise EventError(f"{name}: expected a git revision, got an empty string")
    if revision.startswith("-"):
        raise EventError(f"{name}: a git revision must not start with '-', got {revision!r}")
    if "\0" in revision:
        raise EventError(f"{name}: a git revision must not contain a NUL byte, got {revision!r}")


def diff_argv(repo: Path, base: str, head: str, *, since_merge_base: bool = False) -> list[str]:
    """The argv that lists changed paths; `since_merge_base` diffs from the merge base, as GitHub lists a PR.

    `git diff-tree` rather than `git diff`: outside a repository `git diff` silently becomes `--no-index` and
    prints its usage. `--relative` makes paths relative to REPO when REPO is a subdirectory of a larger
    repository, as the config's globs are.
    """
    _check_revision("base", base)
    _check_revision("head", head)
    merge_base = ["--merge-base"] if since_merge_base else []
    return [
        "git", "-C", str(repo), "diff-tree", "-r", "--name-only", "-z", "--no-renames", "--relative",
        *merge_base, "--end-of-options", base, head, "--",
    ]


def changed_files(repo: Path, base: str, head: str, *, since_merge_base: bool = False) -> list[str]:
    """Paths (relative to the repository root) that differ between `base` and `head`.

    Renames count as a deletion plus an addition, so a file moved out of a service still affects it.
    """
    argv = diff_argv(repo, base, head, since_merge_base=since_merge_base)
    if not repo.is_dir():
        raise EventError(f"{repo}: not a directory (expected a git repository to diff {base!r} {head!r} in)")
    with tempfile.TemporaryDirectory(prefix="voxguard-git-") as scratch:
        listing = Path(scratch) / "names"
        result = run_command(argv, cwd=repo, env=os.environ, timeout=GIT_TIMEOUT_SECONDS, stdout_path=listing)
        output = listing.read_bytes() if listing.exists() else b""
    if result.status == StepStatus.NOT_FOUND:
        raise InfrastructureError("git is not installed (needed to list the changed files)")
    if result.status == StepStatus.TIMED_OUT:
        raise InfrastructureError(f"git diff in {repo} took longer than {GIT_TIMEOUT_SECONDS:g} s")
    if result.status != StepStatus.PASSED:
        detail = next((line.strip() for line in result.log_tail if line.strip()), result.reason)
        raise EventError(f"git diff {base!r} {head!r} in {repo}: {detail}")
    return [path for path in output.decode("utf-8", "surrogateescape").split("\0") if path]


def commit_of(repo: Path, revision: str = "HEAD") -> str | None:
    """The full commit id `revision` names in `repo`, or None when `repo` is not in a git repository."""
    _check_revision("revision", revision)
    lines: list[str] = []
    result = run_command(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", "--end-of-options",
                          f"{revision}^{{commit}}"], cwd=repo, env=os.environ, timeout=GIT_TIMEOUT_SECONDS,
                         on_line=lines.append)
    commit = lines[0].strip() if result.status == StepStatus.PASSED and lines else ""
    return commit if len(commit) == 40 else None
