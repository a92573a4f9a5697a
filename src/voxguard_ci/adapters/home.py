"""Where voxguard-ci keeps its state: VOXGUARD_CI_HOME, else the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    explicit = os.environ.get("VOXGUARD_CI_HOME")
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "voxguard-ci"


def results_dir() -> Path:
    return data_dir() / "results"


def outputs_store() -> Path:
    return data_dir() / "outputs"


def outputs_store_limit() -> int:
    """Bytes the outputs store may hold (VOXGUARD_CI_OUTPUTS_MAX_GB, default 10)."""
    return int(float(os.environ.get("VOXGUARD_CI_OUTPUTS_MAX_GB", "10")) * 1024**3)


def stack_dir() -> Path:
    """State files of the local stack's parts; their logs are under `logs/`."""
    return data_dir() / "stack"
