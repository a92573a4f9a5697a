"""Printing a command's result as text or as its JSON contract."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any


def add_format_option(parser: argparse.ArgumentParser, *extra: str) -> None:
    choices = ["text", "json", *extra]
    parser.add_argument("--format", choices=choices, default="text", help="output format (default: text)")
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="short for --format json")


def emit(data: dict[str, Any], fmt: str, text: Callable[[dict[str, Any]], str]) -> None:
    if fmt == "json":
        print(json.dumps(data, indent=2, sort_keys=False, default=str))
    else:
        print(text(data))
