"""The `voxguard-ci` command line: one module per command, each with `register(subparsers)`.

Exit codes: 0 success, 1 the pipeline ran and something failed, 2 usage or input error,
3 unexpected or infrastructure error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from voxguard_ci.errors import VoxguardError


def build_parser() -> argparse.ArgumentParser:
    from voxguard_ci.cli import (
        base_images_cmd,
        parse_cmd,
        plan_cmd,
        promote_cmd,
        run_cmd,
        sbom_cmd,
        server_cmd,
        stack_cmd,
    )

    parser = argparse.ArgumentParser(prog="voxguard-ci", description="VoxGuard's CI/CD pipeline on Prefect.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run_cmd, plan_cmd, parse_cmd, sbom_cmd, promote_cmd, server_cmd, stack_cmd, base_images_cmd):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except VoxguardError as exc:
        print(f"voxguard-ci: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("voxguard-ci: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
