"""What a step pays for running in a container instead of as a process.

    python benchmarks/container_vs_process.py [--repeat 10]

For two steps, `true` (nothing but the start-up) and `go version` (a real toolchain binary), times the step run
directly as a process, with `podman run --rm IMAGE STEP` (Podman's CLI, as a developer would), and through the
Docker API on Podman's socket: create, start, wait and remove, as prefect-docker's worker drives a container.
Images: the local base images (`voxguard_ci.adapters.base_images`), busybox for `true`, golang for
`go version`. One untimed warm-up per way; then the median of --repeat runs. Prints each median, the
container/process ratio and the fixed cost per container.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import docker
from _bench import loadavg

from voxguard_ci.adapters import stack
from voxguard_ci.adapters.base_images import ensure_base_images


@contextmanager
def podman_service(home: Path) -> Iterator[dict[str, str]]:
    """The stack's Podman Docker API service under `home` (a fresh VOXGUARD_CI_HOME); yields CONTAINERS_CONF,
    CONTAINERS_REGISTRIES_CONF and DOCKER_HOST for commands and Docker API clients, and stops it at the end."""
    if shutil.which("podman") is None:
        raise SystemExit("podman is not installed; `bash .ci/setup` installs it")
    os.environ["VOXGUARD_CI_HOME"] = str(home)
    try:
        stack.up(["podman"])
        yield stack.podman_env()
    finally:
        stack.down(["podman"])


def median_seconds(run: Callable[[], None], repeat: int) -> float:
    run()  # warm-up: page cache, image layers, the service's first connection
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check(argv: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"FAILED ({proc.returncode}): {' '.join(argv)}\n{proc.stderr.decode(errors='replace')}")


def via_api(client: docker.DockerClient, image: str, argv: list[str]) -> None:
    container = client.containers.create(image, argv)
    try:
        container.start()
        status = container.wait()["StatusCode"]
        if status != 0:
            raise SystemExit(f"container {argv} exited {status}: {container.logs().decode(errors='replace')}")
    finally:
        container.remove(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="voxguard-bench-containers-") as tmp, podman_service(Path(tmp)) as pod:
        env = {**os.environ, **pod}
        images = ensure_base_images(env, log=lambda line: print(f"[setup] {line}"))
        steps = [("true", ["true"], images["busybox"]), ("go version", ["go", "version"], images["golang"])]
        client = docker.DockerClient(base_url=pod["DOCKER_HOST"], version="auto", timeout=120)
        load_before = loadavg()
        print(f"median of {args.repeat} runs each (after one warm-up), Podman {client.version()['Version']}, "
              f"runtime runc")
        for label, argv, image in steps:
            if shutil.which(argv[0]) is None:
                raise SystemExit(f"{argv[0]} is not on PATH")
            direct = median_seconds(lambda argv=argv: check(argv, env), args.repeat)
            cli = median_seconds(lambda argv=argv, image=image: check(["podman", "run", "--rm", image, *argv], env),
                                 args.repeat)
            api = median_seconds(lambda argv=argv, image=image: via_api(client, image, argv), args.repeat)
            print(f"{label:<11} process {direct * 1000:8.1f} ms | podman run --rm {cli * 1000:8.1f} ms "
                  f"(+{(cli - direct) * 1000:.0f} ms) | Docker API create/start/wait/rm {api * 1000:8.1f} ms "
                  f"(+{(api - direct) * 1000:.0f} ms)   [{image}]")
            print(f"RATIO {label}: podman run / process = {cli / direct:.1f}, Docker API / process = "
                  f"{api / direct:.1f}")
        client.close()
        print(f"load average before {load_before}, after {loadavg()} (2 cores)")


if __name__ == "__main__":
    main()
