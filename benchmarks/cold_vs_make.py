"""Cold pipeline run vs. `make -j2 all` over the same commands (goal: pipeline/make <= 1.10).

    python benchmarks/cold_vs_make.py

Copies examples/voxguard three times (without build leftovers). A Makefile generated from the same
voxguard-ci.yaml (benchmarks/makefile_gen.py) is run once, untimed, on copy C so the global toolchain caches
(cargo registry, GOCACHE, pip cache, pnpm store) are warm; then `make -j2 all` is timed on copy A and a cold
`voxguard-ci run` (fresh VOXGUARD_CI_HOME, so no step cache; VOXGUARD_CI_MAX_PARALLEL=2) on copy B.
Both see the same environment for their commands: the allow-listed one the pipeline passes (env_allow).
"""

from __future__ import annotations

import os
import subprocess

from _bench import (
    Bench,
    copy_example,
    expected_service_steps,
    loadavg,
    phases,
    service_steps,
    step_table,
    timed,
)
from makefile_gen import makefile

from voxguard_ci.adapters.runner import allowed_environment
from voxguard_ci.core.config import load_config

GOAL = 1.10
JOBS = 2


def main() -> None:
    print(
        f"cold_vs_make: {os.cpu_count()} CPUs, make -j{JOBS} vs voxguard-ci run with VOXGUARD_CI_MAX_PARALLEL={JOBS}"
    )
    with Bench("cold-vs-make", max_parallel=JOBS) as bench:
        copy_a = copy_example(bench.tmp / "copy-a")
        copy_b = copy_example(bench.tmp / "copy-b")
        copy_c = copy_example(bench.tmp / "copy-c")
        config = load_config(copy_a / "voxguard-ci.yaml")
        mk = bench.tmp / "Makefile"
        mk.write_text(makefile(config))
        # the environment the pipeline gives its commands; make runs in it too
        cmd_env = allowed_environment(config.env_allow)
        make = ["make", "-f", str(mk), f"-j{JOBS}", "all"]

        print(
            f"[warm-up] untimed-for-the-ratio `make -j{JOBS} all` on a third copy so both timed runs see "
            "equally warm global toolchain caches (cargo registry, GOCACHE, pip cache, pnpm store) ..."
        )
        warm = timed(make, cwd=copy_c, env=cmd_env, log=bench.logs / "make-warmup.log")
        print(f"[warm-up] done in {warm.seconds:.1f} s; load average now {loadavg()}")

        load_before = loadavg()
        made = timed(make, cwd=copy_a, env=cmd_env, log=bench.logs / "make-a.log")
        load_mid = loadavg()
        run, data = bench.run(copy_b, "cold")
        load_after = loadavg()
        if any(s["cached"] for s in data["steps"]):
            raise SystemExit("the 'cold' pipeline run had cache hits; its VOXGUARD_CI_HOME is not fresh")
        if len(service_steps(data)) != expected_service_steps(config):
            raise SystemExit(
                f"expected {expected_service_steps(config)} build/test/lint steps, "
                f"got {len(service_steps(data))}"
            )
        jobserver = "jobserver" in (bench.logs / "make-a.log").read_text(errors="replace")

        ratio = run.seconds / made.seconds
        steps_sum = sum(s["duration"] for s in data["steps"])
        print()
        print(
            f"make -j{JOBS} all (copy A, warm toolchain caches):      {made.seconds:8.2f} s wall, "
            f"{made.cpu:7.1f} s CPU"
        )
        print(
            f"voxguard-ci run (copy B, cold step cache, same warmth): {run.seconds:8.2f} s wall, "
            f"{run.cpu:7.1f} s CPU"
        )
        print(
            f"  pipeline steps ({len(data['steps'])}, all ran, state {data['state']}): "
            f"sum of step durations {steps_sum:.1f} s"
        )
        print(step_table(data))
        print(f"  pipeline {phases(run)}")
        over = run.seconds - GOAL * made.seconds
        verdict = "MET" if ratio <= GOAL else f"MISSED by {ratio - GOAL:.4f} ({over:.1f} s)"
        print(f"RATIO pipeline/make = {ratio:.3f}   (goal <= {GOAL:.2f}: {verdict})")
        print(
            f"extra wall time of the pipeline: {run.seconds - made.seconds:+.1f} s; "
            f"extra CPU: {run.cpu - made.cpu:+.1f} s (the Prefect server's own CPU not included; it stayed "
            f"busy {run.drain:.1f} s after the run returned)"
        )
        print(
            f"load average (1/5/15 min) before make: {load_before}, between: {load_mid}, after pipeline: "
            f"{load_after} -- other work on this {os.cpu_count()}-core machine adds noise"
        )
        if jobserver:
            print(
                "note: make's log mentions the jobserver (see make-a.log): cargo may not share make's job slots"
            )
        version = subprocess.run(["make", "--version"], capture_output=True, text=True, check=False).stdout
        print(f"({version.splitlines()[0] if version else 'make'}; warm-up make took {warm.seconds:.1f} s)")


if __name__ == "__main__":
    main()
