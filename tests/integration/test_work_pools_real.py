"""The work pools for real, and rendered where no cluster exists.

Docker (for real): against the session's Prefect server, the voxguard-docker pool is created from
deploy/work-pools/docker.json, the orchestrator image is built from docker/Dockerfile (target slim, on the
local Debian base image) through Podman, and `prefect worker start --type docker` runs two deployments in
containers through the stack's Podman Docker API service: a probe flow reporting where it ran, and deployments.yaml's own
ci-pipeline-docker on a tiny repository mounted the way that deployment mounts the example.

Kubernetes (rendered): the voxguard-kubernetes base job template is rendered by prefect-kubernetes' own
KubernetesWorkerJobConfiguration (as its worker does for a flow run), checked field by field against the typed
models of the Kubernetes client the worker uses, and passed through `kubectl create --dry-run=client`.
kubectl maps every kind to a resource through the API server's discovery, even with --validate=false, so a
stand-in serves discovery only (the kinds below); its schema validation would need the server's OpenAPI
document, which is why validation is off and the typed-model check stands in for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
POOLS = ROOT / "deploy" / "work-pools"
BASE_IMAGE = "localhost/voxguard-base/debian:bookworm-slim"
# The pool pulls IfPossible: this tag is in no registry, so the worker falls back to the local build.
TEST_IMAGE = "127.0.0.1:5000/voxguard-ci/orchestrator:pool-test"
GITHUB_TOKEN = "ghp_pool-test-" + uuid.uuid4().hex
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed; `bash .ci/setup` installs it")
    return path


# --- Kubernetes: rendered by prefect-kubernetes, checked by the typed models and kubectl ---------------------

KINDS = {  # group/version -> (resource, kind, namespaced), as a Kubernetes 1.32 API server lists them
    "v1": [("namespaces", "Namespace", False), ("serviceaccounts", "ServiceAccount", True),
           ("secrets", "Secret", True), ("services", "Service", True), ("configmaps", "ConfigMap", True),
           ("persistentvolumeclaims", "PersistentVolumeClaim", True), ("pods", "Pod", True)],
    "batch/v1": [("jobs", "Job", True)],
    "apps/v1": [("deployments", "Deployment", True)],
    "rbac.authorization.k8s.io/v1": [("roles", "Role", True), ("rolebindings", "RoleBinding", True)],
}


def discovery_documents() -> dict[str, dict]:
    docs: dict[str, dict] = {"/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}}
    groups = []
    for group_version, kinds in KINDS.items():
        docs["/api/v1" if group_version == "v1" else f"/apis/{group_version}"] = {
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
            "resources": [{"name": name, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
                           "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}
                          for name, kind, namespaced in kinds]}
        if group_version != "v1":
            group, version = group_version.split("/")
            entry = {"groupVersion": group_version, "version": version}
            groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
    docs["/apis"] = {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    return docs


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory):
    """`kubectl create --dry-run=client --validate=false -o yaml -f FILE` against a discovery stand-in."""
    program = require("kubectl")
    docs = discovery_documents()

    class Discovery(BaseHTTPRequestHandler):
        def do_GET(self):
            doc = docs.get(self.path.split("?")[0])
            body = json.dumps(doc or {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                      "reason": "NotFound", "code": 404}).encode()
            self.send_response(200 if doc else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Discovery)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cache = tmp_path_factory.mktemp("kube-cache")
    home = tmp_path_factory.mktemp("kube-home")

    def dry_run(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [program, "create", "--dry-run=client", "--validate=false", "-o", "yaml", "-f", str(path),
             "--server", f"http://127.0.0.1:{server.server_port}", "--cache-dir", str(cache)],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "HOME": str(home), "KUBECONFIG": str(home / "none")})

    yield dry_run
    server.shutdown()
    server.server_close()


RENDER = """
import asyncio, json, sys, uuid
from prefect.client.schemas.objects import FlowRun
from prefect_kubernetes.worker import KubernetesWorkerJobConfiguration

template, values = json.load(sys.stdin)
config = asyncio.run(KubernetesWorkerJobConfiguration.from_template_and_values(template, values))
config.prepare_for_flow_run(FlowRun(id=uuid.uuid4(), name="sample-run", flow_id=uuid.uuid4()),
                            worker_name="sample-worker")
