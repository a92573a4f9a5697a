"""Telling a report's format from its content, for `voxguard-ci parse REPORT` without `--tool`.

The content decides, never the file name alone: an XML root element (`testsuites`/`testsuite` or
`coverage`), a `mode:` first line, `SF:`/`TN:` lines, the shape of a JSON document (security reports
included: SARIF, scanner JSON, SBOMs), go test events, or libtest's `running N tests` / `test result:` lines. The `lines` format cannot be recognised (any text is a
list of lines) and must be named. The file's path only breaks the one real tie: `[]` is a clean report from
both ESLint and ruff, and a path that mentions one of them decides.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from voxguard_ci.core.parsers import cargo_test, cobertura, go_coverprofile, junit
from voxguard_ci.core.parsers._text import load_json, load_xml
from voxguard_ci.core.parsers.security_code import sniff_code
from voxguard_ci.core.parsers.security_deps import sniff_deps
from voxguard_ci.errors import ReportError

_HEAD = 50  # lines looked at for line-oriented formats


def sniff(text: str, filename: str = "") -> str:
    stripped = text.strip()
    if not stripped:
        raise ReportError("empty report")
    head = [line.strip() for line in stripped.splitlines()[:_HEAD]]
    if stripped.startswith("<"):
        return _xml_format(load_xml(stripped))
    if go_coverprofile.MODE.match(head[0]):
        return "go-coverprofile"
    if any(_is_go_event(line) for line in head):
        return "go-test-json"
    if stripped[0] in "[{":
        security = sniff_code(stripped, filename) or sniff_deps(stripped, filename)
        return security or _json_format(load_json(stripped), filename)
    if any(line.startswith(("SF:", "TN:")) for line in head):
        return "lcov"
    if any(cargo_test.RUNNING.match(line) or cargo_test.RESULT.match(line) for line in stripped.splitlines()):
        return "cargo-test"
    raise _cannot_tell("the content looks like none of the supported formats")


def _xml_format(root: ET.Element) -> str:
    if root.tag in junit.ROOTS:
        return "junit"
    if root.tag == cobertura.ROOT:
        return "cobertura"
    raise _cannot_tell(f"an XML document with root element <{root.tag}>")


def _is_go_event(line: str) -> bool:
    if not line.startswith("{"):
        return False
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(event, dict) and isinstance(event.get("Action"), str)


def _json_format(data: Any, filename: str) -> str:
    if isinstance(data, dict) and isinstance(data.get("total"), dict) and "lines" in data["total"]:
        return "istanbul-summary"
    if isinstance(data, list) and not data:
        for hint in ("eslint", "ruff"):
            if hint in filename.lower():
                return f"{hint}-json"
        raise _cannot_tell("an empty JSON array is a clean report from eslint-json and ruff-json alike")
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        if all("filePath" in item and "messages" in item for item in data):
            return "eslint-json"
        if all("filename" in item and "code" in item for item in data):
            return "ruff-json"
    raise _cannot_tell("a JSON document of a shape none of them has")


def _cannot_tell(what: str) -> ReportError:
    from voxguard_ci.core.parsers import FORMATS  # the registry imports this module

    supported = ", ".join(sorted(FORMATS))
    return ReportError(f"cannot tell the report format: {what}; pass --tool with one of: {supported}")
