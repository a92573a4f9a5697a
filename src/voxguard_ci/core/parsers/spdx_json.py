"""SPDX 2.x JSON document (written by `npm sbom --sbom-format spdx`, trivy, syft) → SbomReport.

Each of `packages` is a component (`name`, `versionInfo`, the `purl` among `externalRefs`), except the
packages the document describes (`documentDescribes`, or `DESCRIBES` relationships of the document): those
are the project itself, as CycloneDX's `metadata.component` is.

Licenses: `licenseConcluded` (what the document's author concluded) when it states one, else
`licenseDeclared` (what the package says). `NOASSERTION` and `NONE` state nothing, so a package with only
those has no license, which the license check reports as unknown.

Scope: a package that is only ever the source of `DEV_DEPENDENCY_OF`, `TEST_DEPENDENCY_OF` or
`BUILD_DEPENDENCY_OF` relationships (npm marks devDependencies so) is `excluded`, as in CycloneDX; one only
ever `OPTIONAL_DEPENDENCY_OF` is `optional`; otherwise no scope is stated.
"""

from __future__ import annotations

from typing import Any

from voxguard_ci.core.findings import Component, SbomReport
from voxguard_ci.core.parsers._security import field
from voxguard_ci.core.parsers._text import json_type, load_json
from voxguard_ci.errors import ReportError

FORMAT = "spdx"
NO_LICENSE = frozenset({"NOASSERTION", "NONE", ""})
SCOPES = {
    "DEV_DEPENDENCY_OF": "excluded",
    "TEST_DEPENDENCY_OF": "excluded",
    "BUILD_DEPENDENCY_OF": "excluded",
    "OPTIONAL_DEPENDENCY_OF": "optional",
}
DOCUMENT = "SPDXRef-DOCUMENT"


def parse(text: str) -> SbomReport:
    data = load_json(text)
    if not isinstance(data, dict) or not str(data.get("spdxVersion", "")).startswith("SPDX-"):
        shape = f"spdxVersion {data.get('spdxVersion')!r}" if isinstance(data, dict) else json_type(data)
        raise ReportError(f'expected an SPDX JSON document (spdxVersion "SPDX-2.x"), got {shape}')
    version = data["spdxVersion"]
    if not version.startswith("SPDX-2."):
        raise ReportError(f"unsupported {version}: expected an SPDX 2.x JSON document")
    packages = [] if data.get("packages") is None else data["packages"]
    relationships = [] if data.get("relationships") is None else data["relationships"]
    if not isinstance(packages, list):
        raise ReportError(f"packages should be an array, got {json_type(packages)}")
    if not isinstance(relationships, list):
        raise ReportError(f"relationships should be an array, got {json_type(relationships)}")
    described = set(data.get("documentDescribes") or []) | {
        r.get("relatedSpdxElement")
        for r in relationships
        if isinstance(r, dict)
        and r.get("spdxElementId") == DOCUMENT
        and r.get("relationshipType") == "DESCRIBES"
    }
    kinds: dict[str, set[str]] = {}
    for relationship in relationships:
        if isinstance(relationship, dict):
            kinds.setdefault(str(relationship.get("spdxElementId")), set()).add(
                str(relationship.get("relationshipType"))
            )
    components = []
    for index, package in enumerate(packages):
        where = f"packages[{index}]"
        spdx_id = field(package, "SPDXID", str, where)
        if spdx_id not in described:
            components.append(_component(where, package, kinds.get(spdx_id, set())))
    return SbomReport(format=f"{FORMAT}-{version.removeprefix('SPDX-')}", components=components)


def _component(where: str, package: dict[str, Any], relationships: set[str]) -> Component:
    version = package.get("versionInfo")
    return Component(
        name=field(package, "name", str, where),
        version=str(version) if version not in (None, "", "NOASSERTION") else None,
        purl=_purl(where, package.get("externalRefs")),
        licenses=_licenses(package),
        scope=_scope(relationships),
    )


def _purl(where: str, refs: Any) -> str | None:
    if refs is None:
        return None
    if not isinstance(refs, list):
        raise ReportError(f"{where}.externalRefs should be an array, got {json_type(refs)}")
    for ref in refs:
        if isinstance(ref, dict) and str(ref.get("referenceType", "")).lower() == "purl":
            return str(ref.get("referenceLocator") or "") or None
    return None


def _licenses(package: dict[str, Any]) -> list[str]:
    for key in ("licenseConcluded", "licenseDeclared"):
        value = str(package.get(key) or "").strip()
        if value.upper() not in NO_LICENSE:
            return [value]
    return []


def _scope(relationships: set[str]) -> str | None:
    dependency_kinds = {kind for kind in relationships if kind.endswith("DEPENDENCY_OF")}
    scopes = {SCOPES.get(kind) for kind in dependency_kinds}
    return scopes.pop() if len(scopes) == 1 else None
