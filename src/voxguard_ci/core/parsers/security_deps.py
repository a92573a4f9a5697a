"""Dependency scanners and SBOMs: their formats and how to tell them.

`DEPENDENCY_FORMATS` maps each format name (the `--tool` name) to its kind (`findings` or `sbom`) and parse
function. `sniff_deps` recognises these formats from the content and returns None for anything else, so
that the main sniffer can ask it first and fall back to its own rules. It never raises: text that is not
JSON is simply none of these formats.

govulncheck writes a stream of JSON objects, so its text is not one JSON document: `sniff_deps` looks at
the first object only. The npm and pnpm error objects are told apart by pnpm's `ERR_PNPM_` error codes;
an npm 6 report has the pnpm shape and is named pnpm-audit-json (which reads both).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from voxguard_ci.core.parsers import (
    cargo_audit_json,
    cyclonedx_json,
    govulncheck_json,
    npm_audit_json,
    pip_audit_json,
    pnpm_audit_json,
    spdx_json,
    trivy_json,
)

DepsKind = Literal["findings", "sbom"]

DEPENDENCY_FORMATS: dict[str, tuple[DepsKind, Callable[[str], BaseModel]]] = {
    "govulncheck-json": ("findings", govulncheck_json.parse),
    "cargo-audit-json": ("findings", cargo_audit_json.parse),
    "pip-audit-json": ("findings", pip_audit_json.parse),
    "npm-audit-json": ("findings", npm_audit_json.parse),
    "pnpm-audit-json": ("findings", pnpm_audit_json.parse),
    "trivy-json": ("findings", trivy_json.parse),
    "cyclonedx-json": ("sbom", cyclonedx_json.parse),
    "spdx-json": ("sbom", spdx_json.parse),
}

__all__ = ["DEPENDENCY_FORMATS", "DepsKind", "sniff_deps"]


def sniff_deps(text: str, filename: str = "") -> str | None:
    """The name of the format in DEPENDENCY_FORMATS that `text` is written in, or None."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        return _object_format(json.loads(stripped))
    except json.JSONDecodeError:
        pass
    try:  # several JSON documents, one after another
        first, _ = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError:
        return None
    return "govulncheck-json" if _is_govulncheck(first) else None


def _object_format(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if _is_govulncheck(data):
        return "govulncheck-json"
    if data.get("bomFormat") == "CycloneDX":
        return "cyclonedx-json"
    if str(data.get("spdxVersion", "")).startswith("SPDX-"):
        return "spdx-json"
    if "SchemaVersion" in data and ("ArtifactName" in data or "Results" in data or "ArtifactType" in data):
        return "trivy-json"
    if isinstance(data.get("vulnerabilities"), dict) and {"database", "lockfile"} <= data.keys():
        return "cargo-audit-json"
    if isinstance(data.get("dependencies"), list) and "fixes" in data:
        return "pip-audit-json"
    if "auditReportVersion" in data or isinstance(data.get("vulnerabilities"), dict) and "metadata" in data:
        return "npm-audit-json"
    if isinstance(data.get("advisories"), dict) and ("actions" in data or "metadata" in data):
        return "pnpm-audit-json"
    return _error_format(data)


def _is_govulncheck(data: Any) -> bool:
    """The first message of a govulncheck stream: its `config` (or, from a cut stream, another message)."""
    if not isinstance(data, dict) or len(data) != 1:
        return False
    key, value = next(iter(data.items()))
    if key == "config":
        return isinstance(value, dict) and ("protocol_version" in value or "scanner_name" in value)
    if key == "SBOM":
        return isinstance(value, dict) and "modules" in value
    if key == "finding":
        return isinstance(value, dict) and "osv" in value and "trace" in value
    return False


def _error_format(data: dict[str, Any]) -> str | None:
    error = data.get("error")
    if isinstance(error, dict) and str(error.get("code", "")).startswith("ERR_PNPM_"):
        return "pnpm-audit-json"
    if "statusCode" in data and "uri" in data and isinstance(error, dict):
        return "npm-audit-json"
    if isinstance(error, dict) and {"code", "summary", "detail"} <= error.keys():
        return "npm-audit-json"
    return None
