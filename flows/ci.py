"""The CI pipeline: plan → build → test and lint → gates, every stage a named task in the Prefect UI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from voxguard_ci.tasks.evidence import collect_evidence
from voxguard_ci.tasks.prepare import prepare_steps
from voxguard_ci.tasks.report import evaluate_gates, publish_report
from voxguard_ci.tasks.steps import run_step, step_outcome

from voxguard_ci.core.config import CONFIG_FILENAME, PipelineConfig, load_config
from voxguard_ci.core.events import Event
from voxguard_ci.core.gates import passed
from voxguard_ci.core.plan import Plan, make_plan
from voxguard_ci.core.steps import PipelineResult, StepOutcome, StepSpec

CI_STAGES = ("build", "test", "lint")


@task(name="plan")
def plan_run(config: PipelineConfig, event: dict[str, Any] | None, changed: list[str] | None) -> Plan:
    plan = make_plan(config, Event.model_validate(event) if event else Event(trigger="local"), changed)
    get_run_logger().info("plan: run=%s services=%s stages=%s deploy=%s (%s)", plan.run, plan.services,
                          plan.stages, plan.deploy, plan.reason)
    return plan


def _run_services(specs: dict[str, dict[str, StepSpec]]) -> dict[str, dict[str, StepOutcome]]:
    """Builds start at once; each service's test and lint start as soon as its own build succeeds."""
    outcomes: dict[str, dict[str, StepOutcome]] = {name: {} for name in specs}
    pending: dict[PrefectFuture, StepSpec] = {}

    def submit_after_build(name: str) -> None:
        for stage in ("test", "lint"):
            if stage in specs[name]:
                pending[run_step.submit(specs[name][stage])] = specs[name][stage]

    builds = {}
    for name, stages in specs.items():
        if "build" in stages:
            builds[run_step.submit(stages["build"])] = stages["build"]
        else:
            submit_after_build(name)
    for future in as_completed(list(builds)):
        spec = builds[future]
        outcome = step_outcome(future, spec)
        outcomes[spec.service]["build"] = outcome
        if outcome.ok:
            submit_after_build(spec.service)
    for future in as_completed(list(pending)):
        spec = pending[future]
        outcomes[spec.service][spec.stage] = step_outcome(future, spec)
    return outcomes


def _stage_states(plan: Plan, specs: dict[str, dict[str, StepSpec]],
                  outcomes: dict[str, dict[str, StepOutcome]], gates_ok: bool) -> dict[str, str]:
    states = {"plan": "completed"}
    for stage in CI_STAGES:
        planned = [name for name in specs if stage in specs[name]]
        if stage not in plan.stages or not planned:
            states[stage] = "not_planned"
            continue
        ran = [outcomes[name][stage] for name in planned if stage in outcomes[name]]
        if any(not o.ok for o in ran):
            states[stage] = "failed"
        elif len(ran) < len(planned):
            states[stage] = "skipped"
        else:
            states[stage] = "cached" if all(o.cached for o in ran) else "completed"
    states["security"] = "not_run" if "security" in plan.stages else "not_planned"
    states["gates"] = "completed" if gates_ok else "failed"
    states["deploy"] = "not_run" if plan.deploy else "not_planned"
    return states


def _task_runner() -> ThreadPoolTaskRunner:
    workers = int(os.environ.get("VOXGUARD_CI_MAX_PARALLEL", "0")) or os.cpu_count() or 2
    return ThreadPoolTaskRunner(max_workers=workers)


@flow(name="ci-pipeline", task_runner=_task_runner())
def ci_pipeline(
    repo: str = ".",
    event: dict[str, Any] | None = None,
    changed: list[str] | None = None,
    plan: dict[str, Any] | None = None,
    config_file: str | None = None,
    output_dir: str | None = None,
) -> State:
    """Build, test, lint and gate the services a change affects.

    Args:
        repo: The repository to build (a path on the worker).
        event: A normalized pipeline event; none means a full local run of every service, no deploy.
        changed: Changed files, when the event carries none.
        plan: A plan already made by the caller (the CLI plans before it starts the flow).
        config_file: The pipeline config; default `voxguard-ci.yaml` in `repo`.
        output_dir: Where the summary and gate records are written; default `.voxguard-ci/runs/<id>`.

    Returns:
        A Completed or Failed state (failed quality gates fail the flow run) carrying the PipelineResult.
    """
    root = Path(repo).resolve()
    config = load_config(Path(config_file) if config_file else root / CONFIG_FILENAME)
    the_plan = Plan.model_validate(plan) if plan else plan_run(config, event, changed)
    out = output_dir or str(root / ".voxguard-ci" / "runs" / str(flow_run.id))
    if not the_plan.run:
        result = PipelineResult(flow_run_id=str(flow_run.id), state="skipped", reason=the_plan.reason,
                                services=[], stages={"plan": "completed"}, gates=[], output_dir=out)
        publish_report(result, [])
        return Completed(message=the_plan.reason, data=result)

    services = the_plan.services
    specs = prepare_steps(str(root), config, services)
    specs = {name: {s: spec for s, spec in stages.items() if s in the_plan.stages} for name, stages in specs.items()}
    outcomes = _run_services(specs)
    evidence_futures = [collect_evidence.submit(str(root), config.service(name), outcomes[name]) for name in services]
    evidence = [f.result() for f in evidence_futures]
    gate_records = evaluate_gates(config.gates, evidence)
    ok = passed(gate_records)
    steps = [outcomes[name][stage] for name in services for stage in CI_STAGES if stage in outcomes[name]]
    result = PipelineResult(
        flow_run_id=str(flow_run.id), state="passed" if ok else "failed", services=services,
        stages=_stage_states(the_plan, specs, outcomes, ok), gates=gate_records, steps=steps, output_dir=out,
    )
    publish_report(result, evidence)
    if not ok:
        failed = ", ".join(g.gate for g in gate_records if g.blocking and g.verdict == "fail")
        return Failed(message=f"quality gates failed: {failed}", data=result)
    return Completed(message="quality gates passed", data=result)
