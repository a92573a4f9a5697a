"""Event data is hostile: branch names and revisions pass through as data and are never run by a shell
(the seed interpolates `${{ github.head_ref }}`-style values into shell scripts; we must not)."""

import ast
import json

import pytest
from plan_support import audited, commit, make_config, run_cli, write_repo

from voxguard_ci.core.events import Event, from_github
from voxguard_ci.core.plan import make_plan
from voxguard_ci.core.plan_render import to_mermaid, to_text

HOSTILE = [
    "$(touch PWNED)",
    "`touch PWNED`",
    ";touch PWNED",
    "x && touch PWNED",
    "x\ntouch PWNED",
    "a' \"; touch PWNED #",
    "${IFS}touch${IFS}PWNED",
]
THROUGH_THE_CLI = HOSTILE[:3] + ["x\ntouch PWNED"]  # each costs a Python start
SHELLS = ("sh", "bash", "dash", "zsh", "ksh")
CONFIG = make_config()


@pytest.mark.parametrize("name", HOSTILE)
def test_branch_names_pass_verbatim_into_the_plan_json(name):
    event = from_github("push", {"ref": "refs/heads/" + name, "commits": [{"added": ["go.mod"]}]})
    data = json.loads(make_plan(CONFIG, event, event.changed_files).model_dump_json())
    assert data["ref"] == "refs/heads/" + name
    assert data["concurrency_group"] == "ci-pipeline-refs/heads/" + name
    assert repr(name) in data["reason"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_release_tag_is_data_all_the_way_to_the_deploy_plan(name):
    event = from_github("push", {"ref": "refs/tags/v" + name})
    plan = make_plan(CONFIG, event, None)
    assert (plan.run, plan.deploy, plan.ref) == (True, "production", "refs/tags/v" + name)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_pull_request_heads_and_bases(name):
    body = {"action": "opened", "number": 3, "pull_request": {
        "base": {"ref": name, "sha": "$(touch PWNED)"}, "head": {"ref": name, "sha": "`touch PWNED`"}}}
    event = from_github("pull_request", body)
    assert (event.branch, event.base_ref, event.before) == (name, name, "$(touch PWNED)")
    assert repr(name) in make_plan(CONFIG, event, None).reason


def test_text_output_escapes_control_characters():
    plan = make_plan(CONFIG, Event(trigger="push", ref="refs/heads/x\n\x1b[2Jfake: line", branch="x"), None)
    text = to_text(plan)
    assert "\x1b" not in text
    assert "refs/heads/x\\n\\x1b[2Jfake: line" in text


def test_mermaid_labels_encode_quotes_and_markup():
    plan = make_plan(CONFIG, Event(trigger="tag", ref='refs/tags/v1"]; click a "javascript:x', tag='v1"]'), None)
    mermaid = to_mermaid(plan)
    label = mermaid.splitlines()[1]
    assert label.count('"') == 2
    assert "#34;" in label and "#59;" in label


@pytest.mark.parametrize("name", THROUGH_THE_CLI)
def test_the_cli_plans_a_crafted_delivery_without_a_shell(tmp_path, name):
    repo = write_repo(tmp_path / "repo")
    (tmp_path / "crafted.json").write_text(json.dumps({
        "ref": "refs/heads/" + name, "before": "$(touch PWNED)", "after": "`touch PWNED`",
        "commits": [{"added": [f"services/{name}/x"], "modified": ["go.mod"], "removed": []}],
    }))
    result = run_cli("plan", str(repo), "--github-event", "push", "--payload", "crafted.json", "--json",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ref"] == "refs/heads/" + name
    assert audited(result) == []  # planning a push delivery starts no process at all
    assert list(tmp_path.rglob("PWNED")) == []


@pytest.mark.parametrize("revision", THROUGH_THE_CLI)
def test_hostile_base_and_head_reach_git_as_single_argv_items(tmp_path, revision):
    repo = write_repo(tmp_path / "repo")
    commit(repo, {"go.mod": "module x"})
    result = run_cli("plan", "--event", "push", "--base", revision, "--head", "HEAD", "--json", cwd=repo)
    assert result.returncode == 2
    assert "voxguard-ci: git diff" in result.stderr
    assert "Traceback" not in result.stderr
    calls = [ast.literal_eval(line.removeprefix("AUDIT-POPEN "))
             for line in audited(result) if line.startswith("AUDIT-POPEN")]
    for executable, argv in calls:  # the diff, and resolving --head to the commit images are tagged with
        assert executable.endswith("/git") and argv[0].endswith("/git")
        assert not any(arg.rsplit("/", 1)[-1] in SHELLS for arg in argv)
    diffs = [argv for _, argv in calls if "diff-tree" in argv]
    assert len(diffs) == 1
    assert diffs[0][-3:] == [revision, "HEAD", "--"]
    assert not [line for line in audited(result) if "os.system" in line]
    assert list(tmp_path.rglob("PWNED")) == []


def test_an_option_like_revision_is_refused_before_git_runs(tmp_path):
    repo = write_repo(tmp_path / "repo")
    commit(repo, {"go.mod": "module x"})
    result = run_cli("plan", "--event", "push", "--base=--output=PWNED", "--head", "HEAD", cwd=repo)
    assert result.returncode == 2
    assert "must not start with '-'" in result.stderr
    assert audited(result) == []
    assert list(tmp_path.rglob("PWNED")) == []
