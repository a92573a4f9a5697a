"""The CI pipeline: plan → build, security scans → test and lint → gates, each stage a named task in the UI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from voxguard_ci.adapters.stack import registry_address
from voxguard_ci.core.config import CONFIG_FILENAME, PipelineConfig, load_config
from voxguard_ci.core.events import Event
from voxguard_ci.core.gates import passed
from voxguard_ci.core.images import ImageBuild
from voxguard_ci.core.plan import Plan, make_plan
from voxguard_ci.core.security import ScanResult, ScanStatus, all_findings, scan_summary
from voxguard_ci.core.steps import PipelineResult, StepOutcome, StepSpec
from voxguard_ci.tasks.evidence import collect_evidence
from voxguard_ci.tasks.images import build_image, image_outcome
from voxguard_ci.tasks.prepare import ImageSettings, PreparedSteps, prepare_steps
from voxguard_ci.tasks.report import evaluate_gates, publish_report
from voxguard_ci.tasks.security import collect_scans, load_baseline, read_accepted, save_baseline
from voxguard_ci.tasks.steps import not_run, run_step, step_outcome

CI_STAGES = ("build", "test", "lint")


@task(name="plan")
def plan_run(config: PipelineConfig, event: dict[str, Any] | None, changed: list[str] | None) -> Plan:
    plan = make_plan(config, Event.model_validate(event) if event else Event(trigger="local"), changed)
    get_run_logger().info("plan: run=%s services=%s stages=%s deploy=%s (%s)", plan.run, plan.services,
                          plan.stages, plan.deploy, plan.reason)
    return plan


def _run_steps(prepared: PreparedSteps) -> tuple[dict[str, dict[str, StepOutcome]], dict[str, StepOutcome]]:
    """Builds start at once, then the scans that need no build; each service's test, lint and image, and the
    scans waiting for builds, start as soon as the builds they need succeed. Returns (service -> stage -> outcome,
    scanner -> outcome)."""
    specs = prepared.services
    outcomes: dict[str, dict[str, StepOutcome]] = {name: {} for name in specs}
    scans: dict[str, StepOutcome] = {}
    pending: dict[PrefectFuture, StepSpec | ImageBuild] = {}
    waiting = {spec.service: spec for spec in prepared.scans if prepared.scan_waits_for.get(spec.service)}

    def submit_after_build(name: str) -> None:
        for stage in ("test", "lint"):
            if stage in specs[name]:
                pending[run_step.submit(specs[name][stage])] = specs[name][stage]
        if name in prepared.images:
            pending[build_image.submit(prepared.images[name])] = prepared.images[name]

    def release_scans() -> None:
        for scanner, spec in list(waiting.items()):
            builds_needed = [outcomes[s].get("build") for s in prepared.scan_waits_for[scanner]
                             if "build" in specs[s]]
            if any(b is None for b in builds_needed):
                continue
            del waiting[scanner]
            broken = [b.service for b in builds_needed if not b.ok]
            if broken:
                scans[scanner] = not_run(spec, f"{scanner}: not run, the build of {', '.join(broken)} failed")
            else:
                pending[run_step.submit(spec)] = spec

    builds = {}
    for name, stages in specs.items():
        if "build" in stages:
            builds[run_step.submit(stages["build"])] = stages["build"]
        else:
            submit_after_build(name)
    for spec in prepared.scans:
        if spec.service not in waiting:
            pending[run_step.submit(spec)] = spec
    release_scans()
    for future in as_completed(list(builds)):
        spec = builds[future]
        outcome = step_outcome(future, spec)
        outcomes[spec.service]["build"] = outcome
        if outcome.ok:
            submit_after_build(spec.service)
        release_scans()
    for future in as_completed(list(pending)):
        spec = pending[future]
        if isinstance(spec, ImageBuild):
            outcomes[spec.service]["image"] = image_outcome(future, spec)
        elif spec.stage == "scan":
            scans[spec.service] = step_outcome(future, spec)
        else:
            outcomes[spec.service][spec.stage] = step_outcome(future, spec)
    return outcomes, scans


def _stage_states(plan: Plan, specs: dict[str, dict[str, StepSpec]], images: dict[str, ImageBuild],
                  outcomes: dict[str, dict[str, StepOutcome]], scans: list[ScanResult],
                  scan_outcomes: dict[str, StepOutcome], gates_ok: bool) -> dict[str, str]:
    def state(planned: int, ran: list[StepOutcome], failed: bool) -> str:
        if failed or any(not o.ok for o in ran):
            return "failed"
        if len(ran) < planned:
            return "skipped"
        return "cached" if ran and all(o.cached for o in ran) else "completed"

    states = {"plan": "completed"}
    for stage in CI_STAGES:
        planned = [name for name in specs if stage in specs[name]]
        if stage not in plan.stages or not planned:
            states[stage] = "not_planned"
            continue
        states[stage] = state(len(planned), [outcomes[n][stage] for n in planned if stage in outcomes[n]], False)
    if images:
        states["image"] = state(len(images), [outcomes[n]["image"] for n in images if "image" in outcomes[n]], False)
    else:
        states["image"] = "not_planned"
    if "security" not in plan.stages:
        states["security"] = "not_planned"
    elif not scans:
        states["security"] = "not_run"
    else:
        scan_failed = any(s.status == ScanStatus.FAILED for s in scans)
        states["security"] = state(len(scans), list(scan_outcomes.values()), scan_failed)
    states["gates"] = "completed" if gates_ok else "failed"
    states["deploy"] = "not_run" if plan.deploy else "not_planned"
    return states


def _updates_baseline(plan: Plan, config: PipelineConfig) -> bool:
    """Only a successful push to the baseline branch moves the baseline."""
    return plan.trigger == "push" and plan.ref == f"refs/heads/{config.security.baseline_branch}"


def _image_settings(plan: Plan, config: PipelineConfig, project: str) -> ImageSettings | None:
    """Images are built with the build stage; pushed unless the event is a pull request; `latest` moves on the
    main branch and on local runs."""
    if "build" not in plan.stages:
        return None
    main = f"refs/heads/{config.triggers.main_branch}"
    return ImageSettings(project=project, registry=config.images.registry or registry_address(), commit=plan.commit,
                         push=config.images.push and plan.trigger != "pull_request",
                         moves_latest=plan.trigger == "local" or plan.ref == main)


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
    build_images: bool = True,
) -> State:
    """Build, test, lint, scan and gate the services a change affects.

    Args:
        repo: The repository to build (a path on the worker).
        event: A normalized pipeline event; none means a full local run of every service, no deploy.
        changed: Changed files, when the event carries none.
        plan: A plan already made by the caller (the CLI plans before it starts the flow).
        config_file: The pipeline config; default `voxguard-ci.yaml` in `repo`.
        output_dir: Where the summary and gate records are written; default `.voxguard-ci/runs/<id>`.
        build_images: Build (and push) the images of services with a `docker` section.

    Returns:
        A Completed or Failed state (failed quality gates fail the flow run) carrying the PipelineResult.
    """
    root = Path(repo).resolve()
    config = load_config(Path(config_file) if config_file else root / CONFIG_FILENAME)
    the_plan = Plan.model_validate(plan) if plan else plan_run(config, event, changed)
    out = output_dir or str(root / ".voxguard-ci" / "runs" / str(flow_run.id))
    project = config.project or root.name
    if not the_plan.run:
        result = PipelineResult(flow_run_id=str(flow_run.id), state="skipped", reason=the_plan.reason,
                                services=[], stages={"plan": "completed"}, gates=[], output_dir=out)
        publish_report(result, [], [])
        return Completed(message=the_plan.reason, data=result)

    services = the_plan.services
    with_security = "security" in the_plan.stages
    prepared = prepare_steps(str(root), config, services, with_security,
                             _image_settings(the_plan, config, project) if build_images else None)
    prepared.services = {name: {s: spec for s, spec in stages.items() if s in the_plan.stages}
                         for name, stages in prepared.services.items()}
    outcomes, scan_outcomes = _run_steps(prepared)
    evidence_futures = [collect_evidence.submit(str(root), config.service(name), outcomes[name]) for name in services]
    scans = collect_scans(str(root), config, scan_outcomes) if with_security else []
    baseline, baseline_note = load_baseline(project) if with_security else (set(), "")
    evidence = [f.result() for f in evidence_futures]
    gate_records = evaluate_gates(config, evidence, scans if with_security else None, baseline,
                                  read_accepted(root, config) if with_security else {}, baseline_note)
    ok = passed(gate_records)
    if ok and with_security and _updates_baseline(the_plan, config):
        save_baseline(project, all_findings(scans))
    steps = [outcomes[name][stage] for name in services for stage in (*CI_STAGES, "image") if stage in outcomes[name]]
    steps += [scan_outcomes[s.service] for s in prepared.scans]
    result = PipelineResult(
        flow_run_id=str(flow_run.id), state="passed" if ok else "failed", services=services,
        stages=_stage_states(the_plan, prepared.services, prepared.images, outcomes, scans, scan_outcomes, ok),
        gates=gate_records, images=[o["image"].image for o in outcomes.values() if "image" in o and o["image"].image],
        security=[scan_summary(s) for s in scans], steps=steps, output_dir=out,
    )
    publish_report(result, evidence, scans)
    if not ok:
        failed = ", ".join(g.gate for g in gate_records if g.blocking and g.verdict == "fail")
        return Failed(message=f"quality gates failed: {failed}", data=result)
    return Completed(message="quality gates passed", data=result)
