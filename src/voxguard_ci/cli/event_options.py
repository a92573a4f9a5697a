"""The event options shared by `run` and `plan`, and turning them into a Plan.

    --event NAME [--ref REF] [--changed PATH... | --base SHA --head SHA] [--input KEY=VALUE ...]
    --github-event NAME --payload FILE [--changed PATH... | --base SHA --head SHA]

With no event options the plan is a local run of every service, without deploy (`--changed` or
`--base/--head` alone scope that local run to the affected services).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from voxguard_ci.adapters import git
from voxguard_ci.core.config import CONFIG_FILENAME, PipelineConfig, load_config
from voxguard_ci.core.events import BRANCH_PREFIX, TRIGGERS, Event, from_github, from_ref
from voxguard_ci.core.plan import Plan, make_plan
from voxguard_ci.errors import EventError


def add_event_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("event options (default: a local run of every service, no deploy)")
    source = group.add_mutually_exclusive_group()
    source.add_argument("--event", choices=TRIGGERS, help="the trigger to plan for")
    source.add_argument("--github-event", metavar="NAME", help="a GitHub webhook's X-GitHub-Event (with --payload)")
    group.add_argument("--payload", metavar="FILE", type=Path, help="the JSON body of that GitHub delivery")
    group.add_argument("--ref", help="branch or tag, short or full (refs/heads/main); for pull_request the "
                                     "target branch; default: the main branch")
    group.add_argument("--changed", nargs="+", metavar="PATH", help="the files the change touched")
    group.add_argument("--base", metavar="SHA", help="diff base in REPO (with --head)")
    group.add_argument("--head", metavar="SHA", help="diff head in REPO (with --base)")
    group.add_argument("--input", action="append", default=[], metavar="KEY=VALUE",
                       help="dispatch input, repeatable: environment, version, skip_tests; for "
                            "repository_dispatch event_type, and any other key goes into client_payload")
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help=f"pipeline config (default: REPO/{CONFIG_FILENAME})")


def load_repo_config(args: argparse.Namespace, repo: Path) -> PipelineConfig:
    return load_config(args.config if args.config is not None else repo / CONFIG_FILENAME)


def plan_from_args(args: argparse.Namespace, repo: Path, config: PipelineConfig) -> Plan:
    plan = _plan_event(args, repo, config)
    if plan.run and plan.commit is None:  # the commit images are tagged with
        plan = plan.model_copy(update={"commit": git.commit_of(repo, args.head or "HEAD")})
    return plan


def _plan_event(args: argparse.Namespace, repo: Path, config: PipelineConfig) -> Plan:
    _check_combinations(args)
    if args.github_event is not None:
        event = from_github(args.github_event, _read_payload(args.payload))
    elif args.event is not None:
        event = _event_from_options(args, config)
    else:
        event = Event(trigger="local")
    if args.changed is not None:
        return make_plan(config, event, list(args.changed))
    diff_range = _diff_range(args, event)
    if diff_range is None:
        return make_plan(config, event, event.changed_files)
    unscoped = make_plan(config, event, None)
    if not unscoped.run:
        return unscoped  # no git diff for an event that runs nothing anyway
    base, head, since_merge_base = diff_range
    return make_plan(config, event, git.changed_files(repo, base, head, since_merge_base=since_merge_base))


def _check_combinations(args: argparse.Namespace) -> None:
    if (args.base is None) != (args.head is None):
        raise EventError("--base and --head go together: give both revisions to diff, or neither")
    if args.changed is not None and args.base is not None:
        raise EventError("--changed and --base/--head both name the changed files: give one of them")
    if (args.github_event is None) != (args.payload is None):
        raise EventError("--github-event and --payload go together: the event name and its JSON body")
    if args.github_event is not None and (args.ref is not None or args.input):
        raise EventError("--ref and --input cannot be combined with --github-event: the payload carries them")
    if args.event is None and args.github_event is None and (args.ref is not None or args.input):
        raise EventError("--ref and --input need --event (for example --event push --ref main)")
    if args.input and args.event not in ("workflow_dispatch", "repository_dispatch"):
        raise EventError(f"--input applies to --event workflow_dispatch or repository_dispatch, not {args.event}")


def _read_payload(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EventError(f"--payload {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EventError(f"--payload {path}: cannot read: {exc}") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EventError(f"--payload {path}: not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})") \
            from None
    if not isinstance(payload, dict):
        raise EventError(f"--payload {path}: expected a JSON object, got {type(payload).__name__}")
    return payload


def _parse_inputs(items: list[str]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise EventError(f"--input {item!r}: expected KEY=VALUE")
        inputs[key] = value
    return inputs


def _event_from_options(args: argparse.Namespace, config: PipelineConfig) -> Event:
    main_ref = BRANCH_PREFIX + config.triggers.main_branch
    trigger: str = args.event
    inputs = _parse_inputs(args.input)
    if trigger == "tag" and args.ref is None:
        raise EventError("--event tag needs --ref TAG (for example --ref v1.2.0)")
    if trigger == "pull_request":
        base = (args.ref or config.triggers.main_branch).removeprefix(BRANCH_PREFIX)
        return Event(trigger="pull_request", ref=BRANCH_PREFIX + base, base_ref=base)
    if trigger == "repository_dispatch":
        event_type = inputs.pop("event_type", None)
        if not event_type:
            raise EventError("--event repository_dispatch needs --input event_type=NAME")
        return from_ref(trigger, args.ref or main_ref, action=event_type, event_type=event_type,
                        client_payload=inputs)
    return from_ref(trigger, args.ref or main_ref, inputs=inputs)


def _diff_range(args: argparse.Namespace, event: Event) -> tuple[str, str, bool] | None:
    """What to diff in REPO: --base/--head, else a pull request delivery's base and head (from the merge base)."""
    if event.trigger not in ("push", "pull_request", "local"):
        return None  # the other triggers plan every service whatever changed
    if args.base is not None:
        return args.base, args.head, False
    if event.trigger == "pull_request" and event.before and event.after:
        return event.before, event.after, True
    return None
