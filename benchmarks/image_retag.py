"""Images: a new commit that leaves every service unchanged re-tags its images instead of building them.

    python benchmarks/image_retag.py

On a fresh copy of examples/voxguard made a git repository (fresh VOXGUARD_CI_HOME, its own registry on a free
port, the stack's Podman service): run 1 builds and pushes the four images; then an empty commit, and run 2, in
which every image step is a cache hit that re-tags the image by digest in the registry (no pull, no build, no
layer upload). Podman's own layer cache is shared with the machine, so run 1 is cold for voxguard-ci's step
cache, not necessarily for the engine: the figure is a lower bound of what a re-tag saves. Prints the seconds of
each `image-<service>` task of run 1 and `tag-image-<service>` task of run 2 and the ratio of their sums.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime

import httpx
from _bench import Bench, copy_example, loadavg

from voxguard_ci.adapters.daemon import free_port


def git(repo, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=bench@voxguard.invalid", "-c",
                           "user.name=bench", *args], capture_output=True, text=True, check=True).stdout.strip()


def image_steps(data: dict) -> dict[str, dict]:
    return {s["service"]: s for s in data["steps"] if s["stage"] == "image"}


def task_seconds(server_url: str, flow_run_id: str, prefix: str) -> dict[str, float]:
    """Wall seconds of the flow run's task runs named `<prefix><service>`, from the server's timestamps (a
    cached step's outcome keeps the duration of the run that built it, so the outcome cannot tell)."""
    runs = httpx.post(f"{server_url}/task_runs/filter",
                      json={"flow_runs": {"id": {"any_": [flow_run_id]}}}, timeout=30).json()
    seconds = {}
    for run in runs:
        if run["name"].startswith(prefix) and run["start_time"] and run["end_time"]:
            start, end = (datetime.fromisoformat(run[k]) for k in ("start_time", "end_time"))
            seconds[run["name"].removeprefix(prefix)] = (end - start).total_seconds()
    return seconds


def main() -> None:
    with Bench("image-retag", max_parallel=2) as bench:
        bench.env["VOXGUARD_CI_REGISTRY"] = f"127.0.0.1:{free_port()}"
        repo = copy_example(bench.tmp / "voxguard")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "example")
        load_before = loadavg()
        _, built = bench.run(repo, "build", images=True)
        git(repo, "commit", "-q", "--allow-empty", "-m", "no service changed")
        _, retagged = bench.run(repo, "retag", images=True)
        load_after = loadavg()
        first, second = image_steps(built), image_steps(retagged)
        assert len(first) == 4 and not any(s["cached"] for s in first.values()), "run 1 did not build 4 images"
        assert all(s["cached"] for s in second.values()), "run 2 built an image again"
        digests = {i["service"]: i["digest"] for i in built["images"]}
        assert {i["service"]: i["digest"] for i in retagged["images"]} == digests, "a re-tag changed a digest"
        build = task_seconds(bench.server_url, built["flow_run_id"], "image-")
        retag = task_seconds(bench.server_url, retagged["flow_run_id"], "tag-image-")
        assert sorted(build) == sorted(retag) == sorted(first), (build, retag)
        print(f"{'image':20} {'build s':>9} {'re-tag s':>9}")
        for service in sorted(first):
            print(f"{service:20} {build[service]:9.2f} {retag[service]:9.2f}")
        built_s, retag_s = sum(build.values()), sum(retag.values())
        print(f"RATIO re-tag/build (image steps, summed) = {retag_s / built_s:.3f}  ({retag_s:.2f} s vs {built_s:.2f} s)")
        print(f"load average (1/5/15 min) before: {load_before}, after: {load_after} "
              f"-- other work on this {os.cpu_count()}-core machine adds noise")


if __name__ == "__main__":
    main()
