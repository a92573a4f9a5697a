"""The one module of the package that starts Prefect flows: it points Prefect at a server first.

Prefect reads its settings from the environment, so they are set here before Prefect is imported.
"""

from __future__ import annotations

import os
from typing import Any

from voxguard_ci.adapters import prefect_server
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


def run_ci_pipeline(**parameters: Any) -> Any:
    """Run the CI flow in this process; returns its PipelineResult (or the error a crashed run ended with)."""
    configure_prefect()
    from voxguard_ci.flows.ci import ci_pipeline

    return ci_pipeline(**parameters, return_state=True).result(raise_on_failure=False)
