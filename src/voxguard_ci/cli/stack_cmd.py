"""`voxguard-ci stack up|down|status [PART ...]`: the local registry, Podman API service and Prefect server."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from voxguard_ci.cli.output import add_format_option, emit


def register(sub: argparse._SubParsersAction) -> None:
    from voxguard_ci.adapters.stack import PARTS

    parser = sub.add_parser("stack", help="start, stop or show the local parts a full run needs",
                            description="Parts: registry (127.0.0.1:5000 unless VOXGUARD_CI_REGISTRY), podman "
                                        "(Docker API on a unix socket), server (Prefect). Default: all.")
    parser.add_argument("action", choices=["up", "down", "status"])
    # [] among the choices: argparse checks a nargs="*" default against them
    parser.add_argument("parts", nargs="*", choices=[[], *PARTS], metavar="PART",
                        help=f"some of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--postgres", dest="database", action="store_const", const="postgres", default="sqlite",
                        help="run the Prefect server on PostgreSQL (Debian's, or VOXGUARD_CI_DATABASE_URL)")
    add_format_option(parser)
    parser.set_defaults(handler=handle)


def _text(data: dict) -> str:
    lines = []
    for part in data["parts"]:
        state = "running" if part["running"] else "stopped"
        lines.append(f"{part['name']:<9} {state:<8} {part['url'] or ''}")
        for key, value in [("pid", part["pid"]), ("log", part["log"]), *part["details"].items()]:
            if value:
                lines.append(f"  {key}: {value}")
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    from voxguard_ci.adapters import stack

    if args.action == "up":
        parts = stack.up(args.parts, database=args.database)
    elif args.action == "down":
        parts = stack.down(args.parts)
    else:
        parts = stack.status(args.parts)
    emit({"parts": [asdict(p) for p in parts]}, args.format, _text)
    return 0 if args.action == "down" or all(p.running for p in parts) else 1
