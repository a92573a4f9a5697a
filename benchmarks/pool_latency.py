"""Submission-to-Running latency of a Docker work pool against a process work pool.

    python benchmarks/pool_latency.py [--runs 5]

With the reused Prefect server started before timing (a fresh VOXGUARD_CI_HOME), creates the pools as
deploy/README.md does (voxguard-process; voxguard-docker from deploy/work-pools/docker.json), builds the
orchestrator image's slim variant from docker/Dockerfile on the local Debian base image (Podman, layers cached),
deploys one trivial flow to each pool and starts one worker per pool (`--type process`, `--type docker` on
Podman's Docker API). Then, alternating between the pools, it creates --runs flow runs from each deployment,
one at a time, and waits for each to complete. The figures come from the server's own timestamps: flow run
created -> Pending (the worker picked it up; its poll interval) -> Running (the flow's engine started in the new
process or container) -> Completed. The workers poll every second (PREFECT_WORKER_QUERY_SECONDS=1; the default
10 s would dominate both pools alike). Prints the medians and the docker/process ratio of created -> Running.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import yaml
from _bench import ROOT, Bench, loadavg
from container_vs_process import podman_service

from voxguard_ci.adapters.base_images import ensure_base_images

IMAGE = "localhost/voxguard-ci/orchestrator:bench-slim"
FLOW = '''
from prefect import flow


@flow(name="pool-latency")
def pool_latency() -> int:
    return 1
'''


class Api:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30)

    def __call__(self, method: str, path: str, body: dict | None = None):
        response = self.client.request(method, path, json=body)
        for _ in range(10):  # SQLite busy: the server answers 503 and the call is safe to repeat
            if response.status_code != 503:
                break
            time.sleep(0.5)
            response = self.client.request(method, path, json=body)
        if response.status_code >= 300:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()


def at(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()


def one_run(api: Api, deployment_id: str, timeout: float = 300) -> dict[str, float]:
    flow_run = api("POST", f"/deployments/{deployment_id}/create_flow_run", {})
    deadline = time.monotonic() + timeout
    while flow_run["state_type"] not in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
        if time.monotonic() > deadline:
            raise SystemExit(f"flow run {flow_run['id']} still {flow_run['state_type']} after {timeout} s")
        time.sleep(0.2)
        flow_run = api("GET", f"/flow_runs/{flow_run['id']}")
    if flow_run["state_type"] != "COMPLETED":
        raise SystemExit(f"flow run {flow_run['id']} ended {flow_run['state_type']}: {flow_run['state']['message']}")
    states = {s["type"]: at(s["timestamp"]) for s in api("GET", f"/flow_run_states/?flow_run_id={flow_run['id']}")}
    created = at(flow_run["created"])
    return {"pending": states["PENDING"] - created, "running": states["RUNNING"] - created,
            "completed": states["COMPLETED"] - created}


def prefect(env: dict[str, str], *argv: str, cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "prefect", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"prefect {' '.join(argv)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with Bench("pool-latency", max_parallel=None) as bench, podman_service(bench.home) as pod:
        env = {**bench.env, **pod, "PREFECT_API_URL": bench.server_url, "PREFECT_WORKER_QUERY_SECONDS": "1"}
        base = ensure_base_images(env, log=lambda line: print(f"[setup] {line}"))["debian"]
        started = time.perf_counter()
        build = subprocess.run(
            ["podman", "build", "--pull=never", "--file", str(ROOT / "docker" / "Dockerfile"),
             "--ignorefile", str(ROOT / "docker" / "Dockerfile.dockerignore"), "--target", "slim",
             *(a for arg in ("BASE", "GO_IMAGE", "RUST_IMAGE", "NODE_IMAGE") for a in ("--build-arg", f"{arg}={base}")),
             "--tag", IMAGE, str(ROOT)], env=env, capture_output=True, text=True, check=False)
        if build.returncode != 0:
            raise SystemExit("image build failed:\n" + build.stderr[-3000:])
        print(f"[setup] {IMAGE} built in {time.perf_counter() - started:.1f} s (cached layers reused)")

        project = bench.tmp / "flow"
        project.mkdir()
        project.chmod(0o777)
        (project / "latency.py").write_text(FLOW)
        prefect(env, "work-pool", "create", "voxguard-process", "--type", "process", cwd=bench.tmp)
        prefect(env, "work-pool", "create", "voxguard-docker", "--type", "docker", "--base-job-template",
                str(ROOT / "deploy" / "work-pools" / "docker.json"), cwd=bench.tmp)
        (project / "prefect.yaml").write_text(yaml.safe_dump({"name": "pool-latency", "deployments": [
            {"name": "process", "entrypoint": "latency.py:pool_latency", "work_pool": {"name": "voxguard-process"},
             "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": str(project)}}]},
            {"name": "docker", "entrypoint": "latency.py:pool_latency",
             "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": "/flow"}}],
             "work_pool": {"name": "voxguard-docker", "job_variables": {
                 "image": IMAGE, "image_pull_policy": "Never", "volumes": [f"{project}:/flow"]}}},
        ]}))
        # the pool's env default reads GITHUB_TOKEN from this block for every Docker run
        save = "from prefect.blocks.system import Secret; Secret(value='unused').save('voxguard-github-token')"
        if subprocess.run([sys.executable, "-c", save], env=env, capture_output=True, check=False).returncode:
            raise SystemExit("could not save the voxguard-github-token Secret block")
        prefect(env, "--no-prompt", "deploy", "--all", "--prefect-file", "prefect.yaml", cwd=project)
        api = Api(bench.server_url)
        deployments = {name: api("GET", f"/deployments/name/pool-latency/{name}")["id"]
                       for name in ("process", "docker")}
        workers = [subprocess.Popen([sys.executable, "-m", "prefect", "worker", "start", "--pool", f"voxguard-{kind}",
                                     "--type", kind], cwd=bench.tmp, env=env, start_new_session=True,
                                    stdout=(bench.logs / f"worker-{kind}.log").open("wb"), stderr=subprocess.STDOUT)
                   for kind in ("process", "docker")]
        try:
            for deployment in deployments.values():
                one_run(api, deployment)  # warm-up, untimed: the worker's first poll, page cache
            results: dict[str, list[dict[str, float]]] = {"process": [], "docker": []}
            load_before = loadavg()
            for _ in range(args.runs):
                for name, deployment in deployments.items():
                    bench.server_idle(window=0.5)
                    results[name].append(one_run(api, deployment))
                    print(f"  {name}: created -> Running {results[name][-1]['running']:.2f} s", flush=True)
            load_after = loadavg()
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, 9)
                    worker.wait()
        medians = {name: {phase: statistics.median(r[phase] for r in runs) for phase in runs[0]}
                   for name, runs in results.items()}
        print(f"median of {args.runs} runs per pool, seconds after the flow run was created "
              "(PREFECT_WORKER_QUERY_SECONDS=1):")
        for name, phases in medians.items():
            spread = [f"{r['running']:.2f}" for r in results[name]]
            print(f"  {name:<8} Pending {phases['pending']:6.2f} | Running {phases['running']:6.2f} | "
                  f"Completed {phases['completed']:6.2f}   (Running, each run: {', '.join(spread)})")
        startup = {name: m["running"] - m["pending"] for name, m in medians.items()}
        print(f"  start-up (Pending -> Running): process {startup['process']:.2f} s, docker {startup['docker']:.2f} s")
        ratio = medians["docker"]["running"] / medians["process"]["running"]
        print(f"RATIO docker/process, created -> Running = {ratio:.2f} "
              f"({json.dumps({k: round(v['running'], 2) for k, v in medians.items()})})")
        print(f"load average before {load_before}, after {load_after} (2 cores)")


if __name__ == "__main__":
    main()
