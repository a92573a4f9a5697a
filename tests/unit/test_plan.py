"""Event → plan: the seed's trigger table, path scoping and dispatch inputs."""

import json

import pytest
from plan_support import SERVICES, make_config, payload

from voxguard_ci.core.events import Event, from_github, from_ref
from voxguard_ci.core.plan import FULL_STAGES, Plan, make_plan
from voxguard_ci.core.plan_render import to_mermaid, to_text
from voxguard_ci.errors import EventError

CONFIG = make_config()
MASTER = make_config("triggers:\n  main_branch: master\n  pull_request_branches: [master]\n")
CONTRACT_KEYS = ["run", "reason", "trigger", "ref", "services", "stages", "deploy", "concurrency_group", "commit",
                 "inputs"]


def push(changed, ref="refs/heads/main", config=CONFIG):
    return make_plan(config, from_ref("push", ref), changed)


def dispatch(**inputs):
    return make_plan(CONFIG, from_ref("workflow_dispatch", "main", inputs=inputs), None)


def test_the_json_has_exactly_the_contract_keys():
    plan = push(["Cargo.lock"])
    data = plan.model_dump(mode="json")
    assert list(data) == CONTRACT_KEYS
    assert data == {
        "run": True,
        "reason": "push to main: detection-engine affected by 1 changed file; deploy dev",
        "trigger": "push",
        "ref": "refs/heads/main",
        "services": ["detection-engine"],
        "stages": ["build", "test", "lint", "security", "gates"],
        "deploy": "dev",
        "concurrency_group": "ci-pipeline-refs/heads/main",
        "commit": None,
        "inputs": None,
    }
    assert Plan.model_validate(json.loads(plan.model_dump_json())) == plan


def test_push_to_main_builds_only_the_affected_services():
    plan = push(["services/management-api/main.go", "pnpm-lock.yaml"])
    assert plan.services == ["management-api", "web"]
    assert (plan.run, plan.deploy) == (True, "dev")


def test_push_to_another_branch_runs_nothing():
    plan = push(["Cargo.lock"], ref="refs/heads/feature/x")
    assert plan.run is False
    assert "'feature/x'" in plan.reason and "'main'" in plan.reason
    assert plan.services == [] and plan.deploy is None
    assert plan.concurrency_group == "ci-pipeline-refs/heads/feature/x"


def test_a_docs_only_change_runs_no_build_and_no_deploy():
    plan = push(["README.md", "docs/architecture.md", "services/detection-engine/README.md"])
    assert plan.run is False
    assert "docs-only" in plan.reason
    assert plan.stages == [] and plan.deploy is None


def test_a_change_outside_every_service_runs_security_gates_and_deploys_dev():
    plan = push(["deployment/helm/voxguard/values.yaml", "README.md"])
    assert plan.run is True
    assert plan.services == []
    assert plan.stages == ["security", "gates"]
    assert plan.deploy == "dev"
    assert "'deployment/helm/voxguard/values.yaml'" in plan.reason


def test_a_shared_file_runs_every_service():
    plan = push(["voxguard-ci.yaml"])
    assert plan.services == SERVICES
    assert "shared file" in plan.reason


def test_unknown_changed_files_run_every_service_and_say_so():
    plan = push(None)
    assert plan.services == SERVICES
    assert "changed files unknown" in plan.reason


def test_no_changed_files_runs_nothing():
    assert push([]).run is False


def test_a_deploy_target_missing_from_environments_is_dropped():
    config = make_config("environments:\n  staging: {namespace: voxguard-staging}\n")
    plan = push(["go.mod"], config=config)
    assert (plan.run, plan.deploy) == (True, None)
    assert "'dev' is not in environments" in plan.reason


@pytest.mark.parametrize("action", ["opened", "synchronize", "reopened"])
def test_pull_requests_into_main_or_develop_build_without_deploy(action):
    for base in ("main", "develop"):
        event = Event(trigger="pull_request", ref="refs/pull/7/merge", base_ref=base, action=action, number=7)
        plan = make_plan(CONFIG, event, ["services/processing-service/app.py"])
        assert (plan.run, plan.services, plan.stages, plan.deploy) == (True, ["processing-service"], FULL_STAGES,
                                                                       None)
        assert plan.concurrency_group == "ci-pipeline-refs/pull/7/merge"


