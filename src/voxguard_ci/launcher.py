"""The one module of the package that starts Prefect flows: it points Prefect at a server first.

Prefect reads its settings from the environment, so they are set here before Prefect is imported.
"""

from __future__ import annotations

import os
from typing import Any

from voxguard_ci.adapters import prefect_server, stack
from voxguard_ci.adapters.home import results_dir


def configure_prefect() -> str:
    """Use PREFECT_API_URL when set, else the reused local server (started on first use)."""
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        url = prefect_server.start().url
        os.environ["PREFECT_API_URL"] = url
    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(results_dir()))
    os.environ.setdefault("PREFECT_LOGGING_TO_API_BATCH_INTERVAL", "0.5")
    return url


def configure_engine() -> None:
    """The stack's registry, and its Podman API service unless DOCKER_HOST names an engine (started on first
    use; a registry already serving the address is used as it is)."""
    if os.environ.get("DOCKER_HOST"):
        stack.up(["registry"])
        return
    stack.up(["registry", "podman"])
    os.environ.update(stack.podman_env())


def run_ci_pipeline(**parameters: Any) -> Any:
    """Run the CI flow in this process; returns its PipelineResult (or the error a crashed run ended with)."""
    configure_prefect()
    if parameters.get("build_images"):
        configure_engine()
    from voxguard_ci.flows.ci import ci_pipeline

    return ci_pipeline(**parameters, return_state=True).result(raise_on_failure=False)
