"""The git adapter on real temporary repositories."""

import pytest
from plan_support import commit, git

from voxguard_ci.adapters.git import changed_files, diff_argv
from voxguard_ci.errors import EventError


@pytest.fixture()
def repo(tmp_path):
    path = tmp_path / "repo"
    commit(path, {"Cargo.lock": "v1", "services/management-api/main.go": "package main",
                  "old/name.py": "x = 1", "docs/a.md": "# a"}, "first")
    return path


def test_changed_files_lists_added_modified_removed_and_renamed(repo):
    first = git(repo, "rev-parse", "HEAD")
    (repo / "services/processing-service").mkdir(parents=True)
    git(repo, "mv", "old/name.py", "services/processing-service/name.py")
    second = commit(repo, {"Cargo.lock": "v2", "docs/a.md": None, "packages/web/odd name\nwith newline.ts": "x"})
    assert sorted(changed_files(repo, first, second)) == sorted([
        "Cargo.lock", "docs/a.md", "old/name.py", "packages/web/odd name\nwith newline.ts",
        "services/processing-service/name.py",
    ])


def test_no_change_is_an_empty_list(repo):
    head = git(repo, "rev-parse", "HEAD")
    assert changed_files(repo, head, head) == []


def test_since_merge_base_lists_only_the_branchs_own_files(repo):
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    feature = commit(repo, {"go.mod": "module x"})
    git(repo, "checkout", "-q", "main")
    main = commit(repo, {"pnpm-lock.yaml": "lock"})
    assert changed_files(repo, main, feature, since_merge_base=True) == ["go.mod"]
    assert sorted(changed_files(repo, main, feature)) == ["go.mod", "pnpm-lock.yaml"]
    assert changed_files(repo, base, feature) == ["go.mod"]


def test_an_unknown_revision_is_an_event_error_with_gits_message(repo):
    with pytest.raises(EventError) as info:
        changed_files(repo, "no-such-branch", "HEAD")
    assert "'no-such-branch'" in str(info.value)
    assert "fatal:" in str(info.value)


def test_paths_are_relative_to_a_repo_inside_a_larger_repository(repo):
    first = git(repo, "rev-parse", "HEAD")
    second = commit(repo, {"examples/app/Cargo.lock": "v2", "go.mod": "module x"})
    assert changed_files(repo / "examples" / "app", first, second) == ["Cargo.lock"]


def test_a_directory_that_is_not_a_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(EventError, match="not a git repository"):
        changed_files(tmp_path, "HEAD~1", "HEAD")


def test_a_missing_directory(tmp_path):
    with pytest.raises(EventError, match="not a directory"):
        changed_files(tmp_path / "nope", "a", "b")


@pytest.mark.parametrize("revision", ["-x", "--output=/tmp/owned", "", "a\0b"])
def test_option_like_or_empty_revisions_are_refused_before_git_runs(repo, revision):
    with pytest.raises(EventError):
        changed_files(repo, revision, "HEAD")
    with pytest.raises(EventError):
        changed_files(repo, "HEAD", revision)


def test_revisions_follow_end_of_options(tmp_path):
    argv = diff_argv(tmp_path, "abc", "def")
    assert argv[:3] == ["git", "-C", str(tmp_path)]
    assert argv[argv.index("--end-of-options") + 1:] == ["abc", "def", "--"]
