"""Batch worker: reads JSON-lines call events, writes one JSON summary per batch."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from voxguard.aggregate import CarrierStats, aggregate_by_carrier
from voxguard.features import DEFAULT_FLAG_THRESHOLD, RiskFeatures, ScoringConfig, score_batch
from voxguard.models import CallEvent, InvalidEventError


@dataclass(slots=True)
class BatchResult:
    """Outcome of one batch."""

    batch_no: int
    enriched: list[RiskFeatures]
    rejected: list[tuple[int, str]]
    carriers: dict[str, CarrierStats] = field(default_factory=dict)

    @property
    def flagged(self) -> list[RiskFeatures]:
        return [item for item in self.enriched if item.flagged]

    def summary(self) -> dict[str, Any]:
        return {
            "batch": self.batch_no,
            "accepted": len(self.enriched),
            "rejected": len(self.rejected),
            "flagged": [item.to_dict() for item in self.flagged],
            "carriers": [stats.to_dict() for stats in self.carriers.values()],
        }


class ProcessingWorker:
    """Consumes call-event batches and keeps running per-carrier totals."""

    def __init__(self, config: ScoringConfig | None = None, default_region: str = "GB") -> None:
        self.config = config or ScoringConfig()
        self.default_region = default_region
        self.totals: dict[str, CarrierStats] = {}
        self.batches_done = 0

    def process_batch(self, raw_events: Iterable[Any]) -> BatchResult:
        events: list[CallEvent] = []
        rejected: list[tuple[int, str]] = []
        for index, raw in enumerate(raw_events):
            try:
                events.append(CallEvent.from_dict(raw, self.default_region))
            except InvalidEventError as exc:
                rejected.append((index, str(exc)))
        enriched = score_batch(events, self.config)
        carriers = aggregate_by_carrier(enriched)
        for name, stats in carriers.items():
            if name in self.totals:
                self.totals[name].merge(stats)
            else:
                merged = CarrierStats(carrier=name)
                merged.merge(stats)
                self.totals[name] = merged
        self.batches_done += 1
        return BatchResult(self.batches_done, enriched, rejected, carriers)


def read_batches(lines: Iterable[str], batch_size: int) -> Iterator[list[Any]]:
    """Group JSON lines into batches; undecodable lines become ``None`` (rejected later)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    batch: list[Any] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            batch.append(json.loads(line))
        except json.JSONDecodeError:
            batch.append(None)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(stream: TextIO, out: TextIO, worker: ProcessingWorker, batch_size: int) -> int:
    """Process a whole stream; returns the number of flagged calls."""
    flagged = 0
    for batch in read_batches(stream, batch_size):
        result = worker.process_batch(batch)
        flagged += len(result.flagged)
        out.write(json.dumps(result.summary(), sort_keys=True) + "\n")
    totals = {
        "batches": worker.batches_done,
        "carriers": [stats.to_dict() for stats in sorted(worker.totals.values(), key=_by_name)],
    }
    out.write(json.dumps({"totals": totals}, sort_keys=True) + "\n")
    return flagged


def _by_name(stats: CarrierStats) -> str:
    return stats.carrier


def serve(host: str, port: int, worker: ProcessingWorker) -> int:
    """Serve until interrupted (SIGINT / KeyboardInterrupt)."""
    from voxguard.server import make_server

    httpd = make_server(host, port, worker)
    print(f"voxguard-processing listening on {host}:{httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="voxguard-processing", description=__doc__)
    parser.add_argument("--input", default="-", help="JSON-lines file of call events, - for stdin")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--region", default="GB", help="region for numbers in national form")
    parser.add_argument("--threshold", type=float, default=DEFAULT_FLAG_THRESHOLD)
    parser.add_argument(
        "--fail-on-flagged", action="store_true", help="exit 3 when any call is flagged"
    )
    parser.add_argument("--serve", action="store_true", help="serve HTTP instead of a stream")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    worker = ProcessingWorker(ScoringConfig(flag_threshold=args.threshold), args.region)
    if args.serve:
        return serve(args.host, args.port, worker)
    if args.input == "-":
        flagged = run(sys.stdin, sys.stdout, worker, args.batch_size)
    else:
        with open(args.input, encoding="utf-8") as stream:
            flagged = run(stream, sys.stdout, worker, args.batch_size)
    return 3 if args.fail_on_flagged and flagged else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
