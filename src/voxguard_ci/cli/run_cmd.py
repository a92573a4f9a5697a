"""`voxguard-ci run [REPO] [event options]`: the pipeline on an embedded (reused) Prefect server."""

from __future__ import annotations

import argparse
from pathlib import Path

from voxguard_ci.cli.event_options import add_event_options, load_repo_config, plan_from_args
from voxguard_ci.cli.output import add_format_option, emit
from voxguard_ci.errors import InfrastructureError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the pipeline on REPO (default: the current directory)")
    parser.add_argument("repo", nargs="?", default=".", help="repository containing voxguard-ci.yaml")
    parser.add_argument("--output-dir", help="where summary.md and gates.json go (default: REPO/.voxguard-ci/runs/ID)")
    parser.add_argument("--no-images", dest="build_images", action="store_false",
                        help="do not build the services' container images")
    add_event_options(parser)
    add_format_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from voxguard_ci.core.steps import PipelineResult
    from voxguard_ci.core.summary import terminal_summary
    from voxguard_ci.launcher import run_ci_pipeline

    repo = Path(args.repo).resolve()
    config = load_repo_config(args, repo)
    plan = plan_from_args(args, repo, config)
    result = run_ci_pipeline(
        repo=str(repo), plan=plan.model_dump(mode="json"),
        config_file=str(Path(args.config).resolve()) if args.config else None,
        output_dir=str(Path(args.output_dir).resolve()) if args.output_dir else None,
        build_images=args.build_images and any(s.docker for s in config.services if s.name in plan.services),
    )
    if not isinstance(result, PipelineResult):
        raise InfrastructureError(f"the ci-pipeline flow did not finish: {result}")
    data = result.model_dump(mode="json", include={"flow_run_id", "state", "reason", "services", "stages", "gates", "security",
                                                   "steps", "images", "output_dir"})
    emit(data, args.format, lambda _: terminal_summary(result))
    return 1 if result.state == "failed" else 0
