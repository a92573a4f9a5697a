"""`voxguard-ci plan [REPO] [event options]`: what would run for an event, without running it.

Exit 0 when a plan was printed (also a plan that runs nothing), 2 when the config or the event is invalid.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from voxguard_ci.cli.event_options import add_event_options, load_repo_config, plan_from_args
from voxguard_ci.cli.output import add_format_option, emit
from voxguard_ci.core.plan_render import to_mermaid, to_text
from voxguard_ci.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="show which services and stages an event would run, and where it would deploy",
        description="Plan a pipeline run for an event without running it.",
    )
    parser.add_argument("repo", nargs="?", default=".", type=Path, metavar="REPO",
                        help="the repository (default: the current directory)")
    add_event_options(parser)
    add_format_option(parser, "mermaid")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    repo: Path = args.repo
    if not repo.is_dir():
        raise ConfigError(f"REPO {repo}: not a directory (expected the repository to plan)")
    plan = plan_from_args(args, repo, load_repo_config(args, repo))
    render = to_mermaid if args.format == "mermaid" else to_text
    emit(plan.model_dump(mode="json"), args.format, lambda _data: render(plan))
    return 0