json.dump(config.job_manifest, sys.stdout)
"""


def render_job(env: dict[str, str], values: dict) -> dict:
    """The Job manifest prefect-kubernetes' worker would create for a flow run with these job variables."""
    template = json.loads((POOLS / "kubernetes.json").read_text())
    proc = subprocess.run([sys.executable, "-c", RENDER], input=json.dumps([template, values]), env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def unknown_fields(data, type_name: str, path: str = "") -> list[str]:
    """Paths in `data` that the Kubernetes client's typed model `type_name` has no field for, or whose value
    has the wrong type (the client the Kubernetes worker creates jobs with)."""
    from kubernetes_asyncio.client import models

    if type_name.startswith("list["):
        if not isinstance(data, list):
            return [f"{path}: expected a list"]
        return [e for i, item in enumerate(data) for e in unknown_fields(item, type_name[5:-1], f"{path}[{i}]")]
    if type_name.startswith("dict("):
        if not isinstance(data, dict):
            return [f"{path}: expected a mapping"]
        inner = type_name[type_name.index(",") + 1:-1].strip()
        return [e for key, value in data.items() for e in unknown_fields(value, inner, f"{path}.{key}")]
    primitives = {"str": str, "int": int, "bool": bool, "float": (int, float), "datetime": str}
    if type_name in primitives:
        ok = isinstance(data, primitives[type_name]) and not (type_name == "int" and isinstance(data, bool))
        return [] if ok else [f"{path}: expected {type_name}, got {data!r}"]
    if type_name == "object":
        return []
    model = getattr(models, type_name)
    if not isinstance(data, dict):
        return [f"{path}: expected a {type_name} mapping"]
    by_key = {key: attribute for attribute, key in model.attribute_map.items()}
    errors = []
    for key, value in data.items():
        if key not in by_key:
            errors.append(f"{path}.{key}")
        elif value is not None:
            errors += unknown_fields(value, model.openapi_types[by_key[key]], f"{path}.{key}")
    return errors


# prefect-kubernetes' worker refuses a job manifest without these two pod-spec keys (its base manifest has
# them there), although they are Job-spec fields: the API server drops them from a pod template with a warning.
PREFECT_REQUIRED_STRAYS = [".spec.template.spec.completions", ".spec.template.spec.parallelism"]


def test_kubernetes_job_renders_and_passes_kubectl_dry_run(prefect_env, kubectl, tmp_path):
    values = {"image": "registry.example:5000/voxguard-ci/orchestrator:1.4.0", "cpu_limit": "3",
              "memory_request": "3Gi", "env": {"VOXGUARD_CI_MAX_PARALLEL": "2"}}
    prefect_cli(prefect_env, "work-pool", "create", "voxguard-kubernetes", "--type", "kubernetes", "--overwrite",
                "--base-job-template", str(POOLS / "kubernetes.json"))  # the server accepts the template
    job = render_job(prefect_env, values)

    assert sorted(unknown_fields(job, "V1Job")) == PREFECT_REQUIRED_STRAYS
    manifest = tmp_path / "job.yaml"
    manifest.write_text(yaml.safe_dump(job, sort_keys=False))
    proc = kubectl(manifest)
    assert proc.returncode == 0, proc.stderr
    created = yaml.safe_load(proc.stdout)

    assert created["kind"] == "Job" and created["metadata"]["namespace"] == "voxguard-ci"
    assert created["metadata"]["generateName"] == "sample-run-"
    assert created["metadata"]["labels"]["app.kubernetes.io/part-of"] == "voxguard-ci"
    assert created["spec"]["backoffLimit"] == 0 and created["spec"]["ttlSecondsAfterFinished"] == 3600
    assert created["spec"]["activeDeadlineSeconds"] == 3600
    pod = created["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "voxguard-ci-runner" and pod["restartPolicy"] == "Never"
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 10001
    assert {v["name"]: v for v in pod["volumes"]} == {
        "data": {"name": "data", "emptyDir": {"sizeLimit": "20Gi"}},
        "workspace": {"name": "workspace", "persistentVolumeClaim": {"claimName": "voxguard-ci-workspace"}}}
    (container,) = pod["containers"]
    assert container["image"] == values["image"] and container["imagePullPolicy"] == "Always"
    assert container["resources"] == {"limits": {"cpu": "3", "memory": "4Gi"},
                                      "requests": {"cpu": "1", "memory": "3Gi"}}
    assert container["args"] == ["prefect", "flow-run", "execute"]
    env = {item["name"]: item for item in container["env"]}
    assert env["GITHUB_TOKEN"]["valueFrom"] == {"secretKeyRef": {"name": "voxguard-ci-secrets",
                                                                 "key": "github-token"}}
    assert env["VOXGUARD_CI_MAX_PARALLEL"]["value"] == "2"
    assert env["PREFECT_API_URL"]["value"] == prefect_env["PREFECT_API_URL"]
    assert "PREFECT__FLOW_RUN_ID" in env
    assert {m["mountPath"] for m in container["volumeMounts"]} == {"/var/lib/voxguard-ci", "/workspace"}


def test_kubectl_dry_run_rejects_what_a_cluster_would(kubectl, tmp_path):
    """The stand-in knows kinds, not everything: a kind no API server serves must fail."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: batch/v1\nkind: Jobs\nmetadata: {name: x}\nspec: {}\n")
    proc = kubectl(bad)
    assert proc.returncode != 0 and 'no matches for kind "Jobs"' in proc.stderr
    assert unknown_fields({"spec": {"template": {"spec": {"serviceAcountName": "typo"}}}}, "V1Job") == [
        ".spec.template.spec.serviceAcountName"]
    assert unknown_fields({"spec": {"backoffLimit": "0"}}, "V1Job") == [".spec.backoffLimit: expected int, got '0'"]


def manifest_files() -> list[Path]:
    files = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
    files += sorted((ROOT / "examples" / "voxguard" / "deployment" / "k8s").glob("*.yaml"))
    return files


def test_cluster_manifests_pass_kubectl_dry_run(kubectl):
    files = manifest_files()
    assert ROOT / "deploy" / "kubernetes" / "voxguard-ci.yaml" in files and len(files) >= 4
    model = {"Namespace": "V1Namespace", "ServiceAccount": "V1ServiceAccount", "Role": "V1Role",
             "RoleBinding": "V1RoleBinding", "PersistentVolumeClaim": "V1PersistentVolumeClaim",
             "Deployment": "V1Deployment"}
    kinds = set()
    for path in files:
        proc = kubectl(path)
        assert proc.returncode == 0, f"{path}: {proc.stderr}"
        for doc in yaml.safe_load_all(proc.stdout):
            kinds.add(doc["kind"])
            assert unknown_fields(doc, model[doc["kind"]]) == [], f"{path}: {doc['kind']}"
    assert kinds == set(model)
    worker = next(d for d in yaml.safe_load_all((ROOT / "deploy/kubernetes/voxguard-ci.yaml").read_text())
                  if d["kind"] == "Deployment")
    args = worker["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[:6] == ["prefect", "worker", "start", "--pool", "voxguard-kubernetes", "--type"]


# --- Docker: a real worker, real containers -------------------------------------------------------------------

@pytest.fixture(scope="module")
def podman(prefect_env) -> dict[str, str]:
    """The stack's Podman Docker API service in the session's VOXGUARD_CI_HOME (prefect_env's teardown stops it
    with the rest of the stack); returns CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF and DOCKER_HOST."""
    require("podman")
    from voxguard_ci.adapters import stack

    (part,) = stack.up(["podman"])
    assert part.running, part
    return stack.podman_env()


def podman_cmd(env: dict[str, str], *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["podman", *argv], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def orchestrator_image(podman) -> str:
    """docker/Dockerfile, target slim, FROM the local Debian base image; layers cached between runs."""
    if podman_cmd(podman, "image", "exists", BASE_IMAGE).returncode != 0:
        from voxguard_ci.adapters.base_images import ensure_base_images

        ensure_base_images({**os.environ, **podman})
    build = podman_cmd(podman, "build", "--pull=never", "--file", str(ROOT / "docker" / "Dockerfile"),
                       "--ignorefile", str(ROOT / "docker" / "Dockerfile.dockerignore"),
                       "--target", "slim", "--build-arg", f"BASE={BASE_IMAGE}",
                       *(arg for image in ("GO_IMAGE", "RUST_IMAGE", "NODE_IMAGE")
                         for arg in ("--build-arg", f"{image}={BASE_IMAGE}")),  # stages the slim build skips
                       "--tag", TEST_IMAGE, str(ROOT), timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return TEST_IMAGE


def prefect_cli(env: dict[str, str], *argv: str, cwd: Path = ROOT, timeout: float = 120) -> str:
    proc = subprocess.run([sys.executable, "-m", "prefect", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"prefect {' '.join(argv)}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def api(env: dict[str, str], method: str, path: str, body: dict | None = None):
    response = httpx.request(method, env["PREFECT_API_URL"] + path, json=body, timeout=30)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


PROBE = '''
"""Reports where it runs: its interpreter, its PID namespace's init, user, working directory and token."""
import hashlib
import json
import os
import sys
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run


@flow(name="container-probe")
def container_probe() -> dict:
    seen = {"python": sys.executable, "pid1": Path("/proc/1/cmdline").read_bytes().decode().split("\\0"),
            "uid": os.getuid(), "cwd": os.getcwd(),
            "token_sha256": hashlib.sha256(os.environ.get("GITHUB_TOKEN", "").encode()).hexdigest(),
            "voxguard_ci_home": os.environ.get("VOXGUARD_CI_HOME")}
    Path(f"/probe/seen-{flow_run.id}.json").write_text(json.dumps(seen))
    return seen
'''

TINY_CONFIG = """\
version: 1
services:
  - name: tiny
    language: python
    paths: ["tiny/**"]
    toolchain: [python3, --version]
    build: {commands: [[python3, -m, py_compile, tiny/app.py]]}
    test:
      commands: [[python3, tiny/check.py, reports/tiny]]
      outputs: [reports/tiny/junit.xml, reports/tiny/coverage.xml]
      report: {format: junit, path: reports/tiny/junit.xml}
    lint:
      commands: [[python3, -m, py_compile, tiny/check.py]]
      reports: [{format: exit-code}]
    coverage: {format: cobertura, path: reports/tiny/coverage.xml, minimum: 80}
"""

TINY_CHECK = """\
import pathlib
import sys

sys.path.insert(0, "tiny")
import app  # noqa: E402

assert app.double(2) == 4
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "junit.xml").write_text('<testsuite name="tiny" tests="1" failures="0" errors="0" skipped="0">'
                               '<testcase classname="tiny" name="test_double"/></testsuite>')
(out / "coverage.xml").write_text(
    '<coverage line-rate="1" lines-covered="2" lines-valid="2" version="7"><packages><package name="tiny">'
    '<classes><class name="app.py" filename="tiny/app.py" line-rate="1"><lines>'
    '<line number="1" hits="1"/><line number="2" hits="1"/></lines></class></classes></package></packages>'
    '</coverage>')
"""


def world_writable(root: Path) -> None:
    """The image runs as uid 10001; bind-mounted test directories are root's."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)


@pytest.fixture
def docker_worker(prefect_env, podman, orchestrator_image, tmp_path):
    """The voxguard-docker pool from deploy/work-pools/docker.json, its GITHUB_TOKEN secret block, and a
    `prefect worker start --type docker` whose working directory holds `examples/voxguard` (a tiny repo)."""
    env = {**prefect_env, **podman, "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "5"}
    prefect_cli(env, "work-pool", "create", "voxguard-docker", "--type", "docker", "--overwrite",
                "--base-job-template", str(POOLS / "docker.json"))
    pool = api(env, "GET", "/work_pools/voxguard-docker")
    assert pool["type"] == "docker"
    assert pool["base_job_template"] == json.loads((POOLS / "docker.json").read_text())
    save = ("import sys; from prefect.blocks.system import Secret; "
            "Secret(value=sys.argv[1]).save('voxguard-github-token', overwrite=True)")
    saved = subprocess.run([sys.executable, "-c", save, GITHUB_TOKEN], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert saved.returncode == 0, saved.stderr

    workdir = tmp_path / "worker"
    tiny = workdir / "examples" / "voxguard"
    (tiny / "tiny").mkdir(parents=True)
    (tiny / "voxguard-ci.yaml").write_text(TINY_CONFIG)
    (tiny / "tiny" / "app.py").write_text("def double(x):\n    return 2 * x\n")
    (tiny / "tiny" / "check.py").write_text(TINY_CHECK)
    world_writable(workdir)
    volume = f"voxguard-ci-pool-test-{uuid.uuid4().hex[:8]}"
    # ci-pipeline-docker mounts the pool's shared data volume; remove it afterwards only if this test made it
    shared_volume_existed = podman_cmd(podman, "volume", "exists", "voxguard-ci-data").returncode == 0
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "prefect", "worker", "start", "--pool", "voxguard-docker", "--type", "docker",
         "--name", "pool-test-worker"], cwd=workdir, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        yield {"env": env, "workdir": workdir, "tiny": tiny, "volume": volume, "log": log}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait()
        leftovers = podman_cmd(podman, "ps", "-a", "--filter", "label=io.voxguard.ci/role=job", "--format",
                               "{{.ID}}")
        for container in leftovers.stdout.split():
            podman_cmd(podman, "rm", "--force", container)
        podman_cmd(podman, "volume", "rm", "--force", volume)
        if not shared_volume_existed:
            podman_cmd(podman, "volume", "rm", "--force", "voxguard-ci-data")


def run_and_wait(env: dict[str, str], deployment: str, log: Path, job_variables: dict | None = None,
                 timeout: float = 300) -> dict:
    flow_name, name = deployment.split("/")
    found = api(env, "GET", f"/deployments/name/{flow_name}/{name}")
    flow_run = api(env, "POST", f"/deployments/{found['id']}/create_flow_run", {"job_variables": job_variables or {}})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        flow_run = api(env, "GET", f"/flow_runs/{flow_run['id']}")
        if flow_run["state_type"] in FINAL:
            return flow_run
        time.sleep(1)
    pytest.fail(f"{deployment}: flow run still {flow_run['state_type']} after {timeout} s; worker log:\n"
                + log.read_text(errors="replace")[-4000:])


def flow_run_logs(env: dict[str, str], flow_run_id: str) -> str:
    logs = api(env, "POST", "/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200})
    return "\n".join(entry["message"] for entry in logs)


def test_docker_worker_runs_deployments_in_containers(docker_worker, podman, tmp_path):
    env, log = docker_worker["env"], docker_worker["log"]
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "probe.py").write_text(PROBE)
    (probe / "prefect.yaml").write_text(yaml.safe_dump({
        "name": "pool-test", "prefect-version": "3.9.1",
        "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": "/probe"}}],
        "deployments": [{"name": "probe-docker", "entrypoint": "probe.py:container_probe",
                         "work_pool": {"name": "voxguard-docker", "job_variables": {
                             "image": TEST_IMAGE,
                             "volumes": [f"{probe}:/probe", f"{docker_worker['volume']}:/var/lib/voxguard-ci"]}}}],
    }))
    world_writable(probe)
    prefect_cli(env, "--no-prompt", "deploy", "--all", "--prefect-file", "prefect.yaml", cwd=probe)
    # deployments.yaml's own Docker deployment, deployed from the repository root as deploy/README.md says
    prefect_cli(env, "--no-prompt", "deploy", "--prefect-file", "deployments.yaml", "--name", "ci-pipeline-docker")
    deployed = api(env, "GET", "/deployments/name/ci-pipeline/ci-pipeline-docker")
    assert deployed["work_pool_name"] == "voxguard-docker"
    assert deployed["pull_steps"] == [{"prefect.deployments.steps.set_working_directory": {
        "directory": "/opt/voxguard-ci/src"}}]

    run = run_and_wait(env, "container-probe/probe-docker", log)
    assert run["state_type"] == "COMPLETED", flow_run_logs(env, run["id"]) + log.read_text()[-4000:]
    seen = json.loads((probe / f"seen-{run['id']}.json").read_text())
    # host networking shares the host's hostname, so the proof it ran in the image is the image's interpreter
    # and a PID namespace of its own, whose init is the flow-run command the worker gave the container
    assert seen["python"] == "/opt/voxguard-ci/venv/bin/python" and not Path(seen["python"]).exists()
    assert seen["pid1"][:4] == ["/opt/voxguard-ci/venv/bin/python", "/opt/voxguard-ci/venv/bin/prefect",
                                "flow-run", "execute"], seen["pid1"]
    assert seen["uid"] == 10001 and seen["cwd"] == "/probe"
    assert seen["token_sha256"] == hashlib.sha256(GITHUB_TOKEN.encode()).hexdigest()  # the secret block
    assert seen["voxguard_ci_home"] == "/var/lib/voxguard-ci"
    # the pool's default is auto_remove: the job's container goes once its process exits (the run is Completed
    # a moment before that)
    container_id = run["infrastructure_pid"].rsplit(":", 1)[1]
    deadline = time.monotonic() + 30
    while podman_cmd(podman, "container", "exists", container_id).returncode == 0:
        assert time.monotonic() < deadline, f"container {container_id} still there 30 s after its run completed"
        time.sleep(0.5)

    # the pool's default image is the registry's latest; this run overrides it with the image just built
    run = run_and_wait(env, "ci-pipeline/ci-pipeline-docker", log, {"image": TEST_IMAGE})
    assert run["state_type"] == "COMPLETED", flow_run_logs(env, run["id"]) + log.read_text()[-4000:]
    summary = docker_worker["tiny"] / ".voxguard-ci" / "runs" / run["id"] / "summary.md"
    assert summary.is_file(), sorted(p.name for p in docker_worker["tiny"].rglob("*"))
    gates = json.loads((summary.parent / "gates.json").read_text())
    assert {gate["gate"]: gate["verdict"] for gate in gates}["tests"] == "pass"
    assert (docker_worker["tiny"] / "reports" / "tiny" / "junit.xml").is_file()
