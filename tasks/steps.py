"""Running one pipeline step (build, test or lint of one service) as a cached Prefect task."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.states import Failed, State

from voxguard_ci.adapters import outputs as output_store
from voxguard_ci.adapters.home import outputs_store, outputs_store_limit
from voxguard_ci.adapters.runner import run_command
from voxguard_ci.core.models import CommandResult, StepStatus
from voxguard_ci.core.steps import StepOutcome, StepSpec

REPO_TOKEN = "{repo}"


def expand_repo(argv: list[str], repo: Path) -> list[str]:
    """The config's one placeholder: `{repo}` is the repository's absolute path (for tools that need one).
    Nothing from events is ever substituted."""
    return [arg.replace(REPO_TOKEN, str(repo)) for arg in argv]


def step_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    return parameters["spec"].cache_key


@task(task_run_name="{spec.stage}-{spec.service}", cache_key_fn=step_cache_key, persist_result=True)
def run_step(spec: StepSpec) -> StepOutcome | State:
    """Run the step's commands in order, stopping at the first failure; archive its outputs on success."""
    logger = get_run_logger()
    repo = Path(spec.repo)
    secrets = [os.environ[name] for name in spec.secret_names if os.environ.get(name)]
    deadline = time.monotonic() + spec.timeout
    for rel in spec.outputs:  # tools write reports into folders they expect to exist
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    results: list[CommandResult] = []
    for command in spec.commands:
        logger.info("$ %s", " ".join(command.argv))
        result = run_command(
            expand_repo(command.argv, repo), cwd=repo / spec.workdir, env=spec.env, on_line=logger.info, secrets=secrets,
            timeout=max(deadline - time.monotonic(), 0.001), ok_codes=command.ok_codes,
            stdout_path=repo / command.stdout if command.stdout else None,
        )
        if result.status == StepStatus.TIMED_OUT:  # name the step's limit, not the time that was left of it
            result = result.model_copy(update={"reason": f"{command.argv[0]}: timed out after {spec.timeout:g} s "
                                                         "(the step's limit); its process group was killed"})
        results.append(result)
        if result.status != StepStatus.PASSED:
            break
    status = results[-1].status
    missing = [rel for rel in spec.outputs if not (repo / rel).exists()] if status == StepStatus.PASSED else []
    if missing:
        status = StepStatus.FAILED
        results[-1] = results[-1].model_copy(update={
            "status": status, "reason": f"declared outputs were not produced: {', '.join(missing)}"})
    outcome = StepOutcome(service=spec.service, stage=spec.stage, status=status, commands=results,
                          duration=round(sum(r.duration for r in results), 3), cache_key=spec.cache_key)
    if status != StepStatus.PASSED:
        logger.error("%s failed: %s", spec.name, outcome.reason)
        return Failed(message=f"{spec.name}: {outcome.reason}", data=outcome)  # a Failed state is never cached
    output_store.save_outputs(repo, spec.outputs, outputs_store(), spec.cache_key)
    for pruned in output_store.prune(outputs_store(), outputs_store_limit()):
        logger.info("outputs store over its limit: removed %s", pruned.name)
    return outcome


def not_run(spec: StepSpec, reason: str) -> StepOutcome:
    """The outcome of a step that could not start: a failure with its reason, never a pass."""
    skipped = CommandResult(argv=[], exit_code=None, status=StepStatus.FAILED, duration=0.0, reason=reason)
    return StepOutcome(service=spec.service, stage=spec.stage, status=StepStatus.FAILED, commands=[skipped],
                       duration=0.0, cache_key=spec.cache_key)


def step_outcome(future: PrefectFuture, spec: StepSpec) -> StepOutcome:
    """Wait for a step and read its outcome, failed or not. A cache hit restores the step's outputs;
    when their archive is gone, the step runs again."""
    future.wait()
    state = future.state
    if state.is_completed():
        outcome: StepOutcome = state.result()
        cached = state.name == "Cached"
        if cached:
            try:
                output_store.restore_outputs(Path(spec.repo), spec.outputs, outputs_store(), spec.cache_key)
            except output_store.OutputsMissing:
                rerun = run_step.with_options(refresh_cache=True).submit(spec)
                return step_outcome(rerun, spec)
        return outcome.model_copy(update={"cached": cached})
    error = state.result(raise_on_failure=False)
    if isinstance(error, StepOutcome):
        return error
    return not_run(spec, f"{spec.name} ended {state.name}: {error}")
