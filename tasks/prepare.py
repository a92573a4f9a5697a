"""Planning a run and turning the plan into concrete, cache-keyed steps."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task

from voxguard_ci.adapters import workspace
from voxguard_ci.adapters.runner import allowed_environment, run_command
from voxguard_ci.core.config import PipelineConfig
from voxguard_ci.core.paths import compile_globs
from voxguard_ci.core.steps import STAGES, StepSpec, step_spec

TOOLCHAIN_TIMEOUT_SECONDS = 60.0


def _toolchain_version(argv: list[str], repo: Path, env: dict[str, str]) -> str:
    result = run_command(argv, cwd=repo, env=env, timeout=TOOLCHAIN_TIMEOUT_SECONDS)
    text = " ".join(line.strip() for line in result.log_tail if line.strip())
    return text if result.status == "passed" else f"unavailable: {result.reason}"


@task(name="prepare-steps")
def prepare_steps(repo: str, config: PipelineConfig, services: list[str]) -> dict[str, dict[str, StepSpec]]:
    """Fingerprint each planned service's inputs and toolchain; return service -> stage -> StepSpec."""
    logger = get_run_logger()
    root = Path(repo)
    files = workspace.list_files(root, config.ignore)
    base_env = allowed_environment(config.env_allow)
    versions: dict[tuple[str, ...], str] = {}
    specs: dict[str, dict[str, StepSpec]] = {}
    for name in services:
        service = config.service(name)
        matcher = compile_globs([*service.paths, *config.triggers.shared_paths])
        digests = workspace.digest_files(root, [f for f in files if matcher.match_file(f)])
        toolchain = versions.setdefault(tuple(service.toolchain),
                                        _toolchain_version(service.toolchain, root, base_env))
        logger.info("%s: %d input files, toolchain %s", name, len(digests), toolchain)
        specs[name] = {}
        for stage in STAGES:
            spec = step_spec(config, service, stage, repo=str(root), file_digests=digests, base_env=base_env,
                             toolchain=toolchain)
            if spec is not None:
                specs[name][stage] = spec
    return specs
