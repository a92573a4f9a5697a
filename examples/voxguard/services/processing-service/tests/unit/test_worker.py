import io
import json

import pytest

import voxguard
from voxguard.worker import ProcessingWorker, main, read_batches, run

from .conftest import UK_PREMIUM


def jsonl(events):
    return "".join(json.dumps(e) + "\n" for e in events)


def test_version_is_exposed():
    assert voxguard.__version__.count(".") == 2


def test_process_batch_rejects_bad_events_and_keeps_totals(event_factory):
    worker = ProcessingWorker()
    first = worker.process_batch([event_factory(), None, {"call_id": "x"}])
    assert len(first.enriched) == 1
    assert [index for index, _ in first.rejected] == [1, 2]
    worker.process_batch([event_factory(call_id="2", caller="1", callee=UK_PREMIUM)])
    assert worker.batches_done == 2
    assert worker.totals["ACME"].total_calls == 2
    assert worker.totals["ACME"].flagged_calls == 1


def test_read_batches_groups_and_skips_blank_lines():
    lines = ['{"a": 1}\n', "\n", "not json\n", '{"b": 2}\n']
    assert list(read_batches(lines, 2)) == [[{"a": 1}, None], [{"b": 2}]]
    with pytest.raises(ValueError, match="batch_size"):
        list(read_batches(lines, 0))


def test_run_writes_one_summary_per_batch_and_totals(event_factory):
    stream = io.StringIO(
        jsonl([event_factory(), event_factory(call_id="2", callee=UK_PREMIUM, caller="9")])
    )
    out = io.StringIO()
    flagged = run(stream, out, ProcessingWorker(), batch_size=1)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert flagged == 1
    assert [line["batch"] for line in lines[:2]] == [1, 2]
    assert lines[1]["flagged"][0]["callee"] == "+449012345678"
    assert lines[-1]["totals"]["batches"] == 2


def test_main_reads_file_and_sets_exit_code(tmp_path, capsys, event_factory):
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl([event_factory(caller="1", callee=UK_PREMIUM)]), encoding="utf-8")
    assert main(["--input", str(path)]) == 0
    assert main(["--input", str(path), "--fail-on-flagged"]) == 3
    assert main(["--input", str(path), "--fail-on-flagged", "--threshold", "0.99"]) == 0
    assert '"totals"' in capsys.readouterr().out


def test_main_reads_stdin(monkeypatch, capsys, event_factory):
    monkeypatch.setattr("sys.stdin", io.StringIO(jsonl([event_factory()])))
    assert main(["--region", "GB"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[0])["accepted"] == 1
