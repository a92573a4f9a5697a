"""A service's container image: built through the Docker API, tagged, pushed unless the event is a PR, cached."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

import docker
from prefect import get_run_logger, task
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.states import Failed, State

from voxguard_ci.adapters import engine, registry
from voxguard_ci.adapters.runner import TAIL_LINES
from voxguard_ci.core.images import ImageBuild, ImageRecord, ImageRef
from voxguard_ci.core.models import CommandResult, StepStatus
from voxguard_ci.core.steps import StepOutcome
from voxguard_ci.errors import VoxguardError


def _outcome(spec: ImageBuild, status: StepStatus, started: float, reason: str = "",
             record: ImageRecord | None = None, log_tail: list[str] | None = None) -> StepOutcome:
    duration = round(time.monotonic() - started, 3)
    command = CommandResult(argv=["docker-api", "build", "-f", spec.dockerfile, spec.context, "-t", spec.image],
                            exit_code=0 if status == StepStatus.PASSED else 1, status=status, duration=duration,
                            reason=reason, log_tail=log_tail or [])
    return StepOutcome(service=spec.service, stage="image", status=status, commands=[command], duration=duration,
                       cache_key=spec.cache_key, image=record)


def image_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    return parameters["spec"].cache_key


@task(task_run_name="image-{spec.service}", cache_key_fn=image_cache_key, persist_result=True)
def build_image(spec: ImageBuild) -> StepOutcome | State:
    logger = get_run_logger()
    started = time.monotonic()
    tail: deque[str] = deque(maxlen=TAIL_LINES)

    def log(line: str) -> None:
        tail.append(line)
        logger.info(line)

    try:
        api = engine.connect()
        built = engine.build(api, spec, log)
        engine.tag(api, built, spec.image, spec.tags)
        digest = engine.push(api, spec, log) if spec.push else None
    except (engine.BuildFailed, VoxguardError, docker.errors.DockerException) as exc:
        outcome = _outcome(spec, StepStatus.FAILED, started, reason=f"{spec.name}: {exc}", log_tail=list(tail))
        logger.error("%s failed: %s", spec.name, exc)
        return Failed(message=outcome.reason, data=outcome)  # a Failed state is never cached
    record = ImageRecord(service=spec.service, image=spec.image, tags=spec.tags, image_id=built, digest=digest,
                         pushed=spec.push)
    logger.info("%s: %s %s", spec.name, record.reference, "pushed" if spec.push else "built, not pushed")
    return _outcome(spec, StepStatus.PASSED, started, record=record)


@task(task_run_name="tag-image-{spec.service}")
def reuse_image(spec: ImageBuild, cached: ImageRecord) -> ImageRecord | None:
    """An unchanged service's image under this run's tags: re-tagged by digest in the registry (or in the
    engine, when not pushing). None when the image is gone and must be built again."""
    if spec.push:
        if not cached.digest or registry.resolve(spec.registry, spec.repository, cached.digest) is None:
            return None
        ref = ImageRef(registry=spec.registry, repository=spec.repository, digest=cached.digest)
        for tag in spec.tags:
            if not registry.promote(ref, tag).verified:
                return None
    else:
        api = engine.connect()
        if engine.image_id(api, cached.image_id) is None:
            return None
        engine.tag(api, cached.image_id, spec.image, spec.tags)
    return cached.model_copy(update={"tags": spec.tags, "pushed": spec.push, "cached": True})


def image_outcome(future: PrefectFuture, spec: ImageBuild) -> StepOutcome:
    """Wait for an image step; a cache hit is re-tagged for this run, or built again when its image is gone."""
    future.wait()
    state = future.state
    if state.is_completed():
        outcome: StepOutcome = state.result()
        if state.name != "Cached":
            return outcome
        assert outcome.image is not None
        try:
            reused = reuse_image(spec, outcome.image)
        except VoxguardError as exc:
            return outcome.model_copy(update={"status": StepStatus.FAILED, "cached": True, "commands": [
                outcome.commands[0].model_copy(update={"status": StepStatus.FAILED, "reason": str(exc)})]})
        if reused is None:
            return image_outcome(build_image.with_options(refresh_cache=True).submit(spec), spec)
        return outcome.model_copy(update={"cached": True, "image": reused})
    error = state.result(raise_on_failure=False)
    if isinstance(error, StepOutcome):
        return error
    return _outcome(spec, StepStatus.FAILED, time.monotonic(), reason=f"{spec.name} ended {state.name}: {error}")
