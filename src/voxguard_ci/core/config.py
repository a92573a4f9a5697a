"""The pipeline as code: pydantic models for `voxguard-ci.yaml`, and loading it with readable errors.

Every command is an argv list. YAML accepts a bare list as a command (`- [cargo, build]`) or a mapping
(`- {argv: [go, test, -json, ./...], stdout: reports/go-test.json}`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from voxguard_ci.core.images import registry_name, repository_name
from voxguard_ci.errors import ConfigError

CONFIG_FILENAME = "voxguard-ci.yaml"



def _percent(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ValueError(f"expected a number from 0 to 100, got {value!r}")
    return float(value)


Percent = Annotated[float, BeforeValidator(_percent)]
RelPath = Annotated[str, Field(min_length=1)]

DEFAULT_ENV_ALLOW = [
    "PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "CARGO_TARGET_DIR",
    "GOPATH", "GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN",
    "PIP_INDEX_URL", "PIP_CACHE_DIR", "PIP_CERT", "VIRTUAL_ENV",
    "NPM_CONFIG_REGISTRY", "PNPM_HOME", "NODE_OPTIONS", "XDG_CACHE_HOME", "XDG_DATA_HOME", "CI",
    # the network as the host sees it: corporate CA bundles and proxies
    "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Command(_Model):
    argv: list[str] = Field(min_length=1, description="Program and arguments; never a shell string.")
    stdout: RelPath | None = Field(None, description="Write the command's stdout to this file (a report).")
    ok_codes: list[int] = Field([0], description="Exit codes that mean the command ran fine.")

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"argv": value}
        if isinstance(value, str):
            raise ValueError(f"expected an argv list such as [cargo, build], got the string {value!r}")  # noqa: TRY004 (pydantic reports ValueError only)
        return value

    @field_validator("argv")
    @classmethod
    def _non_empty_program(cls, argv: list[str]) -> list[str]:
        if not argv[0].strip():
            raise ValueError("expected a program name as the first argv item, got an empty string")
        return argv


class ReportSpec(_Model):
    format: str
    path: RelPath


class TestReportSpec(ReportSpec):
    format: Literal["junit", "go-test-json", "cargo-test"]


class LintReportSpec(_Model):
    format: Literal["eslint-json", "ruff-json", "lines", "exit-code"] = "exit-code"
    path: RelPath | None = None


class Step(_Model):
    commands: list[Command] = Field(min_length=1)
    outputs: list[RelPath] = Field([], description="Files or directories restored on a cache hit.")
    env: dict[str, str] = {}
    timeout: float = Field(1800, gt=0, description="Seconds for the whole step.")


class TestStep(Step):
    report: TestReportSpec | None = None


class LintStep(Step):
    reports: list[LintReportSpec] = [LintReportSpec()]


class CoverageSpec(_Model):
    format: Literal["cobertura", "go-coverprofile", "lcov", "istanbul-summary"]
    path: RelPath
    minimum: Percent = 80.0


class DockerSpec(_Model):
    """The service's container image, built in the build stage once its build succeeds."""

    context: RelPath
    dockerfile: str = Field("Dockerfile", description="Path relative to the repository.")
    build_args: dict[str, str] = Field({}, description="Values for the Dockerfile's ARGs (base images, versions).")
    target: str | None = Field(None, description="The stage to build; default: the last one.")
    repository: Annotated[str, AfterValidator(repository_name)] | None = Field(
        None, description="Repository in the registry; default: <project>/<service>.")
    timeout: float = Field(1800, gt=0)


class Images(_Model):
    """Where images go. Pull requests build but never push; `latest` moves only on the main branch."""

    registry: Annotated[str, AfterValidator(registry_name)] | None = Field(
        None, description="host:port; default VOXGUARD_CI_REGISTRY, else 127.0.0.1:5000.")
    push: bool = True


SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


def _slug(name: str) -> str:
    if not SERVICE_NAME.match(name):
        raise ValueError(f"expected a lowercase name of letters, digits and dashes, got {name!r}")
    return name


Slug = Annotated[str, AfterValidator(_slug)]


class Service(_Model):
    name: Slug
    language: Literal["rust", "go", "python", "typescript"]
    paths: list[str] = Field(min_length=1, description="Globs of the files that affect this service.")
    workdir: str = Field(".", description="Directory the commands run in, relative to the repository.")
    toolchain: list[str] = Field(min_length=1, description="argv printing the toolchain version.")
    build: Step | None = None
    test: TestStep | None = None
    lint: LintStep | None = None
    coverage: CoverageSpec | None = None
    docker: DockerSpec | None = None


ScannerKind = Literal["sast", "secrets", "dependencies", "iac", "sbom", "container", "dast"]


