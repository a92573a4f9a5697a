"""Minimal HTTP front for the worker (stdlib only), used when running in a cluster.

Endpoints:
  GET  /healthz      liveness: always 200 while the process serves
  GET  /readyz       readiness: 200 with the worker's batch count
  GET  /v1/carriers  running per-carrier totals
  POST /v1/batches   body: JSON array of call events; answer: the batch summary
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from voxguard.worker import ProcessingWorker

MAX_BODY_BYTES = 8 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: VoxguardHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; the cluster's ingress logs requests."""

    def _send(self, status: HTTPStatus, payload: object) -> None:
        body = json.dumps(payload, sort_keys=True).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        worker = self.server.worker
        if self.path == "/healthz":
            self._send(HTTPStatus.OK, {"status": "ok"})
        elif self.path == "/readyz":
            self._send(HTTPStatus.OK, {"status": "ready", "batches": worker.batches_done})
        elif self.path == "/v1/carriers":
            with self.server.lock:
                carriers = [stats.to_dict() for _, stats in sorted(worker.totals.items())]
            self._send(HTTPStatus.OK, {"carriers": carriers})
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path != "/v1/batches":
            self._send(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "batch too large"})
            return
        try:
            events = json.loads(self.rfile.read(length) or b"null")
        except json.JSONDecodeError:
            self._send(HTTPStatus.BAD_REQUEST, {"error": "body is not JSON"})
            return
        if not isinstance(events, list):
            self._send(HTTPStatus.BAD_REQUEST, {"error": "body must be a JSON array of events"})
            return
        with self.server.lock:
            result = self.server.worker.process_batch(events)
        self._send(HTTPStatus.OK, result.summary())


class VoxguardHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], worker: ProcessingWorker) -> None:
        super().__init__(address, _Handler)
        self.worker = worker
        self.lock = threading.Lock()


def make_server(host: str, port: int, worker: ProcessingWorker) -> VoxguardHTTPServer:
    """Bind the server; ``port=0`` picks a free port (see ``server_address``)."""
    return VoxguardHTTPServer((host, port), worker)
