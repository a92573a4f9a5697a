"""Cache keys: a step re-runs only when something it reads changed.

A key hashes the step's inputs: the digests of the files its service's globs match (lockfiles included,
since the globs name them), its commands, the allow-listed environment, the toolchain version and the
declared outputs. Nothing else: the repository's location is not an input, so a copy of the same sources
hits the same cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

KEY_VERSION = "voxguard-ci/step/1"


def _digest(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(blob).hexdigest()


def inputs_digest(file_digests: Mapping[str, str]) -> str:
    return _digest(sorted(file_digests.items()))


def step_key(
    *,
    service: str,
    stage: str,
    inputs: str,
    commands: Sequence[Any],
    env: Mapping[str, str],
    toolchain: str,
    outputs: Sequence[str],
) -> str:
    return _digest({
        "v": KEY_VERSION, "service": service, "stage": stage, "inputs": inputs,
        "commands": list(commands), "env": dict(env), "toolchain": toolchain, "outputs": list(outputs),
    })
