"""From config and plan to the concrete steps of a run, and the models a run reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from voxguard_ci.core import cache
from voxguard_ci.core.config import Command, PipelineConfig, Scanner, Service, Step
from voxguard_ci.core.images import ImageRecord
from voxguard_ci.core.models import CommandResult, GateRecord, StepStatus

Stage = Literal["build", "test", "lint", "image", "scan"]
STAGES: tuple[Stage, ...] = ("build", "test", "lint")


class StepSpec(BaseModel):
    """Everything a step needs to run, and the cache key derived from it."""

    service: str
    stage: Stage
    repo: str
    workdir: str
    commands: list[Command]
    env: dict[str, str]
    timeout: float
    outputs: list[str]
    secret_names: list[str]
    cache_key: str

    @property
    def name(self) -> str:
        return f"{self.stage}-{self.service}"


class StepOutcome(BaseModel):
    service: str
    stage: Stage
    status: StepStatus
    commands: list[CommandResult]
    duration: float
    cache_key: str
    cached: bool = False
    image: ImageRecord | None = None  # what an image step built

    @property
    def ok(self) -> bool:
        return self.status == StepStatus.PASSED

    @property
    def reason(self) -> str:
        return next((c.reason for c in self.commands if c.status != StepStatus.PASSED), "")


def stage_step(service: Service, stage: Stage) -> Step | None:
    return getattr(service, stage)


def _spec(config: PipelineConfig, name: str, stage: Stage, *, repo: str, workdir: str, commands: list[Command],
          env: Mapping[str, str], timeout: float, outputs: list[str], file_digests: Mapping[str, str],
          toolchain: str) -> StepSpec:
    key = cache.step_key(
        service=name, stage=stage, inputs=cache.inputs_digest(file_digests),
        commands=[c.model_dump() for c in commands], env=env, toolchain=toolchain, outputs=outputs,
    )
    return StepSpec(service=name, stage=stage, repo=repo, workdir=workdir, commands=commands, env=dict(env),
                    timeout=timeout, outputs=outputs, secret_names=config.secrets, cache_key=key)


def step_spec(
    config: PipelineConfig,
    service: Service,
    stage: Stage,
    *,
    repo: str,
    file_digests: Mapping[str, str],
    base_env: Mapping[str, str],
    toolchain: str,
) -> StepSpec | None:
    step = stage_step(service, stage)
    if step is None:
        return None
    return _spec(config, service.name, stage, repo=repo, workdir=service.workdir, commands=step.commands,
                 env={**base_env, **step.env}, timeout=step.timeout, outputs=step.outputs,
                 file_digests=file_digests, toolchain=toolchain)


def scan_spec(
    config: PipelineConfig,
    scanner: Scanner,
    *,
    repo: str,
    file_digests: Mapping[str, str],
    base_env: Mapping[str, str],
    toolchain: str,
) -> StepSpec:
    return _spec(config, scanner.name, "scan", repo=repo, workdir=scanner.workdir, commands=scanner.commands,
                 env={**base_env, **scanner.env}, timeout=scanner.timeout, outputs=[scanner.report.path],
                 file_digests=file_digests, toolchain=toolchain)


class PipelineResult(BaseModel):
    """The `voxguard-ci run --json` contract."""

    flow_run_id: str | None = None
    state: Literal["passed", "failed", "skipped"]
    reason: str = ""
    services: list[str]
    stages: dict[str, str]
    gates: list[GateRecord]
    security: list[dict] = Field([], description="One summary per scanner: status, reason, counts.")
    steps: list[StepOutcome] = []
    images: list[ImageRecord] = []
    output_dir: str | None = None
