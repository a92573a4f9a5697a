"""Turning a plan into concrete, cache-keyed steps: fingerprint the inputs, read the toolchain versions."""

from __future__ import annotations

import os
from pathlib import Path

from prefect import get_run_logger, task
from pydantic import BaseModel

from voxguard_ci.adapters import workspace
from voxguard_ci.adapters.runner import allowed_environment, find_program, run_command
from voxguard_ci.core.config import PipelineConfig
from voxguard_ci.core.paths import compile_globs
from voxguard_ci.core.steps import STAGES, StepSpec, scan_spec, step_spec

TOOLCHAIN_TIMEOUT_SECONDS = 60.0


class PreparedSteps(BaseModel):
    services: dict[str, dict[str, StepSpec]]
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


@task(name="prepare-steps")
def prepare_steps(repo: str, config: PipelineConfig, services: list[str], with_scans: bool) -> PreparedSteps:
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
