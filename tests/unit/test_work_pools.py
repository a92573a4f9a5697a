"""The work-pool files agree with each other: deployments.yaml, the base job templates, the image and the
compose stack (what runs for real is in tests/integration/test_work_pools_real.py)."""

from __future__ import annotations

import ast
import fnmatch
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
POOLS = ROOT / "deploy" / "work-pools"
DOCKERFILE = (ROOT / "docker" / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
IN_IMAGE = "/opt/voxguard-ci/src"
PLACEHOLDER = re.compile(r"{{\s*([\w.\-$]+)\s*}}")


def deployments() -> list[dict]:
    return yaml.safe_load((ROOT / "deployments.yaml").read_text())["deployments"]


def template(kind: str) -> dict:
    return json.loads((POOLS / f"{kind}.json").read_text())


def placeholders(value) -> set[str]:
    if isinstance(value, dict):
        return {name for item in value.values() for name in placeholders(item)}
    if isinstance(value, list):
        return {name for item in value for name in placeholders(item)}
    return set(PLACEHOLDER.findall(value)) if isinstance(value, str) else set()


# --- deployments.yaml -----------------------------------------------------------------------------------------

def test_every_flow_is_offered_on_the_three_pools():
    by_name = {d["name"]: d for d in deployments()}
    process = [d for d in deployments() if d["work_pool"]["name"] == "voxguard-process"]
    assert process
    for base in process:
        docker, kubernetes = by_name[base["name"] + "-docker"], by_name[base["name"] + "-kubernetes"]
        assert docker["work_pool"]["name"] == "voxguard-docker"
        assert kubernetes["work_pool"]["name"] == "voxguard-kubernetes"
        for variant in (docker, kubernetes):
            assert variant["entrypoint"] == base["entrypoint"]
            assert variant["description"] == base["description"]
            assert set(base["tags"]) < set(variant["tags"])
    assert {d["work_pool"]["name"] for d in deployments()} == {"voxguard-process", "voxguard-docker",
                                                                "voxguard-kubernetes"}


def test_entrypoints_exist_and_take_the_parameters_given():
    for deployment in deployments():
        path, function = deployment["entrypoint"].split(":")
        tree = ast.parse((ROOT / path).read_text())
        (found,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == function]
        accepted = {arg.arg for arg in found.args.args + found.args.kwonlyargs}
        assert set(deployment.get("parameters", {})) <= accepted, deployment["name"]


def test_container_deployments_build_no_images():
    """A job container has no container engine (deploy/README.md: how to give the Docker one the host's)."""
    for deployment in deployments():
        expected = deployment["work_pool"]["name"] == "voxguard-process"
        assert deployment["parameters"].get("build_images", True) is expected, deployment["name"]


def test_containers_start_in_the_image_checkout_that_holds_the_entrypoints():
    assert f"VOXGUARD_CI_CHECKOUT={IN_IMAGE}" in DOCKERFILE and f"WORKDIR {IN_IMAGE}" in DOCKERFILE
    copied = set(re.findall(r"^COPY (\S+) \./\1$", DOCKERFILE, re.MULTILINE))
    for deployment in deployments():
        if deployment["work_pool"]["name"] == "voxguard-process":
            continue
        assert deployment["pull"] == [{"prefect.deployments.steps.set_working_directory": {"directory": IN_IMAGE}}]
        assert deployment["entrypoint"].split("/")[0] in copied
        assert deployment["parameters"]["repo"].startswith("/workspace/")


def test_job_variables_match_the_pool_templates():
    for deployment in deployments():
        pool = deployment["work_pool"]
        if pool["name"] == "voxguard-process":
            assert not pool.get("job_variables")
            continue
        variables = template(pool["name"].removeprefix("voxguard-"))["variables"]
        assert set(pool["job_variables"]) <= set(variables["properties"])
        jsonschema.validate(pool["job_variables"], variables)


def test_a_job_variable_of_the_wrong_type_is_caught():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"volumes": "a:b"}, template("docker")["variables"])


def test_docker_deployment_keeps_the_pools_data_volume():
    default = template("docker")["variables"]["properties"]["volumes"]["default"]
    docker = next(d for d in deployments() if d["work_pool"]["name"] == "voxguard-docker")
    assert set(default) <= set(docker["work_pool"]["job_variables"]["volumes"])


# --- base job templates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["docker", "kubernetes"])
def test_template_placeholders_are_declared_variables(kind):
    """What the server checks on `work-pool create`: every placeholder in job_configuration is a variable."""
    data = template(kind)
    used = placeholders(data["job_configuration"])
    assert used and used <= set(data["variables"]["properties"])


