"""`voxguard-ci plan`: options, exit codes and the JSON contract."""

import json

import pytest
from plan_support import FIXTURES, SERVICES, commit, git, run_cli, write_repo

from voxguard_ci.cli import main

CONTRACT_KEYS = ["run", "reason", "trigger", "ref", "services", "stages", "deploy", "concurrency_group", "commit",
                 "inputs"]


@pytest.fixture()
def repo(tmp_path):
    return write_repo(tmp_path / "repo")


def plan(capsys, *args):
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def plan_json(capsys, *args):
    code, out, err = plan(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_no_event_options_plan_a_local_run_of_every_service(capsys, repo):
    data = plan_json(capsys, str(repo))
    assert list(data) == CONTRACT_KEYS
    assert (data["trigger"], data["services"], data["deploy"]) == ("local", SERVICES, None)


def test_push_to_main_with_changed_files(capsys, repo):
    data = plan_json(capsys, str(repo), "--event", "push", "--changed", "Cargo.lock", "README.md")
    assert (data["run"], data["services"], data["deploy"], data["ref"]) == (
        True, ["detection-engine"], "dev", "refs/heads/main")


def test_a_plan_that_runs_nothing_still_exits_0(capsys, repo):
    code, out, _ = plan(capsys, str(repo), "--event", "push", "--ref", "feature", "--changed", "go.mod")
    assert code == 0
    assert "no run" in out


def test_tag_and_dispatch_options(capsys, repo):
    assert plan_json(capsys, str(repo), "--event", "tag", "--ref", "v2.0.0")["deploy"] == "production"
    data = plan_json(capsys, str(repo), "--event", "workflow_dispatch", "--input", "environment=staging",
                     "--input", "version=2.0.1", "--input", "skip_tests=true")
    assert data["deploy"] == "staging"
    assert data["inputs"]["skip_tests"] is True and "test" not in data["stages"]
    data = plan_json(capsys, str(repo), "--event", "repository_dispatch", "--input", "event_type=deploy",
                     "--input", "environment=dev", "--input", "ticket=OPS-9")
    assert data["deploy"] == "dev"
    assert data["inputs"]["client_payload"] == {"environment": "dev", "ticket": "OPS-9"}


def test_pull_request_ref_is_the_target_branch(capsys, repo):
    data = plan_json(capsys, str(repo), "--event", "pull_request", "--ref", "develop", "--changed", "go.sum")
    assert (data["run"], data["services"], data["deploy"]) == (True, ["management-api"], None)


def test_a_github_delivery_from_a_file(capsys, repo):
    data = plan_json(capsys, str(repo), "--github-event", "push", "--payload", str(FIXTURES / "push_payload.json"))
    assert data["run"] is False and "deleted" in data["reason"]


def test_a_pull_request_delivery_takes_its_files_from_git(capsys, repo):
    base = commit(repo, {"Cargo.lock": "v1"})
    git(repo, "checkout", "-q", "-b", "change")
    head = commit(repo, {"services/processing-service/app.py": "print()"})
    body = json.loads((FIXTURES / "pull_request_opened.payload.json").read_text())
    body["pull_request"]["base"].update(ref="main", sha=base)
    body["pull_request"]["head"]["sha"] = head
    (repo.parent / "pr.json").write_text(json.dumps(body))
    data = plan_json(capsys, str(repo), "--github-event", "pull_request", "--payload", str(repo.parent / "pr.json"))
    assert (data["run"], data["services"], data["ref"]) == (True, ["processing-service"], "refs/pull/2/merge")
    data = plan_json(capsys, str(repo), "--github-event", "pull_request", "--payload", str(repo.parent / "pr.json"),
                     "--changed", "go.mod")
    assert data["services"] == ["management-api"]


def test_base_and_head_diff_the_repository(capsys, repo):
    first = commit(repo, {"go.mod": "module x"})
    second = commit(repo, {"pnpm-lock.yaml": "lock"})
    data = plan_json(capsys, str(repo), "--event", "push", "--base", first, "--head", second)
    assert data["services"] == ["web"]


def test_mermaid_format(capsys, repo):
    code, out, _ = plan(capsys, str(repo), "--event", "push", "--changed", "go.mod", "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR")


def test_an_explicit_config_file(capsys, tmp_path):
    write_repo(tmp_path / "elsewhere")
    data = plan_json(capsys, str(tmp_path), "--config", str(tmp_path / "elsewhere" / "voxguard-ci.yaml"))
    assert data["services"] == SERVICES


@pytest.mark.parametrize(("args", "message"), [
    (["--github-event", "push", "--payload", "missing.json"], "--payload missing.json: no such file"),
    (["--github-event", "push", "--payload", "voxguard-ci.yaml"], "voxguard-ci.yaml: not valid JSON"),
    (["--event", "workflow_dispatch", "--input", "environment=moon"], "expected one of dev, staging, production"),
    (["--event", "workflow_dispatch", "--input", "environment"], "--input 'environment': expected KEY=VALUE"),
    (["--event", "push", "--input", "environment=dev"], "--input applies to --event workflow_dispatch"),
    (["--event", "push", "--base", "HEAD"], "--base and --head go together"),
    (["--event", "push", "--changed", "a", "--base", "a", "--head", "b"], "--changed and --base/--head"),
    (["--ref", "main"], "--ref and --input need --event"),
    (["--github-event", "push"], "--github-event and --payload go together"),
    (["--event", "tag"], "--event tag needs --ref"),
    (["--event", "repository_dispatch"], "needs --input event_type=NAME"),
    (["--event", "push", "--base", "HEAD~1", "--head", "HEAD"], "not a git repository"),
])
def test_input_errors_exit_2_and_name_the_input(capsys, repo, monkeypatch, args, message):
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
    code, out, err = plan(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_missing_config_or_repo_exits_2(capsys, tmp_path):
    code, _, err = plan(capsys, str(tmp_path))
    assert code == 2 and "voxguard-ci.yaml" in err
    code, _, err = plan(capsys, str(tmp_path / "nope"))
    assert code == 2 and "not a directory" in err


def test_an_unknown_event_is_a_usage_error(capsys, repo):
    with pytest.raises(SystemExit) as info:
        main(["plan", str(repo), "--event", "merge_group"])
    assert info.value.code == 2


def test_the_installed_entry_point_prints_the_contract(repo):
    result = run_cli("plan", "--event", "schedule", "--json", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == CONTRACT_KEYS
    assert data["stages"] == ["security", "soak"]
