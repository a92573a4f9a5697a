"""What started a pipeline: an `Event`, from the CLI's options or from a real GitHub webhook delivery.

Event data is hostile (anyone who can push names the branch). Every string is kept verbatim as data and never
interpreted; nothing here runs a command.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from voxguard_ci.errors import EventError

Trigger = Literal[
    "push", "pull_request", "tag", "schedule", "workflow_dispatch", "repository_dispatch", "local", "other"
]
TRIGGERS: tuple[str, ...] = ("push", "pull_request", "tag", "schedule", "workflow_dispatch", "repository_dispatch")

BRANCH_PREFIX = "refs/heads/"
TAG_PREFIX = "refs/tags/"
ZERO_SHA = "0" * 40
# GitHub lists at most this many commits in a push delivery; a longer push may be truncated.
MAX_LISTED_COMMITS = 2048


class Event(BaseModel):
    """One trigger, as data. `before`/`after` are the diff range: a push's before/after, a PR's base/head sha."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: Trigger
    github_event: str | None = None
    ref: str | None = None
    branch: str | None = None
    tag: str | None = None
    base_ref: str | None = None
    action: str | None = None
    number: int | None = None
    deleted: bool = False
    sha: str | None = None
    before: str | None = None
    after: str | None = None
    inputs: dict[str, Any] = {}
    event_type: str | None = None
    client_payload: dict[str, Any] | None = None
    changed_files: list[str] | None = None
    note: str | None = None


def from_ref(trigger: str, ref: str, **fields: Any) -> Event:
    """An Event for `ref` (full, or a bare branch or tag name); a push to refs/tags/... is a tag trigger."""
    if trigger == "tag" and not ref.startswith("refs/"):
        ref = TAG_PREFIX + ref
    elif not ref.startswith("refs/"):
        ref = BRANCH_PREFIX + ref
    if trigger == "push" and ref.startswith(TAG_PREFIX):
        trigger = "tag"
    if ref.startswith(TAG_PREFIX):
        fields.setdefault("tag", ref.removeprefix(TAG_PREFIX))
    elif ref.startswith(BRANCH_PREFIX):
        fields.setdefault("branch", ref.removeprefix(BRANCH_PREFIX))
    return Event(trigger=trigger, ref=ref, **fields)


def from_github(event_name: str, payload: dict[str, Any]) -> Event:
    """Turn a webhook delivery (the `X-GitHub-Event` header and the JSON body) into an Event.

    Events that start no pipeline (`create`, `ping`, anything unknown) become trigger "other" with a note;
    a payload that lacks a key the event needs raises EventError naming the key.
    """
    if not isinstance(payload, dict):
        raise EventError(f"{event_name} payload: expected a JSON object, got {type(payload).__name__}")
    reader = _READERS.get(event_name)
    if reader is None:
        return Event(trigger="other", github_event=event_name, note=_ignored_note(event_name, payload))
    return reader(_Payload(event_name, payload))


class _Payload:
    """Typed access to a delivery's keys; errors name the event and the dotted key."""

    def __init__(self, event_name: str, data: dict[str, Any]) -> None:
        self.event_name = event_name
        self.data = data

    def get(self, dotted: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        value: Any = self.data
        for part in dotted.split("."):
            if not isinstance(value, dict) or value.get(part) is None:
                if required:
                    raise EventError(f"{self.event_name} payload: missing key {dotted!r}")
                return None
            value = value[part]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise EventError(
                f"{self.event_name} payload: key {dotted!r}: expected {expected}, got {type(value).__name__}"
            )
        return value


def _push(payload: _Payload) -> Event:
    ref = payload.get("ref", str)
    return from_ref(
        "push",
        ref,
        github_event="push",
        deleted=bool(payload.get("deleted", bool, required=False)),
        before=payload.get("before", str, required=False),
        after=payload.get("after", str, required=False),
        sha=payload.get("after", str, required=False),
        changed_files=_pushed_files(payload),
    )


def _pushed_files(payload: _Payload) -> list[str] | None:
    """The union of the commits' added/modified/removed files, or None when the delivery cannot tell."""
    commits = payload.get("commits", list, required=False)
    if not commits or len(commits) >= MAX_LISTED_COMMITS:
        return None
    files: dict[str, None] = {}
    for index, commit in enumerate(commits):
        if not isinstance(commit, dict):
            raise EventError(f"push payload: key 'commits[{index}]': expected object, got {type(commit).__name__}")
        if not any(key in commit for key in ("added", "modified", "removed")):
            return None  # the Actions flavour of the payload omits the file lists
        for key in ("added", "modified", "removed"):
            paths = commit.get(key) or []
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise EventError(f"push payload: key 'commits[{index}].{key}': expected a list of paths")
            files.update(dict.fromkeys(paths))
    return list(files)


def _pull_request(payload: _Payload) -> Event:
    number = payload.get("number", int, required=False) or payload.get("pull_request.number", int)
    return Event(
        trigger="pull_request",
        github_event="pull_request",
        ref=f"refs/pull/{number}/merge",
        branch=payload.get("pull_request.head.ref", str, required=False),
        base_ref=payload.get("pull_request.base.ref", str),
        action=payload.get("action", str),
        number=number,
        sha=payload.get("pull_request.head.sha", str),
        before=payload.get("pull_request.base.sha", str),
        after=payload.get("pull_request.head.sha", str),
    )


def _workflow_dispatch(payload: _Payload) -> Event:
    return from_ref(
        "workflow_dispatch",
        payload.get("ref", str),
        github_event="workflow_dispatch",
        inputs=payload.get("inputs", dict, required=False) or {},
    )


def _repository_dispatch(payload: _Payload) -> Event:
    event_type = payload.get("action", str)
    branch = payload.get("branch", str, required=False)
    fields: dict[str, Any] = {
        "github_event": "repository_dispatch",
        "action": event_type,
        "event_type": event_type,
        "client_payload": payload.get("client_payload", dict, required=False) or {},
    }
    if branch is None:
        return Event(trigger="repository_dispatch", **fields)
    return from_ref("repository_dispatch", branch, **fields)


def _schedule(payload: _Payload) -> Event:
    ref = payload.get("ref", str, required=False)
    if ref is None:
        return Event(trigger="schedule", github_event="schedule")
    return from_ref("schedule", ref, github_event="schedule")


def _ignored_note(event_name: str, payload: dict[str, Any]) -> str:
    if event_name == "create":
        kind = payload.get("ref_type", "ref")
        return f"GitHub 'create' event for a {kind}: the 'push' event for the same ref starts any run"
    if event_name == "ping":
        return "GitHub 'ping' event: the webhook is configured; nothing to run"
    return f"GitHub event {event_name!r} starts no pipeline"


_READERS = {
    "push": _push,
    "pull_request": _pull_request,
    "workflow_dispatch": _workflow_dispatch,
    "repository_dispatch": _repository_dispatch,
    "schedule": _schedule,
}
