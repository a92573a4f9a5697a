"""Scanners of code, secrets, infrastructure and running services: their formats, and how to tell them.

`CODE_FORMATS` maps each format name (the `--tool` name) to its parse function; all of them return a
FindingsReport. `sniff_code` recognises these formats from the content and returns None for anything else,
so that the main sniffer can ask it first and fall back to its own rules.

Only one tie needs the file name: `[]` is a clean gitleaks report and a clean eslint or ruff report alike, so
`[]` is gitleaks-json only when the file name mentions gitleaks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from voxguard_ci.core.findings import FindingsReport
from voxguard_ci.core.parsers import (
    bandit_json,
    checkov_json,
    detect_secrets_json,
    gitleaks_json,
    gosec_json,
    nuclei_jsonl,
    sarif,
    semgrep_json,
    zap_json,
)

CODE_FORMATS: dict[str, Callable[[str], FindingsReport]] = {
    "sarif": sarif.parse,
    "bandit-json": bandit_json.parse,
    "semgrep-json": semgrep_json.parse,
    "gosec-json": gosec_json.parse,
    "gitleaks-json": gitleaks_json.parse,
    "detect-secrets-json": detect_secrets_json.parse,
    "checkov-json": checkov_json.parse,
    "zap-json": zap_json.parse,
    "nuclei-jsonl": nuclei_jsonl.parse,
}

__all__ = ["CODE_FORMATS", "sniff_code"]


def sniff_code(text: str, filename: str = "") -> str | None:
    """The name of the format in CODE_FORMATS that `text` is written in, or None when it is none of them."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        return _format_of(json.loads(stripped), filename)
    except json.JSONDecodeError:
        pass
    # Several JSON documents: nuclei's one event per line, or checkov's one report per `-d` directory.
    try:
        first, _ = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError:
        return None
    kind = _format_of(first, filename)
    return kind if kind in ("nuclei-jsonl", "checkov-json") else None


def _format_of(data: Any, filename: str) -> str | None:
    if isinstance(data, dict):
        return _object_format(data)
    if isinstance(data, list) and not data:
        return "gitleaks-json" if "gitleaks" in filename.lower() else None
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        kinds = {_item_format(item) for item in data}
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _object_format(data: dict) -> str | None:
    if isinstance(data.get("runs"), list) and ("version" in data or "$schema" in data):
        return "sarif"
    if "Issues" in data and ("Golang errors" in data or "Stats" in data):
        return "gosec-json"
    if isinstance(data.get("results"), dict) and "plugins_used" in data:
        return "detect-secrets-json"
    if isinstance(data.get("results"), list):
        if isinstance(data.get("metrics"), dict) and "generated_at" in data:
            return "bandit-json"
        if isinstance(data.get("errors"), list) and "paths" in data:
            return "semgrep-json"
    if "check_type" in data and "results" in data or {"resource_count", "checkov_version"} <= data.keys():
        return "checkov-json"
    if "site" in data and ("@version" in data or "@programName" in data):
        return "zap-json"
    if "template-id" in data and "info" in data:
        return "nuclei-jsonl"
    return None


def _item_format(item: dict) -> str | None:
    if "RuleID" in item and "Match" in item:
        return "gitleaks-json"
    if "check_type" in item:
        return "checkov-json"
    if "template-id" in item and "info" in item:
        return "nuclei-jsonl"
    return None