class Scanner(_Model):
    """A security tool the security stage runs; its report is parsed into findings or an SBOM."""

    name: Slug = Field(description="A step name such as bandit or pip-audit.")
    kind: ScannerKind
    services: list[str] = Field([], description="Services whose files it scans; empty: the whole repository.")
    inputs: list[str] = Field([], description="More globs it reads (rules, a vulnerability database).")
    workdir: str = "."
    toolchain: list[str] | None = Field(
        None, description="argv printing the tool's version (cache key); default: the program file's identity.")
    commands: list[Command] = Field(min_length=1)
    report: ReportSpec
    required: bool = Field(True, description="A required scanner that could not scan fails the run.")
    after_build: bool = Field(False, description="Wait for its services' builds (it scans what they produce).")
    env: dict[str, str] = {}
    timeout: float = Field(900, gt=0)


class Security(_Model):
    scanners: list[Scanner] = []
    baseline_file: RelPath | None = Field(
        None, description="Findings accepted by the team (fingerprint and reason), kept in the repository.")
    baseline_branch: str = Field("main", description="Successful runs on this branch become the baseline.")


class Gates(_Model):
    coverage_overall: Percent = 80.0
    lint_max_errors: int = Field(0, ge=0)
    critical_max: int = Field(0, ge=0)
    new_high_max: int = Field(0, ge=0)
    perf_regression_max_percent: Percent = 5.0
    license_deny: list[str] = ["GPL-*", "AGPL-*"]


class Triggers(_Model):
    main_branch: str = "main"
    pull_request_branches: list[str] = ["main", "develop"]
    pull_request_actions: list[str] = ["opened", "synchronize", "reopened"]
    tag_pattern: str = "v*"
    docs_paths: list[str] = ["docs/**", "**/*.md", "LICENSE", ".github/ISSUE_TEMPLATE/**"]
    shared_paths: list[str] = Field([CONFIG_FILENAME], description="Files every service depends on.")


class Approval(_Model):
    required: int = Field(0, ge=0)
    roles: list[str] = []
    timeout_seconds: float = Field(86400, gt=0)


class Environment(_Model):
    namespace: str
    helm_release: str = "voxguard"
    values: list[str] = []
    approval: Approval = Approval()


def _default_environments() -> dict[str, Environment]:
    return {
        "dev": Environment(namespace="voxguard-dev"),
        "staging": Environment(namespace="voxguard-staging", approval=Approval(required=1, roles=["release"])),
        "production": Environment(
            namespace="voxguard-prod", approval=Approval(required=1, roles=["admin"])
        ),
    }


class PipelineConfig(_Model):
    version: Literal[1] = 1
    project: str = Field("", description="Project name (baseline keys, artifacts); default: the repository folder.")
    services: list[Service] = Field(min_length=1)
    ignore: list[str] = Field(
        ["**/node_modules/**", "**/.venv/**", "target/**", "**/__pycache__/**", "**/dist/**",
         "**/coverage/**", "reports/**", ".git/**", ".voxguard-ci/**"],
        description="Globs never hashed into a cache key (build outputs, dependency folders).",
    )
    env_allow: list[str] = DEFAULT_ENV_ALLOW
    secrets: list[str] = Field([], description="Environment variables whose values are masked as ***.")
    max_parallel: int | None = Field(None, ge=1, description="Steps at once; default: CPU count.")
    gates: Gates = Gates()
    images: Images = Images()
    security: Security = Security()
    triggers: Triggers = Triggers()
    environments: dict[str, Environment] = Field(default_factory=_default_environments)

    @model_validator(mode="after")
    def _unique_names(self) -> PipelineConfig:
        seen: set[str] = set()
        for service in self.services:
            if service.name in seen:
                raise ValueError(f"service name {service.name!r} is used twice")
            seen.add(service.name)
        scanners: set[str] = set()
        for scanner in self.security.scanners:
            if scanner.name in scanners:
                raise ValueError(f"scanner name {scanner.name!r} is used twice")
            scanners.add(scanner.name)
            unknown = [name for name in scanner.services if name not in seen]
            if unknown:
                raise ValueError(f"scanner {scanner.name!r} names unknown services: {', '.join(unknown)}")
        return self

    def service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-before[_bare_list(), Command]",) or "[" in str(part):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def _describe(error: dict[str, Any]) -> str:
    kind, msg, value = error["type"], error["msg"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (not part of the pipeline schema)"
    if kind == "missing":
        return "required key is missing"
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    expected = msg[0].lower() + msg[1:]
    expected = expected.replace("input should be", "expected").replace("input should have", "expected")
    return f"{expected}, got {value!r}"


def parse_config(text: str, source: str = CONFIG_FILENAME) -> PipelineConfig:
    """Validate YAML text into a PipelineConfig; ConfigError names `source`, the key path and the problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{source}:{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with a 'services' list, got {type(data).__name__}")
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{source}: {_key_path(first['loc'])}: {_describe(first)}{more}") from None


def load_config(path: Path) -> PipelineConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (expected the pipeline config {CONFIG_FILENAME})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, source=path.name if path.name == CONFIG_FILENAME else str(path))
