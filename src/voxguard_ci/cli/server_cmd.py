"""`voxguard-ci server start|stop|status`: the local Prefect server reused between runs."""

from __future__ import annotations

import argparse

from voxguard_ci.cli.output import add_format_option, emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("server", help="start, stop or show the reused local Prefect server")
    parser.add_argument("action", choices=["start", "stop", "status"])
    add_format_option(parser)
    parser.set_defaults(handler=handle)


def _text(data: dict) -> str:
    state = "running" if data["running"] else "stopped"
    lines = [f"Prefect server: {state}"]
    if data["running"]:
        lines.append(f"  url:      {data['url']}  (UI: {data['url'].removesuffix('/api')})")
    lines.append(f"  database: {data['database']}")
    if data.get("log"):
        lines.append(f"  log:      {data['log']}")
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    from voxguard_ci.adapters import prefect_server

    action = {"start": prefect_server.start, "stop": prefect_server.stop, "status": prefect_server.status}
    current = action[args.action]()
    data = prefect_server.as_dict(current)
    emit({k: data[k] for k in ("url", "running", "database", "log")}, args.format, _text)
    return 0
