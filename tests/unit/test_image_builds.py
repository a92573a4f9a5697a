"""The image step's pure parts: tags, base images, cache keys, and what a run records."""

import pytest
from plan_support import make_config, payload

from voxguard_ci.core.config import DockerSpec, Service, parse_config
from voxguard_ci.core.events import from_github
from voxguard_ci.core.images import ImageRecord, base_images, ignore_files, image_build, image_tags
from voxguard_ci.core.plan import make_plan
from voxguard_ci.core.steps import PipelineResult
from voxguard_ci.core.summary import image_rows, markdown_summary, terminal_summary
from voxguard_ci.errors import ConfigError

COMMIT = "9ab3da01f9168163a8bd3c411397fc78ba822af6"
DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG RUST_IMAGE=rust:1.95-bookworm
ARG RUNTIME
FROM ${RUST_IMAGE} AS build
RUN cargo build --release
FROM build AS test
FROM --platform=linux/amd64 $RUNTIME AS runtime
FROM scratch
COPY --from=build /app /app
"""


def service(**docker) -> Service:
    return Service(name="detection-engine", language="rust", paths=["services/detection-engine/**"],
                   toolchain=["cargo", "--version"],
                   docker=DockerSpec(context=".", dockerfile="services/detection-engine/Dockerfile", **docker))


def build(svc: Service | None = None, **overrides):
    fields = {"project": "voxguard", "repo": "/src", "registry": "127.0.0.1:5000", "commit": COMMIT, "push": True,
              "moves_latest": True, "file_digests": {"services/detection-engine/src/main.rs": "a" * 64},
              "engine": "Podman Engine 4.3.1 API 1.41"}
    return image_build(svc or service(), **{**fields, **overrides})


def test_tags_are_the_commit_and_latest_only_where_latest_moves():
    assert image_tags(COMMIT, moves_latest=True) == [f"sha-{COMMIT}", "latest"]
    assert image_tags(COMMIT, moves_latest=False) == [f"sha-{COMMIT}"]
    assert image_tags(None, moves_latest=False) == ["latest"]  # no commit (not a git checkout): one tag


def test_base_images_substitute_args_and_skip_stages_and_scratch():
    assert base_images(DOCKERFILE, {}) == ["rust:1.95-bookworm"]
    local = {"RUST_IMAGE": "localhost/voxguard-base/rust:1.95", "RUNTIME": "localhost/voxguard-base/debian:slim"}
    assert base_images(DOCKERFILE, local) == ["localhost/voxguard-base/rust:1.95", "localhost/voxguard-base/debian:slim"]


def test_the_key_leaves_the_commit_out_but_not_what_the_image_is_made_of():
    first = build()
    assert first.image == "127.0.0.1:5000/voxguard/detection-engine"
    assert first.tags == [f"sha-{COMMIT}", "latest"]
    assert build(commit="f" * 40, moves_latest=False).cache_key == first.cache_key
    changed = [
        build(file_digests={"services/detection-engine/src/main.rs": "b" * 64}),
        build(engine="Podman Engine 4.3.1 API 1.41 localhost/voxguard-base/rust:1.95=sha256:1"),
        build(service(build_args={"RUST_IMAGE": "rust:1.96-bookworm"})),
        build(service(target="test")),
        build(push=False),
        build(registry="registry.example.com"),
    ]
    assert len({first.cache_key, *(b.cache_key for b in changed)}) == len(changed) + 1


def test_a_repository_can_be_named_and_is_lowercased_by_default():
    assert build(project="VoxGuard").repository == "voxguard/detection-engine"
    assert build(service(repository="team/engine")).image == "127.0.0.1:5000/team/engine"


def test_a_push_delivery_plans_its_commit_and_a_local_run_has_none():
    delivery = payload("push_with-new-branch.payload.json")
    plan = make_plan(make_config(), from_github("push", delivery), None)
    assert plan.commit == delivery["after"] and len(plan.commit) == 40


def test_a_run_records_its_images_in_the_summaries():
    record = ImageRecord(service="web", image="127.0.0.1:5000/voxguard/web", tags=[f"sha-{COMMIT}", "latest"],
                         image_id="sha256:" + "1" * 64, digest="sha256:" + "2" * 64, pushed=True)
    unpushed = ImageRecord(service="api", image="127.0.0.1:5000/voxguard/api", tags=["latest"],
                           image_id="sha256:" + "3" * 64)
    result = PipelineResult(state="passed", services=["web", "api"], stages={}, gates=[], images=[record, unpushed])
    rows = image_rows(result.images)
    assert rows[0]["digest"] == record.digest and rows[0]["pushed"] == "yes"
    assert rows[1]["digest"] == "" and rows[1]["pushed"] == "no"
    assert f"| web | 127.0.0.1:5000/voxguard/web | sha-{COMMIT}, latest | {record.digest} |" in \
        markdown_summary(result, [])
    text = terminal_summary(result)
    assert f"127.0.0.1:5000/voxguard/web@{record.digest}  pushed sha-{COMMIT}, latest" in text
    assert f"{unpushed.image_id}  not pushed" in text


def test_registry_and_repository_names_are_checked_when_the_config_loads():
    base = "services:\n  - {name: a, language: go, paths: ['a/**'], toolchain: [go, version]%s}\n"
    with pytest.raises(ConfigError, match=r"images.registry: expected a registry as host:port .* got 'no such'"):
        parse_config(base % "" + "images: {registry: 'no such'}\n")
    with pytest.raises(ConfigError, match=r"services\[0\].docker.repository: expected a repository .* 'Team/Web'"):
        parse_config(base % ", docker: {context: ., repository: 'Team/Web'}")
    assert parse_config(base % "" + "images: {registry: 'ghcr.io'}\n").images.registry == "ghcr.io"


def test_ignore_files_are_repository_paths_in_the_order_builders_read_them():
    assert ignore_files(".", "services/api/Dockerfile") == ["services/api/Dockerfile.dockerignore", ".dockerignore"]
    assert ignore_files("hello/", "hello/Dockerfile") == ["hello/Dockerfile.dockerignore", "hello/.dockerignore"]