def test_pull_requests_into_other_branches_or_other_actions_run_nothing():
    into_release = Event(trigger="pull_request", ref="refs/pull/7/merge", base_ref="release", action="opened")
    labeled = Event(trigger="pull_request", ref="refs/pull/7/merge", base_ref="main", action="labeled")
    assert make_plan(CONFIG, into_release, ["go.mod"]).run is False
    assert "labeled" in make_plan(CONFIG, labeled, ["go.mod"]).reason


def test_a_matching_tag_deploys_every_service_to_production():
    plan = make_plan(CONFIG, from_ref("push", "refs/tags/v1.2.0"), ["README.md"])
    assert (plan.run, plan.trigger, plan.services, plan.stages, plan.deploy) == (
        True, "tag", SERVICES, FULL_STAGES, "production")
    assert plan.concurrency_group == "ci-pipeline-refs/tags/v1.2.0"


def test_a_tag_outside_the_pattern_runs_nothing():
    plan = make_plan(CONFIG, from_ref("tag", "nightly-2024"), None)
    assert plan.run is False and "tag_pattern 'v*'" in plan.reason


def test_schedule_is_the_nightly_security_and_soak_run():
    plan = make_plan(CONFIG, Event(trigger="schedule"), None)
    assert (plan.run, plan.services, plan.stages, plan.deploy) == (True, SERVICES, ["security", "soak"], None)
    assert plan.ref == "refs/heads/main"
    assert plan.concurrency_group == "nightly-refs/heads/main"


def test_local_runs_every_service_without_deploy():
    plan = make_plan(CONFIG, Event(trigger="local"), None)
    assert (plan.run, plan.trigger, plan.services, plan.stages, plan.deploy) == (
        True, "local", SERVICES, FULL_STAGES, None)
    assert plan.concurrency_group == "ci-pipeline-local"


def test_a_local_run_with_changed_files_is_scoped_but_never_deploys():
    plan = make_plan(CONFIG, Event(trigger="local"), ["go.sum"])
    assert (plan.services, plan.deploy) == (["management-api"], None)


# --- dispatch inputs ---------------------------------------------------------------------------------------

def test_workflow_dispatch_deploys_to_the_chosen_environment():
    plan = dispatch(environment="staging", version="1.4.2", skip_tests="false")
    assert (plan.run, plan.services, plan.stages, plan.deploy) == (True, SERVICES, FULL_STAGES, "staging")
    assert plan.model_dump(mode="json")["inputs"] == {
        "environment": "staging", "version": "1.4.2", "skip_tests": False, "event_type": None,
        "client_payload": None,
    }


@pytest.mark.parametrize("value", ["true", "True", True])
def test_skip_tests_drops_the_test_stage(value):
    plan = dispatch(environment="production", skip_tests=value)
    assert plan.stages == ["build", "lint", "security", "gates"]
    assert plan.inputs.skip_tests is True


@pytest.mark.parametrize(("inputs", "message"), [
    ({}, "input 'environment' is required; expected one of dev, staging, production"),
    ({"environment": "prod"}, "'environment': expected one of dev, staging, production, got 'prod'"),
    ({"environment": "dev", "skip_tests": "yes"}, "'skip_tests': expected true or false, got 'yes'"),
    ({"environment": "dev", "skip_tests": 1}, "'skip_tests': expected true or false, got 1"),
    ({"environment": "dev", "version": ""}, "'version': expected a non-empty string"),
    ({"environment": "dev", "enviroment": "dev"}, "input 'enviroment' is not known"),
])
def test_invalid_dispatch_inputs_are_event_errors(inputs, message):
    with pytest.raises(EventError) as info:
        dispatch(**inputs)
    assert message in str(info.value)


def test_repository_dispatch_records_its_payload_and_deploys_when_asked():
    event = from_ref("repository_dispatch", "main", event_type="deploy",
                     client_payload={"environment": "staging", "ticket": "OPS-1"})
    plan = make_plan(CONFIG, event, None)
    assert (plan.services, plan.stages, plan.deploy) == (SERVICES, FULL_STAGES, "staging")
    assert plan.inputs.event_type == "deploy"
    assert plan.inputs.client_payload == {"environment": "staging", "ticket": "OPS-1"}