def test_docker_template_defaults():
    variables = template("docker")["variables"]["properties"]
    assert variables["image"]["default"] == "127.0.0.1:5000/voxguard-ci/orchestrator:latest"
    assert variables["network_mode"]["default"] == "host"
    assert variables["image_pull_policy"]["default"] == "IfPossible"
    assert variables["auto_remove"]["default"] is True
    assert variables["volumes"]["default"] == ["voxguard-ci-data:/var/lib/voxguard-ci"]
    # a block reference, resolved by the worker for each run (the server refuses one in job_configuration)
    assert variables["env"]["default"] == {"GITHUB_TOKEN": "{{ prefect.blocks.secret.voxguard-github-token }}"}


def test_kubernetes_template_defaults():
    data = template("kubernetes")
    variables = {name: spec.get("default") for name, spec in data["variables"]["properties"].items()}
    assert variables["namespace"] == "voxguard-ci"
    assert variables["service_account_name"] == "voxguard-ci-runner"
    assert variables["image"] == "127.0.0.1:5000/voxguard-ci/orchestrator:latest"
    assert {k: variables[k] for k in ("cpu_request", "cpu_limit", "memory_request", "memory_limit")} == {
        "cpu_request": "1", "cpu_limit": "2", "memory_request": "2Gi", "memory_limit": "4Gi"}
    assert variables["finished_job_ttl"] == 3600 and variables["backoff_limit"] == 0
    pod = data["job_configuration"]["job_manifest"]["spec"]["template"]["spec"]
    user = int(re.search(r"^USER (\d+):", DOCKERFILE, re.MULTILINE).group(1))
    assert pod["securityContext"]["runAsUser"] == user
    (container,) = pod["containers"]
    assert {"name": "GITHUB_TOKEN", "valueFrom": {"secretKeyRef": {"name": "voxguard-ci-secrets",
                                                                    "key": "github-token"}}} in container["env"]


# --- the image ------------------------------------------------------------------------------------------------

def test_dockerfile_defaults_to_public_images_and_has_a_slim_and_a_full_target():
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE, re.MULTILINE))
    assert args["BASE"] == "python:3.11-slim-bookworm"
    assert not any(value.startswith("localhost/") for value in args.values())
    stages = re.findall(r"^FROM (\S+) AS (\S+)$", DOCKERFILE, re.MULTILINE)
    assert stages[-1] == ("toolchains", "full")  # the default target
    assert ("python", "slim") in stages and ("python", "toolchains") in stages
    assert "COPY --from=slim /opt/voxguard-ci/src /opt/voxguard-ci/src" in DOCKERFILE
    assert "ENTRYPOINT" not in DOCKERFILE.replace("No ENTRYPOINT", "")  # workers pass the whole command


def test_dockerignore_lets_in_what_the_dockerfile_copies():
    rules = [line for line in (ROOT / "docker" / "Dockerfile.dockerignore").read_text().splitlines()
             if line and not line.startswith("#")]

    def included(path: str) -> bool:
        keep = True
        for rule in rules:
            negated = rule.startswith("!")
            pattern = rule.lstrip("!")
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.removesuffix("/**") + "/*"):
                keep = negated
        return keep

    sources = [s for line in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.MULTILINE)
               for s in line.split()]
    assert {"pyproject.toml", "src", "flows"} <= set(sources)
    for source in sources:
        files = [source] if (ROOT / source).is_file() else [
            str(p.relative_to(ROOT)) for p in (ROOT / source).rglob("*.py") if "__pycache__" not in p.parts]
        assert files and all(included(f) for f in files), source
    assert not included("examples/voxguard/voxguard-ci.yaml") and not included(".git/HEAD")


# --- the compose stack ----------------------------------------------------------------------------------------

SERVICES = COMPOSE["services"]


