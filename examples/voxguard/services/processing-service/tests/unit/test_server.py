import json
import threading
import urllib.error
import urllib.request

import pytest

from voxguard import worker as worker_module
from voxguard.server import MAX_BODY_BYTES, make_server
from voxguard.worker import ProcessingWorker

from .conftest import UK_PREMIUM


@pytest.fixture
def base_url():
    httpd = make_server("127.0.0.1", 0, ProcessingWorker())
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def call(url, body=None, headers=None):
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_health_and_readiness(base_url):
    assert call(base_url + "/healthz") == (200, {"status": "ok"})
    assert call(base_url + "/readyz") == (200, {"batches": 0, "status": "ready"})
    assert call(base_url + "/nope")[0] == 404


def test_post_batch_then_read_carrier_totals(base_url, event_factory):
    body = json.dumps([event_factory(caller="1", callee=UK_PREMIUM), {"bad": 1}]).encode()
    status, summary = call(base_url + "/v1/batches", body)
    assert status == 200
    assert (summary["accepted"], summary["rejected"], len(summary["flagged"])) == (1, 1, 1)
    status, totals = call(base_url + "/v1/carriers")
    assert status == 200
    assert totals["carriers"][0]["flagged_calls"] == 1


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/batches", b"{not json", 400),
        ("/v1/batches", b'{"an": "object"}', 400),
        ("/v1/other", b"[]", 404),
    ],
)
def test_post_errors(base_url, path, body, status):
    assert call(base_url + path, body)[0] == status


def test_post_too_large_is_refused_before_reading(base_url):
    headers = {"Content-Length": str(MAX_BODY_BYTES + 1)}
    assert call(base_url + "/v1/batches", b"[]", headers)[0] == 413


def test_serve_closes_cleanly_on_interrupt(monkeypatch, capsys):
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr("voxguard.server.VoxguardHTTPServer.serve_forever", interrupted)
    assert worker_module.main(["--serve", "--host", "127.0.0.1", "--port", "0"]) == 0
    assert "listening on 127.0.0.1:" in capsys.readouterr().out
