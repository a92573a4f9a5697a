"""SBOM components read straight from lockfiles: Cargo.lock (Rust) and go.mod (Go).

Lockfiles name exact versions but no licenses: those components carry none, and the license gate reports
them as "states no license" rather than as allowed.
"""

from __future__ import annotations

import re
import tomllib

from voxguard_ci.core.findings import Component
from voxguard_ci.errors import ReportError

CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
_REQUIRE = re.compile(r"^\s*(?:require\s+)?([A-Za-z0-9._~/-]+\.[A-Za-z0-9._~/-]+)\s+(v[0-9][^\s]*)(\s*//\s*indirect)?\s*$")


def cargo_lock(text: str) -> list[Component]:
    """Every registry package of a Cargo.lock (workspace members have no `source` and are left out)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReportError(f"not a valid Cargo.lock (TOML): {exc}") from None
    packages = data.get("package")
    if not isinstance(packages, list):
        raise ReportError("not a Cargo.lock: no [[package]] entries")
    components = []
    for package in packages:
        if not isinstance(package, dict) or "name" not in package or "version" not in package:
            raise ReportError("Cargo.lock: a [[package]] entry without name and version")
        if package.get("source") is None:
            continue
        name, version = package["name"], package["version"]
        purl = f"pkg:cargo/{name}@{version}" if package["source"] == CRATES_IO else None
        components.append(Component(name=name, version=version, purl=purl, scope="required"))
    return components


def go_mod(text: str) -> list[Component]:
    """The modules a go.mod requires, direct and indirect."""
    if not re.search(r"^module\s+\S+", text, re.MULTILINE):
        raise ReportError("not a go.mod: no module line")
    components, in_block = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("require ("):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        if in_block or stripped.startswith("require "):
            match = _REQUIRE.match(stripped)
            if match:
                module, version = match.group(1), match.group(2)
                components.append(Component(name=module, version=version, purl=f"pkg:golang/{module}@{version}",
                                            scope="required"))
    return components
