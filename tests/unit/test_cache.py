from pathlib import Path

import pytest

from voxguard_ci.adapters import outputs, workspace
from voxguard_ci.core import cache

BASE = {"service": "api", "stage": "build", "inputs": "i", "commands": [["go", "build"]], "env": {"PATH": "/bin"},
        "toolchain": "go1.26", "outputs": ["bin/api"]}


@pytest.mark.parametrize("field,value", [
    ("inputs", "j"), ("commands", [["go", "build", "-race"]]), ("env", {"PATH": "/usr/bin"}),
    ("toolchain", "go1.27"), ("outputs", []), ("stage", "test"), ("service", "web"),
])
def test_every_input_changes_the_key(field, value):
    assert cache.step_key(**{**BASE, field: value}) != cache.step_key(**BASE)


def test_key_is_stable_and_ignores_order_of_file_digests():
    assert cache.step_key(**BASE) == cache.step_key(**dict(BASE))
    assert cache.inputs_digest({"a": "1", "b": "2"}) == cache.inputs_digest({"b": "2", "a": "1"})


def tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def test_list_files_skips_ignored_dirs_and_gitignore(tmp_path):
    tree(tmp_path, {"src/a.go": "", "packages/web/node_modules/x/i.js": "", "target/release/bin": "",
                    "gen/out.txt": "", ".gitignore": "gen/\n", "packages/web/src/app.ts": ""})
    files = workspace.list_files(tmp_path, ["**/node_modules/**", "target/**"])
    assert files == [".gitignore", "packages/web/src/app.ts", "src/a.go"]


def test_outputs_are_restored_when_missing_or_changed(tmp_path):
    repo, store = tmp_path / "repo", tmp_path / "store"
    tree(repo, {"target/release/engine": "binary-v1", "reports/cov.xml": "<coverage/>", "dist/a.js": "a"})
    outputs.save_outputs(repo, ["target/release/engine", "reports/cov.xml", "dist"], store, "k" * 64)
    assert outputs.restore_outputs(repo, ["target/release/engine", "reports/cov.xml", "dist"], store, "k" * 64) == []
    (repo / "target/release/engine").unlink()
    (repo / "reports/cov.xml").write_text("a stale report from a later, failed run")
    (repo / "dist/b.js").write_text("leftover")
    restored = outputs.restore_outputs(repo, ["target/release/engine", "reports/cov.xml", "dist"], store, "k" * 64)
    assert restored == ["target/release/engine", "reports/cov.xml", "dist"]
    assert (repo / "target/release/engine").read_text() == "binary-v1"
    assert (repo / "reports/cov.xml").read_text() == "<coverage/>"
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["a.js"]


def test_missing_archive_means_run_again(tmp_path):
    with pytest.raises(outputs.OutputsMissing):
        outputs.restore_outputs(tmp_path, ["absent"], tmp_path / "store", "0" * 64)


def test_prune_keeps_the_most_recently_used_archives_within_the_limit(tmp_path):
    import os

    repo, store = tmp_path / "repo", tmp_path / "store"
    tree(repo, {"out.bin": "x" * 4000})
    for age, key in enumerate(["a" * 64, "b" * 64, "c" * 64]):
        outputs.save_outputs(repo, ["out.bin"], store, key)
        stamp = 1_000_000 + age * 100
        os.utime(outputs.archive_path(store, key), (stamp, stamp))
    (repo / "out.bin").unlink()
    outputs.restore_outputs(repo, ["out.bin"], store, "a" * 64)  # a hit makes the oldest the most recent
    size = outputs.archive_path(store, "a" * 64).stat().st_size
    removed = outputs.prune(store, 2 * size)
    assert removed == [outputs.archive_path(store, "b" * 64)]
    assert outputs.archive_path(store, "a" * 64).is_file() and outputs.archive_path(store, "c" * 64).is_file()
    assert not (store / "bb" / ("b" * 64 + ".json")).exists()
    with pytest.raises(outputs.OutputsMissing):
        outputs.restore_outputs(tmp_path / "elsewhere", ["out.bin"], store, "b" * 64)