def test_repository_dispatch_validates_the_environment():
    event = from_ref("repository_dispatch", "main", event_type="deploy", client_payload={"environment": "qa"})
    with pytest.raises(EventError, match="'client_payload.environment': expected one of dev, staging"):
        make_plan(CONFIG, event, None)


# --- the real deliveries -----------------------------------------------------------------------------------

def plan_delivery(name, file, config=CONFIG, changed=None):
    event = from_github(name, payload(file))
    return make_plan(config, event, changed if changed is not None else event.changed_files)


@pytest.mark.parametrize("file", ["push_payload.json", "push_1.payload.json", "push_with-organization.payload.json"])
def test_a_deleted_tag_triggers_nothing(file):
    plan = plan_delivery("push", file)
    assert plan.run is False
    assert plan.reason == "tag 'simple-tag' was deleted: nothing to build or deploy"
    assert plan.deploy is None


def test_a_deleted_branch_triggers_nothing():
    body = {"ref": "refs/heads/main", "deleted": True, "after": "0" * 40, "commits": []}
    plan = make_plan(CONFIG, from_github("push", body), None)
    assert plan.run is False and "branch 'main' was deleted" in plan.reason


def test_the_new_branch_push_is_docs_only_on_the_main_branch():
    assert "only 'main' runs on push" in plan_delivery("push", "push_with-new-branch.payload.json").reason
    plan = plan_delivery("push", "push_with-new-branch.payload.json", config=MASTER)
    assert plan.run is False and "docs-only" in plan.reason


@pytest.mark.parametrize("file", ["pull_request_opened.payload.json", "pull_request_opened.with-null-body.json",
                                  "pull_request_synchronize.payload.json"])
def test_open_pull_requests_into_master(file):
    assert plan_delivery("pull_request", file).run is False  # master is not one of main, develop
    plan = plan_delivery("pull_request", file, config=MASTER, changed=["go.mod"])
    assert (plan.run, plan.services, plan.deploy) == (True, ["management-api"], None)
    assert plan.concurrency_group == "ci-pipeline-refs/pull/2/merge"


def test_a_closed_pull_request_runs_nothing():
    plan = plan_delivery("pull_request", "pull_request_closed.payload.json", config=MASTER, changed=["go.mod"])
    assert plan.run is False and "closed" in plan.reason


def test_the_example_workflow_dispatch_lacks_an_environment():
    with pytest.raises(EventError, match="input 'name' is not known"):
        plan_delivery("workflow_dispatch", "workflow_dispatch_payload.json")


def test_the_example_repository_dispatch_runs_without_deploy():
    plan = plan_delivery("repository_dispatch", "repository_dispatch_payload.json")
    assert (plan.run, plan.trigger, plan.services, plan.deploy) == (True, "repository_dispatch", SERVICES, None)
    assert plan.inputs.event_type == "on-demand-test"
    assert plan.ref == "refs/heads/master"


@pytest.mark.parametrize(("name", "file"), [("create", "create_payload.json"), ("ping", "ping_payload.json")])
def test_create_and_ping_plan_no_run(name, file):
    plan = plan_delivery(name, file)
    assert (plan.run, plan.trigger, plan.services, plan.deploy) == (False, name, [], None)
    assert plan.reason


# --- rendering ---------------------------------------------------------------------------------------------

def test_text_and_mermaid_show_the_plan():
    plan = push(["Cargo.lock"])
    text = to_text(plan)
    assert "services:    detection-engine" in text
    assert "build → test → lint → security → gates" in text
    mermaid = to_mermaid(plan)
    assert mermaid.startswith("flowchart LR")
    assert 'stage_build["build<br/>detection-engine"]' in mermaid
    assert "stage_gates --> deploy" in mermaid


def test_a_no_run_plan_renders_its_reason():
    plan = push(["README.md"])
    assert "plan:        no run" in to_text(plan)
    assert "trigger -.-> skip" in to_mermaid(plan)
