"""`voxguard-ci promote IMAGE@DIGEST TAG`: re-tag a tested image in its registry, never rebuilding it."""

from __future__ import annotations

import argparse

from voxguard_ci.cli.output import add_format_option, emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("promote", help="re-tag a tested image by digest in its registry (no pull, no rebuild)")
    parser.add_argument("image", metavar="IMAGE@DIGEST", help="e.g. 127.0.0.1:5000/voxguard/web@sha256:…")
    parser.add_argument("tag", metavar="TAG", help="the tag to give it, e.g. v1.4.0 or staging")
    add_format_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from voxguard_ci.adapters.registry import promote
    from voxguard_ci.core.images import parse_digest_ref

    result = promote(parse_digest_ref(args.image), args.tag)

    def text(data: dict) -> str:
        state = "verified" if data["verified"] else "NOT verified: the tag does not resolve to the digest"
        return f"{data['image']}:{data['tag']} -> {data['digest']} ({state})"

    emit(result.model_dump(), args.format, text)
    return 0 if result.verified else 1
