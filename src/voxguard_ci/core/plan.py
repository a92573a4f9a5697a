"""Event → plan: which services and stages run, and where the result deploys. Pure: no I/O.

The seed's trigger table, with the scope decisions it leaves open:

- push to the main branch: the affected services, the full stages, deploy to dev. A push to any other branch
  runs nothing (pull requests cover other branches).
- pull request into a `pull_request_branches` branch with an action in `pull_request_actions`: the affected
  services, the full stages, no deploy. Other actions (closed, labeled, ...) run nothing.
- tag matching `tag_pattern`: every service, the full stages, deploy to production.
- schedule: the nightly run, every service, stages security and soak, no deploy.
- workflow_dispatch: inputs environment (required), version, skip_tests; every service; the full stages
  without test when skip_tests; deploy to that environment.
- repository_dispatch: every service, the full stages; deploy to `client_payload.environment` when present.
- local (the CLI with no event options): every service, the full stages, no deploy.

For a push or pull request the changed files decide the scope: unknown files (no list) → every service;
no files → nothing; only docs → nothing; files outside every service and not docs (a Helm chart, a workflow)
→ no service builds, but stages security and gates still run (secret and config scans cover such files) and a
push to main still deploys dev with the current images. A deleted branch or tag runs nothing.

A deploy target is kept only when `environments` configures it. The concurrency group is workflow + ref,
as in the seed; the nightly run is its own workflow, so it never cancels (or is cancelled by) a push to main.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from voxguard_ci.core import paths
from voxguard_ci.core.config import PipelineConfig
from voxguard_ci.core.events import BRANCH_PREFIX, Event
from voxguard_ci.errors import EventError

FULL_STAGES = ["build", "test", "lint", "security", "gates"]
NIGHTLY_STAGES = ["security", "soak"]
NO_SERVICE_STAGES = ["security", "gates"]
DISPATCH_INPUTS = ("environment", "version", "skip_tests")
WORKFLOW = "ci-pipeline"
NIGHTLY_WORKFLOW = "nightly"


class DispatchInputs(BaseModel):
    """What a manual or external trigger asked for, validated."""

    model_config = ConfigDict(extra="forbid")

    environment: str | None = None
    version: str | None = None
    skip_tests: bool = False
    event_type: str | None = None
    client_payload: dict[str, Any] | None = None


class Plan(BaseModel):
    """The `plan` command's JSON contract."""

    model_config = ConfigDict(extra="forbid")

    run: bool
    reason: str
    trigger: str
    ref: str | None
    services: list[str] = []
    stages: list[str] = []
    deploy: str | None = None
    concurrency_group: str
    commit: str | None = None
    inputs: DispatchInputs | None = None


