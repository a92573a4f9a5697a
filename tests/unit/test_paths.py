"""Path filters with GitHub's semantics: patterns match the whole path from the repository root."""

import pytest
from plan_support import SERVICES, make_config

from voxguard_ci.core.paths import affected_services, is_docs_only, matches, normalize

CONFIG = make_config()


@pytest.mark.parametrize(("files", "services"), [
    (["Cargo.lock"], ["detection-engine"]),
    (["Cargo.toml"], ["detection-engine"]),
    (["go.sum"], ["management-api"]),
    (["go.mod", "Cargo.lock"], ["detection-engine", "management-api"]),
    (["requirements.txt"], ["processing-service"]),
    (["requirements-dev.txt"], ["processing-service"]),
    (["pnpm-lock.yaml"], ["web"]),
    (["services/detection-engine/src/lib.rs"], ["detection-engine"]),
    (["packages/web/src/App.spec.tsx"], ["web"]),
    (["packages/web/src/deep/nested/App.tsx", "services/management-api/main.go"], ["management-api", "web"]),
])
def test_files_select_their_services_in_config_order(files, services):
    assert affected_services(CONFIG, files) == services


@pytest.mark.parametrize("path", [
    "vendor/crate/Cargo.lock",  # a lockfile pattern names the root file only
    "vendor/requirements.txt",
    "services/processing-service-old/main.py",
    "packages/website/index.ts",
    "deployment/helm/voxguard/values.yaml",
])
def test_files_outside_every_service_select_none(path):
    assert affected_services(CONFIG, [path]) == []


def test_a_shared_file_selects_every_service():
    assert affected_services(CONFIG, ["voxguard-ci.yaml"]) == SERVICES
    config = make_config("triggers:\n  shared_paths: ['rust-toolchain.toml', 'ci/**']\n")
    assert affected_services(config, ["ci/common.sh"]) == SERVICES
    assert affected_services(config, ["services/ci/x"]) == []


def test_docs_inside_a_service_select_no_service():
    assert affected_services(CONFIG, ["services/detection-engine/README.md"]) == []
    assert affected_services(CONFIG, ["services/detection-engine/README.md", "go.mod"]) == ["management-api"]


@pytest.mark.parametrize(("files", "docs_only"), [
    (["README.md"], True),
    (["docs/guide/setup.rst", "services/web/CHANGELOG.md", "LICENSE"], True),
    ([".github/ISSUE_TEMPLATE/bug.yml"], True),
    (["README.md", "Cargo.lock"], False),
    (["docs.txt"], False),
    (["LICENSE-3rdparty/x.txt"], False),
    ([], False),
])
def test_docs_only(files, docs_only):
    assert is_docs_only(CONFIG, files) is docs_only


@pytest.mark.parametrize(("glob", "path", "expected"), [
    ("*.md", "README.md", True),
    ("*.md", "docs/README.md", False),
    ("**.md", "docs/a/README.md", True),
    ("**/*.md", "README.md", True),
    ("docs/*", "docs/a.md", True),
    ("docs/*", "docs/a/b.md", False),
    ("docs/**/*.md", "docs/a.md", True),
    ("/Cargo.lock", "Cargo.lock", True),
])
def test_github_glob_semantics(glob, path, expected):
    assert matches([glob], path) is expected


def test_a_negated_pattern_excludes_what_came_before():
    globs = ["packages/web/**", "!packages/web/**/*.snap"]
    assert matches(globs, "packages/web/src/App.tsx")
    assert not matches(globs, "packages/web/src/__snapshots__/App.snap")
    config = make_config()
    config.services[3].paths.append("!packages/web/fixtures/**")
    assert affected_services(config, ["packages/web/fixtures/big.json"]) == []


def test_paths_are_normalized_like_git_prints_them():
    assert normalize("./services/x/a.rs") == "services/x/a.rs"
    assert affected_services(CONFIG, ["./Cargo.lock"]) == ["detection-engine"]