def test_compose_has_the_stack():
    assert {"postgres", "prefect-server", "process-worker", "docker-worker", "webhook", "prometheus",
            "alertmanager", "registry", "work-pools"} == set(SERVICES)
    server = SERVICES["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert server.startswith("postgresql+asyncpg://") and "@postgres:5432/" in server
    for name in ("prefect-server", "process-worker", "docker-worker", "webhook", "work-pools"):
        assert SERVICES[name]["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
    assert SERVICES["process-worker"]["command"][3:7] == ["--pool", "voxguard-process", "--type", "process"]
    assert SERVICES["docker-worker"]["command"][3:7] == ["--pool", "voxguard-docker", "--type", "docker"]


def test_compose_dependencies_wait_for_health_they_can_see():
    for name, service in SERVICES.items():
        for target, condition in (service.get("depends_on") or {}).items():
            assert target in SERVICES, (name, target)
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[target], (name, target)
            else:
                assert condition["condition"] == "service_completed_successfully"
                assert SERVICES[target]["restart"] == "no", (name, target)
    long_running = [n for n, s in SERVICES.items() if s.get("restart") != "no" and not s.get("profiles")]
    assert all("healthcheck" in SERVICES[n] for n in long_running)
    assert SERVICES["prefect-server"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for worker in ("process-worker", "docker-worker"):
        assert SERVICES[worker]["depends_on"]["work-pools"]["condition"] == "service_completed_successfully"


def test_worker_healthchecks_probe_the_port_the_worker_serves():
    for name in ("process-worker", "docker-worker"):
        service = SERVICES[name]
        assert "--with-healthcheck" in service["command"]
        port = service["environment"]["PREFECT_WORKER_WEBSERVER_PORT"]
        assert f"127.0.0.1:{port}/health" in " ".join(service["healthcheck"]["test"]), name


@pytest.mark.parametrize("name", ["process-worker", "docker-worker"])
def test_workers_share_the_network_and_engine_their_runs_use(name):
    worker = SERVICES[name]
    assert worker["network_mode"] == template("docker")["variables"]["properties"]["network_mode"]["default"]
    assert worker["environment"]["PREFECT_API_URL"].startswith("http://127.0.0.1:4200/")
    assert "127.0.0.1:4200:4200" in SERVICES["prefect-server"]["ports"]
    assert worker["environment"]["VOXGUARD_CI_REGISTRY"] == "127.0.0.1:5000"
    assert "127.0.0.1:5000:5000" in SERVICES["registry"]["ports"]
    assert "/var/run/docker.sock:/var/run/docker.sock" in worker["volumes"]
    assert worker["environment"]["DOCKER_HOST"] == "unix:///var/run/docker.sock"
    # the checkout at its own host path, and the worker in it: relative bind sources are host paths
    assert worker["working_dir"].startswith("${VOXGUARD_CI_REPO")
    assert "${VOXGUARD_CI_REPO}:${VOXGUARD_CI_REPO}" in worker["volumes"]


def test_process_worker_runs_in_the_checkout():
    assert SERVICES["process-worker"]["environment"]["VOXGUARD_CI_CHECKOUT"] == "${VOXGUARD_CI_REPO}"


def test_compose_files_and_volumes_exist():
    named = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / "docker" / source).exists(), (name, source)
            elif not source.startswith(("/", "$")):
                assert source in named, (name, source)
    data = template("docker")["variables"]["properties"]["volumes"]["default"][0].split(":")[0]
    assert COMPOSE["volumes"][data] == {"name": data}  # the jobs' volume, not a project-prefixed copy
    pools = next(v for v in SERVICES["work-pools"]["volumes"] if "work-pools" in v).split(":")[1]
    assert f"{pools}/docker.json" in " ".join(SERVICES["work-pools"]["command"])


def test_webhook_is_a_marked_placeholder_behind_a_profile():
    assert SERVICES["webhook"]["profiles"] == ["webhook"]
    text = (ROOT / "docker" / "compose.yaml").read_text()
    assert "PLACEHOLDER: `voxguard-ci serve` (the design's receiver command) does not exist yet" in text


def test_monitoring_configs_point_at_compose_services():
    prometheus = yaml.safe_load((ROOT / "docker" / "prometheus.yml").read_text())
    targets = [t for job in prometheus["scrape_configs"] for c in job["static_configs"] for t in c["targets"]]
    targets += prometheus["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    for target in targets:
        host = target.split(":")[0]
        assert host == "127.0.0.1" or host in SERVICES, target
    mounted = {v.split(":")[1] for v in SERVICES["prometheus"]["volumes"]}
    assert set(prometheus["rule_files"]) <= mounted
    rules = yaml.safe_load((ROOT / "docker" / "alert-rules.yml").read_text())
    assert all(rule["expr"] and rule["for"] for group in rules["groups"] for rule in group["rules"])
    alertmanager = yaml.safe_load((ROOT / "docker" / "alertmanager.yml").read_text())
    receivers = {r["name"]: r for r in alertmanager["receivers"]}
    url = receivers[alertmanager["route"]["receiver"]]["webhook_configs"][0]["url"]
    assert url.split("/")[2].split(":")[0] in SERVICES
