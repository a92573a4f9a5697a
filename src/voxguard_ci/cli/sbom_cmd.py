"""`voxguard-ci sbom --cargo-lock FILE --go-mod FILE -o OUT`: a CycloneDX SBOM of Rust and Go components."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.core import exports, lockfiles
from voxguard_ci.errors import ReportError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sbom", help="write a CycloneDX SBOM of the components in Cargo.lock and go.mod files")
    parser.add_argument("--cargo-lock", action="append", default=[], metavar="FILE", help="a Cargo.lock (repeatable)")
    parser.add_argument("--go-mod", action="append", default=[], metavar="FILE", help="a go.mod (repeatable)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where the CycloneDX JSON goes")
    parser.set_defaults(handler=handle)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot read: {exc.strerror}") from None


def handle(args: argparse.Namespace) -> int:
    if not args.cargo_lock and not args.go_mod:
        raise ReportError("sbom: name at least one --cargo-lock or --go-mod file")
    components = []
    for readers, paths in ((lockfiles.cargo_lock, args.cargo_lock), (lockfiles.go_mod, args.go_mod)):
        for path in paths:
            try:
                components += readers(_read(path))
            except ReportError as exc:
                raise ReportError(f"{path}: {exc}") from None
    out = write_atomically(Path(args.output), json.dumps(exports.merge_cyclonedx(components), indent=2))
    print(f"{out}: {len(components)} components")
    return 0
