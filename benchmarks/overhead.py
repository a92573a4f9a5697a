"""Per-task orchestration overhead on a synthetic repository of N trivial services (goal: <= 20 ms per task).

    python benchmarks/overhead.py [--sizes 50 100 200]

For N = 1 and each size, generates a repository with N services whose build, test and lint steps run `true`
(one tiny source file each, salted per repository so no run hits another's cache) and times a cold
`voxguard-ci run` (VOXGUARD_CI_MAX_PARALLEL=2). The N=1 run is the fixed cost; per-task cost is
(T(N) - T(1)) / (3 * (N - 1)): the 3 * (N - 1) extra step tasks (each service also adds one evidence task and
its share of planning/hashing, which this figure includes). Growth is roughly linear when the per-task cost at
the largest size is within 1.5x of that at the smallest. An untimed N=1 run goes first (first use of the fresh
server). As a cross-check free of start-up/teardown jitter, the same division is printed for the flow's task
phase alone (from the run's log timestamps: flow run begins -> last task finished). Before each run the script
waits (untimed) until the server is idle; after it, it measures how long the server stays busy writing that
run's logs, events and task-run states, and prints the per-task cost with that time included as well.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from _bench import Bench, loadavg, phase_times, phases

GOAL_MS = 20.0
LINEAR_TOLERANCE = 1.5


def make_repo(root: Path, n: int) -> Path:
    services = []
    for i in range(1, n + 1):
        name = f"svc-{i:03d}"
        src = root / "services" / name
        src.mkdir(parents=True)
        (src / "main.py").write_text(
            f"# {name} of a {n}-service benchmark repository ({root.name})\nVALUE = {i}\n"
        )
        services.append(
            f"  - name: {name}\n"
            f"    language: python\n"
            f"    paths: ['services/{name}/**']\n"
            f"    toolchain: [python3, --version]\n"
            f'    build: {{commands: [["true"]]}}\n'
            f'    test: {{commands: [["true"]]}}\n'
            f'    lint: {{commands: [["true"]]}}\n'
        )
    (root / "voxguard-ci.yaml").write_text("version: 1\nservices:\n" + "".join(services))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200], help="service counts N (> 1)")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    if any(n < 2 for n in sizes):
        parser.error("--sizes must all be > 1 (N=1 is the fixed-cost baseline)")

    with Bench("overhead", max_parallel=2) as bench:
        # untimed: the server's first flow run (flow registration, first-use costs) must not inflate T(1)
        warmup, _ = bench.run(make_repo(bench.tmp / "repo-warmup", 1), "warmup", expect_passed=False)
        print(f"[warm-up] one untimed N=1 run first (first use of the fresh server): {warmup.seconds:.2f} s")
        results: dict[int, tuple[float, float | None, float]] = {}
        for n in [1, *sizes]:
            repo = make_repo(bench.tmp / f"repo-{n}", n)
            load = loadavg()
            run, data = bench.run(repo, f"n{n}", expect_passed=False)
            steps = data["steps"]
            assert len(steps) == 3 * n, f"N={n}: expected {3 * n} steps, got {len(steps)}"
            assert not any(s["cached"] for s in steps), f"N={n}: a cold run had cache hits"
            assert all(s["status"] == "passed" for s in steps), f"N={n}: a step did not pass"
            times = phase_times(run)
            results[n] = (run.seconds, times["tasks"] if times else None, run.drain)
            print(
                f"N={n:>4}: cold run {run.seconds:7.2f} s, {len(steps):>4} steps in the JSON (all ran, passed; "
                f"pipeline state {data['state']}), then the server stayed busy {run.drain:.1f} s; "
                f"load average before: {load}"
            )
            print(f"        {phases(run)}")

        fixed = results[1][0]
        print(f"fixed cost (N=1, 3 steps): {fixed:.2f} s")
        per_task: dict[int, float] = {}
        for n in sizes:
            extra_tasks = 3 * (n - 1)
            per_task[n] = (results[n][0] - fixed) / extra_tasks * 1000
            verdict = "MET" if per_task[n] <= GOAL_MS else f"MISSED by {per_task[n] - GOAL_MS:.1f} ms"
            print(
                f"N={n:>4}: ({results[n][0]:.2f} s - {fixed:.2f} s) / {extra_tasks} tasks = "
                f"{per_task[n]:6.1f} ms per task   (goal <= {GOAL_MS:.0f} ms: {verdict})"
            )
            if results[n][1] is not None and results[1][1] is not None:
                in_flow = (results[n][1] - results[1][1]) / extra_tasks * 1000
                print(
                    f"        cross-check without start-up/teardown jitter (the flow's task phase only): "
                    f"{in_flow:6.1f} ms per task"
                )
            with_drain = (results[n][0] + results[n][2] - fixed - results[1][2]) / extra_tasks * 1000
            print(
                f"        including the server's work after the run returns (run + server busy time): "
                f"{with_drain:6.1f} ms per task"
            )
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            if per_task[small] <= 0 or per_task[large] <= 0:
                print(
                    f"RATIO per-task cost N={large} / N={small}: inconclusive (a per-task cost <= 0: noise "
                    "exceeds the work measured)"
                )
            else:
                growth = per_task[large] / per_task[small]
                shape = (
                    "roughly linear"
                    if 1 / LINEAR_TOLERANCE <= growth <= LINEAR_TOLERANCE
                    else "super-linear (per-task cost grows with N)"
                    if growth > LINEAR_TOLERANCE
                    else "sub-linear (fixed costs amortised)"
                )
                print(
                    f"RATIO per-task cost N={large} / N={small} = {growth:.2f}: {shape} "
                    f"(linear within {LINEAR_TOLERANCE}x)"
                )
        print(
            f"load average (1/5/15 min) at the end: {loadavg()} "
            f"-- other work on this {os.cpu_count()}-core machine adds noise"
        )


if __name__ == "__main__":
    main()
