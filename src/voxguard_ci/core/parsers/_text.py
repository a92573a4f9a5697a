"""Shared helpers for the parsers: XML and JSON loading with messages that say what was wrong."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from voxguard_ci.errors import ReportError


def load_xml(text: str) -> ET.Element:
    """The root element of `text`, or ReportError("not valid XML at line L, column C: reason")."""
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ReportError(f"not valid XML at line {line}, column {column}: {reason}") from None


def load_json(text: str) -> Any:
    """The decoded value of `text`, or ReportError("not valid JSON at line L, column C: reason")."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages like "expected an array, got object"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "number"


def first_line(text: str | None, limit: int = 300) -> str:
    """The first non-blank line of `text`, cut to `limit` characters: a short message for a failure."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""
