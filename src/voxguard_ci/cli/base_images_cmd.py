"""`voxguard-ci base-images [--force]`: build the local base images the example's Dockerfiles build FROM."""

from __future__ import annotations

import argparse
import os
import sys

from voxguard_ci.cli.output import add_format_option, emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("base-images", help="build the local base images (no public registry needed)",
                            description="Builds localhost/voxguard-base/{debian,golang,rust,node,busybox} from "
                                        "Debian's packages and this machine's toolchains; present ones are kept.")
    parser.add_argument("--force", action="store_true", help="rebuild every base image")
    add_format_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from voxguard_ci.adapters import stack
    from voxguard_ci.adapters.base_images import ensure_base_images

    images = ensure_base_images({**os.environ, **stack.podman_config()}, force=args.force,
                                log=lambda line: print(line, file=sys.stderr))
    emit({"images": images}, args.format, lambda data: "\n".join(f"{k:8} {v}" for k, v in data["images"].items()))
    return 0
