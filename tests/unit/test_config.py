from pathlib import Path

import pytest

from voxguard_ci.core.config import Command, load_config, parse_config
from voxguard_ci.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "voxguard" / "voxguard-ci.yaml"

MINIMAL = """
services:
  - name: api
    language: go
    paths: ["services/api/**"]
    toolchain: [go, version]
    build: {commands: [[go, build, ./...]]}
    coverage: {format: go-coverprofile, path: reports/api/cover.out, minimum: 80}
"""


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return str(info.value)


def test_the_example_config_is_valid():
    config = load_config(EXAMPLE)
    assert [s.name for s in config.services] == ["detection-engine", "management-api", "processing-service", "web"]
    assert config.gates.coverage_overall == 80


def test_minimal_config_gets_the_seed_defaults():
    config = parse_config(MINIMAL)
    assert config.gates.coverage_overall == 80.0
    assert config.gates.critical_max == 0
    assert set(config.environments) == {"dev", "staging", "production"}
    assert config.services[0].build.commands[0] == Command(argv=["go", "build", "./..."])


def test_wrong_type_names_file_key_path_and_expectation():
    message = error_of(MINIMAL.replace("minimum: 80", "minimum: eighty"))
    assert message.startswith("voxguard-ci.yaml: services[0].coverage.minimum: ")
    assert message.endswith("expected a number from 0 to 100, got 'eighty'")


def test_out_of_range_percent():
    message = error_of(MINIMAL.replace("minimum: 80", "minimum: 120"))
    assert message == "voxguard-ci.yaml: services[0].coverage.minimum: expected a number from 0 to 100, got 120"


def test_unknown_key_is_an_error():
    message = error_of(MINIMAL + "colour: blue\n")
    assert message == "voxguard-ci.yaml: colour: unknown key (not part of the pipeline schema)"


def test_nested_unknown_key():
    message = error_of(MINIMAL.replace("toolchain:", "tolchain: [x]\n    toolchain:"))
    assert "services[0].tolchain: unknown key" in message


def test_shell_string_command_is_refused():
    message = error_of(MINIMAL.replace("[[go, build, ./...]]", "['go build ./...']"))
    assert "services[0].build.commands[0]" in message and "argv list" in message


def test_missing_services():
    assert "services: required key is missing" in error_of("version: 1\n")


def test_broken_yaml_names_the_line():
    message = error_of("services:\n  - name: [unclosed\n")
    assert message.startswith("voxguard-ci.yaml: line ") and "not valid YAML" in message


def test_not_a_mapping():
    assert "expected a mapping" in error_of("- just\n- a list\n")


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "voxguard-ci.yaml")


def test_duplicate_service_names():
    doubled = MINIMAL + MINIMAL.split("services:\n", 1)[1]
    assert "used twice" in error_of(doubled)


def test_bad_service_name():
    assert "lowercase" in error_of(MINIMAL.replace("name: api", "name: 'Api Server'"))
