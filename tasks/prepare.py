"""Turning a plan into concrete, cache-keyed steps: fingerprint the inputs, read the toolchain versions."""

from __future__ import annotations

import os
from pathlib import Path

from prefect import get_run_logger, task
from pydantic import BaseModel

from voxguard_ci.adapters import engine, workspace
from voxguard_ci.adapters.runner import allowed_environment, find_program, run_command
from voxguard_ci.core.config import PipelineConfig
from voxguard_ci.core.images import ImageBuild, base_images, ignore_files, image_build
from voxguard_ci.core.paths import compile_globs
from voxguard_ci.core.steps import STAGES, StepSpec, scan_spec, step_spec
from voxguard_ci.errors import VoxguardError

TOOLCHAIN_TIMEOUT_SECONDS = 60.0


class ImageSettings(BaseModel):
    """How this run builds images: where they go, the commit they are tagged with, whether they are pushed."""

    project: str
    registry: str
    commit: str | None
    push: bool
    moves_latest: bool


class PreparedSteps(BaseModel):
    services: dict[str, dict[str, StepSpec]]
    images: dict[str, ImageBuild] = {}
    scans: list[StepSpec] = []
    scan_waits_for: dict[str, list[str]] = {}  # scanner -> services whose builds it needs


class _Toolchains:
    """Each distinct version argv runs once per run."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.repo, self.env, self.seen = repo, env, {}

    def version(self, argv: list[str], env: dict[str, str] | None = None) -> str:
        key = tuple(argv)
        if key not in self.seen:
            result = run_command(argv, cwd=self.repo, env=env or self.env, timeout=TOOLCHAIN_TIMEOUT_SECONDS)
            text = " ".join(line.strip() for line in result.log_tail if line.strip())
            self.seen[key] = text if result.status == "passed" else f"unavailable: {result.reason}"
        return self.seen[key]

    def identity(self, program: str) -> str:
        """Without a version command: the resolved program's path, size and modification time."""
        found = find_program(program, self.repo, self.env)
        if found is None:
            return f"unavailable: {program}: not found on PATH"
        real = os.path.realpath(found)
        stat = os.stat(real)
        return f"{real} {stat.st_size} {stat.st_mtime_ns}"


class _Engine:
    """The container engine and the base images' IDs: part of every image key, asked once per run."""

    def __init__(self) -> None:
        self.api, self.ids = None, {}
        try:
            self.api = engine.connect()
            self.name = engine.identity(self.api)
        except VoxguardError as exc:
            self.name = f"unavailable: {exc}"

    def describe(self, bases: list[str]) -> str:
        for base in bases:
            if base not in self.ids:
                self.ids[base] = (engine.image_id(self.api, base) if self.api else None) or "missing"
        return " ".join([self.name, *(f"{b}={self.ids[b]}" for b in bases)])


@task(name="prepare-steps")
def prepare_steps(repo: str, config: PipelineConfig, services: list[str], with_scans: bool,
                  images: ImageSettings | None = None) -> PreparedSteps:
    logger = get_run_logger()
    root = Path(repo)
    files = workspace.list_files(root, config.ignore)
    base_env = allowed_environment(config.env_allow)
    toolchains = _Toolchains(root, base_env)
    shared = config.triggers.shared_paths

    known: dict[str, str] = {}  # each file is hashed once, however many steps read it

    def digest(rel: str) -> str:
        if rel not in known:
            known[rel] = workspace.file_digest(root / rel)
        return known[rel]

    def digests(globs: list[str]) -> dict[str, str]:
        matcher = compile_globs([*globs, *shared])
        return {f: digest(f) for f in files if matcher.match_file(f)}

    prepared = PreparedSteps(services={})
    for name in services:
        service = config.service(name)
        inputs = digests(service.paths)
        toolchain = toolchains.version(service.toolchain)
        logger.info("%s: %d input files, toolchain %s", name, len(inputs), toolchain)
        specs = (step_spec(config, service, stage, repo=str(root), file_digests=inputs, base_env=base_env,
                           toolchain=toolchain) for stage in STAGES)
        prepared.services[name] = {spec.stage: spec for spec in specs if spec is not None}
    builder = _Engine() if images and any(config.service(n).docker for n in services) else None
    for name in services:
        docker = config.service(name).docker
        if builder is None or images is None or docker is None:
            continue
        dockerfile = root / docker.dockerfile
        recipe = [docker.dockerfile, *ignore_files(docker.context, docker.dockerfile)]
        inputs = {**digests(config.service(name).paths), **{f: digest(f) for f in recipe if f in files}}
        try:
            bases = base_images(dockerfile.read_text(), docker.build_args)
        except OSError as exc:
            bases = [f"unreadable Dockerfile: {exc}"]
        prepared.images[name] = image_build(
            config.service(name), project=images.project, repo=str(root), registry=images.registry,
            commit=images.commit, push=images.push, moves_latest=images.moves_latest, file_digests=inputs,
            engine=builder.describe(bases))
    if with_scans:
        everything = {f: digest(f) for f in files}
        for scanner in config.security.scanners:
            globs = [g for s in scanner.services for g in config.service(s).paths]
            inputs = digests([*globs, *scanner.inputs]) if globs else everything
            env = {**base_env, **scanner.env}
            toolchain = (toolchains.version(scanner.toolchain, env) if scanner.toolchain
                         else toolchains.identity(scanner.commands[0].argv[0]))
            prepared.scans.append(scan_spec(config, scanner, repo=str(root), file_digests=inputs, base_env=base_env,
                                            toolchain=toolchain))
            if scanner.after_build:
                prepared.scan_waits_for[scanner.name] = [s for s in scanner.services if s in prepared.services]
    return prepared
