"""write_atomically: readers never see half a file, and a secret file is never readable by others."""

import stat

from voxguard_ci.adapters.workspace import write_atomically


def test_a_secret_file_is_private_from_its_creation_and_replaces_the_old_one(tmp_path):
    target = tmp_path / "state" / "postgres.json"
    write_atomically(target, '{"password": "old"}', mode=0o600)
    write_atomically(target, '{"password": "new"}', mode=0o600)
    assert target.read_text() == '{"password": "new"}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["postgres.json"]  # no partial file left behind


def test_a_leftover_partial_file_does_not_block_a_write(tmp_path):
    (tmp_path / "summary.md.partial").write_text("half")
    write_atomically(tmp_path / "summary.md", "whole")
    assert (tmp_path / "summary.md").read_text() == "whole"
    assert stat.S_IMODE((tmp_path / "summary.md").stat().st_mode) & 0o044  # readable by others by default
