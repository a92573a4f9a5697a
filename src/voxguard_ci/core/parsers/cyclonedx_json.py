"""CycloneDX JSON SBOM (specVersion 1.2–1.7: cyclonedx-npm, cyclonedx-py, trivy, syft) → SbomReport.

`components` is a tree: a component may hold `components` of its own (cyclonedx-npm nests a package
installed under another one's `node_modules`); every level is read, in document order. The BOM's subject,
`metadata.component` (the project itself), is not one of its components and is left out.

Per component: `name` (with `group` in front, `@scope/name` for npm and `group:name` for Maven, as the
ecosystems write them), `version`, `purl`, `scope` and `licenses`: each entry of the `licenses` array gives
one string, `license.id` (an SPDX id), else `license.name` (free text such as "Custom: see LICENSE.txt"
or a Python trove classifier), else `expression` (an SPDX expression). Licenses decides what they mean.

`scope` is the component's own (`required`, `optional`, `excluded`); when absent, cyclonedx-npm's property
`cdx:npm:package:development` = true (a devDependency) is read as `excluded`, the CycloneDX scope of
components that are "not reachable at runtime", so that a production-only license policy can leave it out.
"""

from __future__ import annotations

import re
from typing import Any

from voxguard_ci.core.findings import Component, SbomReport
from voxguard_ci.core.parsers._security import field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

FORMAT = "cyclonedx"
SPEC = re.compile(r"^1\.(\d+)$")
DEVELOPMENT = "cdx:npm:package:development"


def parse(text: str) -> SbomReport:
    data = load_json(text)
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        shape = f"bomFormat {data.get('bomFormat')!r}" if isinstance(data, dict) else json_type(data)
        raise ReportError(f'expected a CycloneDX JSON BOM (bomFormat "CycloneDX"), got {shape}')
    spec = str(data.get("specVersion", ""))
    match = SPEC.match(spec)
    if not match or not 2 <= int(match.group(1)) <= 7:
        raise ReportError(
            f"unsupported CycloneDX specVersion {data.get('specVersion')!r}: expected 1.2 to 1.7"
        )
    components: list[Component] = []
    _walk([] if data.get("components") is None else data["components"], "components", components)
    return SbomReport(format=f"{FORMAT}-{spec}", components=components)


def _walk(items: Any, where: str, out: list[Component]) -> None:
    if not isinstance(items, list):
        raise ReportError(f"{where} should be an array, got {json_type(items)}")
    for index, item in enumerate(items):
        here = f"{where}[{index}]"
        out.append(_component(here, item))
        if "components" in item:
            _walk(item["components"], f"{here}.components", out)


def _component(where: str, item: Any) -> Component:
    name = field(item, "name", str, where)
    group = item.get("group")
    purl = item.get("purl") if isinstance(item.get("purl"), str) else None
    if isinstance(group, str) and group:
        name = f"{group}:{name}" if (purl or "").startswith("pkg:maven/") else f"{group}/{name}"
    version = item.get("version")
    return Component(
        name=name,
        version=str(version) if version not in (None, "") else None,
        purl=purl,
        licenses=_licenses(where, item.get("licenses")),
        scope=_scope(item),
    )


def _licenses(where: str, licenses: Any) -> list[str]:
    if licenses is None:
        return []
    if not isinstance(licenses, list):
        raise ReportError(f"{where}.licenses should be an array, got {json_type(licenses)}")
    found = []
    for index, entry in enumerate(licenses):
        if not isinstance(entry, dict):
            raise ReportError(f"{where}.licenses[{index}]: expected an object, got {json_type(entry)}")
        license = entry.get("license")
        if isinstance(license, dict) and (license.get("id") or license.get("name")):
            found.append(str(license.get("id") or license.get("name")))
        elif isinstance(entry.get("expression"), str) and entry["expression"].strip():
            found.append(entry["expression"].strip())
        else:
            raise ReportError(f"{where}.licenses[{index}]: expected license.id, license.name or expression")
    return found


def _scope(item: dict[str, Any]) -> str | None:
    if isinstance(item.get("scope"), str):
        return item["scope"]
    properties = item.get("properties") if isinstance(item.get("properties"), list) else []
    for prop in properties:
        if (
            isinstance(prop, dict)
            and prop.get("name") == DEVELOPMENT
            and str(prop.get("value")).lower() == "true"
        ):
            return "excluded"
    return None
