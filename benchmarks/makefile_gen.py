"""Generate a Makefile equivalent to a voxguard-ci.yaml (used by cold_vs_make.py; also runnable on its own).

One target per step: build-X; test-X and lint-X depend on build-X; `all` depends on every test and lint target
(and on build targets of services without test or lint), and on a scan-NAME target per security scanner when the
config has any (the pipeline starts scans without waiting for builds). Each command is one recipe line that cds into the
service's workdir and runs the argv quoted with shlex.join; `stdout` redirects to the file (relative to the
repository root, like the pipeline), creating its folder first; `ok_codes` other than [0] are honoured.

    python benchmarks/makefile_gen.py REPO/voxguard-ci.yaml > Makefile
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from voxguard_ci.core.config import Command, PipelineConfig, load_config


def _make_escape(shell: str) -> str:
    return shell.replace("$", "$$")  # make expands $; the shell must see it literally


def recipe_line(command: Command, workdir: str, env: dict[str, str]) -> str:
    argv = command.argv if not env else ["env", *(f"{k}={v}" for k, v in env.items()), *command.argv]
    run = _make_escape(shlex.join(argv))
    prefix = ""
    if command.stdout:
        parent = os.path.dirname(command.stdout)
        if parent:
            prefix = f"mkdir -p {_make_escape(shlex.quote(parent))} && "
        # the pipeline resolves `stdout` against the repository root, while the command runs in workdir
        target = os.path.relpath(command.stdout, workdir)
        run += f" > {_make_escape(shlex.quote(target))}"
    cd = f"cd {_make_escape(shlex.quote(workdir))}"
    codes = sorted(set(command.ok_codes))
    if codes == [0]:
        return f"{prefix}{cd} && {run}"
    accepted = "|".join(str(c) for c in codes)
    return f"{prefix}{cd} || exit 1; {run}; rc=$$?; case $$rc in {accepted}) exit 0;; *) exit $$rc;; esac"


def makefile(config: PipelineConfig) -> str:
    lines = ["# Generated from voxguard-ci.yaml by benchmarks/makefile_gen.py", "SHELL := /bin/sh", ""]
    goals: list[str] = []
    targets: list[str] = []
    body: list[str] = []
    for service in config.services:
        build = f"build-{service.name}" if service.build else None
        for stage in ("build", "test", "lint"):
            step = getattr(service, stage)
            if step is None:
                continue
            target = f"{stage}-{service.name}"
            targets.append(target)
            deps = [build] if stage != "build" and build else []
            body.append(f"{target}:{''.join(' ' + d for d in deps)}")
            body += [f"\t{recipe_line(c, service.workdir, step.env)}" for c in step.commands]
            body.append("")
            if stage != "build":
                goals.append(target)
        if build and not (service.test or service.lint):
            goals.append(build)
    security = getattr(config, "security", None)  # security scanners, when the config schema has them
    for scanner in security.scanners if security else []:
        target = f"scan-{scanner.name}"
        targets.append(target)
        goals.append(target)
        body.append(f"{target}:")
        body += [f"\t{recipe_line(c, scanner.workdir, scanner.env)}" for c in scanner.commands]
        body.append("")
    lines.append(f".PHONY: all {' '.join(targets)}")
    lines.append(".DEFAULT_GOAL := all")
    lines.append(f"all: {' '.join(goals)}")
    lines.append("")
    return "\n".join(lines + body)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python benchmarks/makefile_gen.py PATH/voxguard-ci.yaml")
    sys.stdout.write(makefile(load_config(Path(sys.argv[1]))))
