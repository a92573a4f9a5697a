"""Real GitHub deliveries (octokit/webhooks examples) → Event."""

import pytest
from plan_support import payload
from pydantic import ValidationError

from voxguard_ci.core.events import Event, from_github, from_ref
from voxguard_ci.errors import EventError


def test_a_deleted_tag_push_is_a_deleted_tag_event():
    event = from_github("push", payload("push_payload.json"))
    assert event.trigger == "tag"
    assert event.ref == "refs/tags/simple-tag"
    assert event.tag == "simple-tag"
    assert event.deleted is True
    assert event.after == "0" * 40
    assert event.changed_files is None


@pytest.mark.parametrize("name", ["push_1.payload.json", "push_with-organization.payload.json"])
def test_the_other_tag_deletions_read_the_same(name):
    event = from_github("push", payload(name))
    assert (event.trigger, event.tag, event.deleted) == ("tag", "simple-tag", True)


def test_a_new_branch_push_lists_the_commits_files():
    event = from_github("push", payload("push_with-new-branch.payload.json"))
    assert event.trigger == "push"
    assert event.branch == "master"
    assert event.before == "0" * 40
    assert event.sha == event.after == "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
    assert event.changed_files == ["README.md"]


def test_push_files_are_the_union_of_added_modified_and_removed():
    body = {"ref": "refs/heads/main", "commits": [
        {"added": ["a.rs"], "modified": ["Cargo.lock"], "removed": []},
        {"added": [], "modified": ["a.rs", "go.mod"], "removed": ["old.py"]},
    ]}
    assert from_github("push", body).changed_files == ["a.rs", "Cargo.lock", "go.mod", "old.py"]


def test_commits_without_file_lists_mean_the_files_are_unknown():
    body = {"ref": "refs/heads/main", "commits": [{"id": "abc", "message": "x"}]}
    assert from_github("push", body).changed_files is None


@pytest.mark.parametrize("name", [
    "pull_request_opened.payload.json", "pull_request_opened.with-null-body.json",
    "pull_request_synchronize.payload.json", "pull_request_closed.payload.json",
])
def test_pull_request_deliveries(name):
    event = from_github("pull_request", payload(name))
    assert event.trigger == "pull_request"
    assert event.action == name.split("_")[2].split(".")[0]
    assert event.number == 2
    assert event.ref == "refs/pull/2/merge"
    assert event.base_ref == "master"
    assert event.branch == "changes"
    assert event.before == "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
    assert event.after == event.sha == "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    assert event.changed_files is None


def test_workflow_dispatch_carries_its_inputs():
    event = from_github("workflow_dispatch", payload("workflow_dispatch_payload.json"))
    assert event.trigger == "workflow_dispatch"
    assert event.ref == "refs/heads/master"
    assert event.inputs == {"name": "Mona the Octocat"}


def test_repository_dispatch_carries_event_type_and_client_payload():
    event = from_github("repository_dispatch", payload("repository_dispatch_payload.json"))
    assert event.trigger == "repository_dispatch"
    assert event.event_type == event.action == "on-demand-test"
    assert event.client_payload == {"unit": False, "integration": True}
    assert event.ref == "refs/heads/master"


@pytest.mark.parametrize(("name", "file", "words"), [
    ("create", "create_payload.json", "'push' event"),
    ("ping", "ping_payload.json", "webhook is configured"),
    ("issues", "ping_payload.json", "starts no pipeline"),
])
def test_events_that_start_nothing_carry_a_note(name, file, words):
    event = from_github(name, payload(file))
    assert event.trigger == "other"
    assert event.github_event == name
    assert words in event.note


def test_schedule_needs_no_keys():
    assert from_github("schedule", {"schedule": "0 2 * * *"}).trigger == "schedule"


@pytest.mark.parametrize(("name", "body", "message"), [
    ("push", {"before": "x"}, "push payload: missing key 'ref'"),
    ("push", {"ref": 7}, "push payload: key 'ref': expected str, got int"),
    ("push", {"ref": "refs/heads/main", "commits": [{"added": "a.rs"}]}, "'commits[0].added'"),
    ("pull_request", {"action": "opened", "number": 1, "pull_request": {"head": {"sha": "a"}}},
     "pull_request payload: missing key 'pull_request.base.ref'"),
    ("pull_request", {"number": 1, "pull_request": {"base": {"ref": "main", "sha": "b"}, "head": {"sha": "a"}}},
     "pull_request payload: missing key 'action'"),
    ("workflow_dispatch", {"inputs": {}}, "workflow_dispatch payload: missing key 'ref'"),
    ("repository_dispatch", {"client_payload": {}}, "repository_dispatch payload: missing key 'action'"),
    ("repository_dispatch", {"action": "go", "client_payload": [1]}, "key 'client_payload': expected dict"),
])
def test_malformed_payloads_name_the_key(name, body, message):
    with pytest.raises(EventError) as info:
        from_github(name, body)
    assert message in str(info.value)


def test_a_payload_that_is_not_an_object_is_an_event_error():
    with pytest.raises(EventError, match="expected a JSON object"):
        from_github("push", ["refs/heads/main"])  # type: ignore[arg-type]


@pytest.mark.parametrize(("trigger", "ref", "expected"), [
    ("push", "main", ("push", "refs/heads/main", "main", None)),
    ("push", "refs/tags/v1.2.0", ("tag", "refs/tags/v1.2.0", None, "v1.2.0")),
    ("tag", "v1.2.0", ("tag", "refs/tags/v1.2.0", None, "v1.2.0")),
    ("push", "refs/heads/feature/x", ("push", "refs/heads/feature/x", "feature/x", None)),
])
def test_refs_short_or_full(trigger, ref, expected):
    event = from_ref(trigger, ref)
    assert (event.trigger, event.ref, event.branch, event.tag) == expected


def test_events_are_frozen_data():
    event = Event(trigger="local")
    with pytest.raises(ValidationError):
        event.ref = "refs/heads/x"  # type: ignore[misc]