def make_plan(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    """Plan `event`. `changed` is the list of files the change touched, or None when it is unknown."""
    planner = _PLANNERS.get(event.trigger)
    if planner is None:
        return _skip(config, event, event.note or f"trigger {event.trigger!r} starts no pipeline")
    if event.deleted:
        what = f"tag {event.tag!r}" if event.tag is not None else f"branch {event.branch or event.ref!r}"
        return _skip(config, event, f"{what} was deleted: nothing to build or deploy")
    return planner(config, event, changed)


def _ref(config: PipelineConfig, event: Event) -> str | None:
    if event.ref is None and event.trigger in ("schedule", "workflow_dispatch", "repository_dispatch"):
        return BRANCH_PREFIX + config.triggers.main_branch
    return event.ref


def _plan(config: PipelineConfig, event: Event, **fields: Any) -> Plan:
    ref = _ref(config, event)
    workflow = NIGHTLY_WORKFLOW if event.trigger == "schedule" else WORKFLOW
    trigger = event.github_event if event.trigger == "other" and event.github_event else event.trigger
    return Plan(trigger=trigger, ref=ref, concurrency_group=f"{workflow}-{ref or 'local'}", commit=event.sha,
                **fields)


def _skip(config: PipelineConfig, event: Event, reason: str) -> Plan:
    return _plan(config, event, run=False, reason=reason)


def _every_service(config: PipelineConfig) -> list[str]:
    return [service.name for service in config.services]


def _deploy_target(config: PipelineConfig, environment: str | None) -> str | None:
    return environment if environment in config.environments else None


def _deploy_note(config: PipelineConfig, environment: str) -> str:
    if environment in config.environments:
        return f"deploy {environment}"
    return f"no deploy ({environment!r} is not in environments)"


def _plan_local(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    if changed is None:
        services = _every_service(config)
        return _plan(config, event, run=True, reason="local run: every service, no deploy",
                     services=services, stages=FULL_STAGES)
    return _scoped(config, event, changed, "local run", deploy=None)


def _plan_push(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    main = config.triggers.main_branch
    if event.branch is None:
        return _skip(config, event, f"push to {event.ref!r}: only branches and tags start a run")
    if event.branch != main:
        return _skip(config, event, f"push to branch {event.branch!r}: only {main!r} runs on push "
                                    f"(pull requests cover other branches)")
    return _scoped(config, event, changed, f"push to {main}", deploy="dev")


def _plan_pull_request(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    triggers = config.triggers
    name = f"pull request #{event.number}" if event.number is not None else "pull request"
    if event.action is not None and event.action not in triggers.pull_request_actions:
        return _skip(config, event, f"{name} {event.action}: only actions "
                                    f"{', '.join(triggers.pull_request_actions)} run")
    if event.base_ref not in triggers.pull_request_branches:
        return _skip(config, event, f"{name} into {event.base_ref!r}: only pull requests into "
                                    f"{', '.join(triggers.pull_request_branches)} run")
    return _scoped(config, event, changed, f"{name} into {event.base_ref}", deploy=None)


def _scoped(config: PipelineConfig, event: Event, changed: list[str] | None, what: str,
            deploy: str | None) -> Plan:
    """Scope a push, pull request or local run by its changed files."""
    target = _deploy_target(config, deploy)
    then = f"; {_deploy_note(config, deploy)}" if deploy else ""
    if changed is None:
        return _plan(config, event, run=True, services=_every_service(config), stages=FULL_STAGES,
                     deploy=target, reason=f"{what}: changed files unknown, so every service runs{then}")
    if not changed:
        return _skip(config, event, f"{what}: no files changed")
    if paths.is_docs_only(config, changed):
        return _skip(config, event, f"{what}: docs-only change ({_count(changed, 'file')}): no build, no deploy")
    services = paths.affected_services(config, changed)
    if not services:
        docs = set(paths.docs_files(config, changed))
        outside = [path for path in changed if path not in docs]
        return _plan(config, event, run=True, stages=NO_SERVICE_STAGES, deploy=target,
                     reason=f"{what}: {_count(outside, 'changed file')} outside every service "
                            f"(e.g. {outside[0]!r}): no service builds; security and gates run{then}")
    if len(services) == len(config.services) and paths.matching(config.triggers.shared_paths, changed):
        scope = "a shared file changed, so every service runs"
    else:
        scope = f"{', '.join(services)} affected by {_count(changed, 'changed file')}"
    return _plan(config, event, run=True, services=services, stages=FULL_STAGES, deploy=target,
                 reason=f"{what}: {scope}{then}")


def _plan_tag(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    pattern = config.triggers.tag_pattern
    if event.tag is None or not paths.matches([pattern], event.tag):
        return _skip(config, event, f"tag {event.tag or event.ref!r} does not match tag_pattern {pattern!r}")
    return _plan(config, event, run=True, services=_every_service(config), stages=FULL_STAGES,
                 deploy=_deploy_target(config, "production"),
                 reason=f"release tag {event.tag}: every service; {_deploy_note(config, 'production')}")


def _plan_schedule(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    return _plan(config, event, run=True, services=_every_service(config), stages=NIGHTLY_STAGES,
                 reason="nightly: security scan and soak tests of every service, no deploy")


def _plan_workflow_dispatch(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    inputs = dispatch_inputs(config, event.inputs)
    stages = [stage for stage in FULL_STAGES if not (inputs.skip_tests and stage == "test")]
    skipped = " without tests" if inputs.skip_tests else ""
    version = f" version {inputs.version}" if inputs.version else ""
    return _plan(config, event, run=True, services=_every_service(config), stages=stages,
                 deploy=inputs.environment, inputs=inputs,
                 reason=f"manual dispatch: every service{skipped}; deploy{version} to {inputs.environment}")


def _plan_repository_dispatch(config: PipelineConfig, event: Event, changed: list[str] | None) -> Plan:
    payload = event.client_payload or {}
    environment = payload.get("environment")
    if environment is not None:
        _check_environment(config, "client_payload.environment", environment)
    inputs = DispatchInputs(environment=environment, event_type=event.event_type, client_payload=payload)
    then = f"deploy {environment}" if environment else "no deploy"
    return _plan(config, event, run=True, services=_every_service(config), stages=FULL_STAGES,
                 deploy=environment, inputs=inputs,
                 reason=f"repository dispatch {event.event_type!r}: every service; {then}")


def dispatch_inputs(config: PipelineConfig, raw: dict[str, Any]) -> DispatchInputs:
    """Validate workflow_dispatch inputs; errors name the input and what was expected."""
    unknown = [key for key in raw if key not in DISPATCH_INPUTS]
    if unknown:
        raise EventError(f"workflow_dispatch input {unknown[0]!r} is not known; "
                         f"expected one of {', '.join(DISPATCH_INPUTS)}")
    if raw.get("environment") is None:
        raise EventError(f"workflow_dispatch input 'environment' is required; "
                         f"expected one of {', '.join(config.environments)}")
    environment = _check_environment(config, "environment", raw["environment"])
    version = raw.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise EventError(f"workflow_dispatch input 'version': expected a non-empty string, got {version!r}")
    return DispatchInputs(environment=environment, version=version or None,
                          skip_tests=_boolean("skip_tests", raw.get("skip_tests", False)))


def _check_environment(config: PipelineConfig, name: str, value: Any) -> str:
    if not isinstance(value, str) or value not in config.environments:
        raise EventError(f"dispatch input {name!r}: expected one of {', '.join(config.environments)}, "
                         f"got {value!r}")
    return value


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise EventError(f"dispatch input {name!r}: expected true or false, got {value!r}")


def _count(items: list[str], noun: str) -> str:
    return f"1 {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


_PLANNERS = {
    "local": _plan_local,
    "push": _plan_push,
    "pull_request": _plan_pull_request,
    "tag": _plan_tag,
    "schedule": _plan_schedule,
    "workflow_dispatch": _plan_workflow_dispatch,
    "repository_dispatch": _plan_repository_dispatch,
}
