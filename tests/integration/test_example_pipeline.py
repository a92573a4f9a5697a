"""The whole ci_pipeline on a copy of the example monorepo, with the real toolchains and a real Prefect server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from repo_support import git, registry_digest

pytestmark = pytest.mark.integration

SERVICES = ["detection-engine", "management-api", "processing-service", "web"]
SECURITY_GATES = {"security_scans", "critical_vulnerabilities", "new_high_vulnerabilities", "license_compliance"}
SCANNER_KINDS = {"sast", "secrets", "dependencies", "iac"}


def run(repo: Path, env: dict[str, str], *event: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json", *event], env=env,
                          capture_output=True, text=True, timeout=1500, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout)


def api(env: dict[str, str], path: str, body: dict | None = None):
    url = env["PREFECT_API_URL"] + path
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


def artifacts(env: dict[str, str], flow_run_id: str) -> dict[str, dict]:
    found = api(env, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}})
    return {a["key"]: a for a in found}


def gates(result: dict) -> dict[str, dict]:
    return {g["gate"]: g for g in result["gates"]}


def check_images(result: dict, env: dict[str, str], commit: str) -> None:
    """Four real images, pushed under sha-<commit> and latest, recorded with the digests the registry serves,
    and one promoted by digest."""
    images = {i["service"]: i for i in result["images"]}
    assert sorted(images) == sorted(SERVICES)
    for image in images.values():
        assert image["pushed"] and image["tags"] == [f"sha-{commit}", "latest"]
        assert image["digest"] == registry_digest(image["image"], f"sha-{commit}") == \
            registry_digest(image["image"], "latest")
    recorded = json.loads((Path(result["output_dir"]) / "images.json").read_text())
    assert {i["service"]: i["digest"] for i in recorded} == {s: i["digest"] for s, i in images.items()}
    table = json.loads(artifacts(env, result["flow_run_id"])["images"]["data"])
    assert {row["digest"] for row in table} == {i["digest"] for i in images.values()}
    web = images["web"]
    promoted = subprocess.run([sys.executable, "-m", "voxguard_ci", "promote", f"{web['image']}@{web['digest']}",
                               "staging", "--json"], env=env, capture_output=True, text=True, check=False)
    assert promoted.returncode == 0, promoted.stderr
    assert json.loads(promoted.stdout)["verified"] and registry_digest(web["image"], "staging") == web["digest"]


def test_example_pipeline_end_to_end(example_copy, prefect_env):
    git(example_copy, "init", "-q", "-b", "main")
    git(example_copy, "add", "-A")
    git(example_copy, "commit", "-q", "-m", "example")
    commit = git(example_copy, "rev-parse", "HEAD")
    code, result = run(example_copy, prefect_env, "--event", "push", "--ref", "main")
    gate = gates(result)
    assert code == 0, json.dumps(result["gates"], indent=1)
    assert result["state"] == "passed"
    assert result["services"] == SERVICES
    assert result["stages"] == {"plan": "completed", "build": "completed", "test": "completed",
                                "lint": "completed", "image": "completed", "security": "completed",
                                "gates": "completed", "deploy": "not_run"}
    check_images(result, prefect_env, commit)

    # A pull request builds its images but pushes none.
    git(example_copy, "commit", "-q", "--allow-empty", "-m", "a pull request's head")
    pr_commit = git(example_copy, "rev-parse", "HEAD")
    code, pr = run(example_copy, prefect_env, "--event", "pull_request", "--changed", "services/management-api/cmd/server/main.go")
    assert pr["stages"]["image"] in ("completed", "cached"), pr["steps"]
    assert [i["service"] for i in pr["images"]] == ["management-api"]
    assert not pr["images"][0]["pushed"] and pr["images"][0]["digest"] is None
    assert registry_digest(pr["images"][0]["image"], f"sha-{pr_commit}") is None
    for name in ("build", "tests", "coverage", "lint"):
        assert gate[name]["verdict"] == "pass"
    assert gate["build"]["value"] == "4/4"
    for service in SERVICES:
        record = gate[f"coverage:{service}"]
        assert record["verdict"] == "pass" and isinstance(record["value"], float)
        assert record["value"] >= record["threshold"]
    assert 80 <= gate["coverage"]["value"] <= 100
    for name in SECURITY_GATES:
        assert gate[name]["verdict"] == "pass", gate[name]
    assert gate["container_scan"]["verdict"] == "not_run"  # no image is built in this run
    scans = {s["scanner"]: s for s in result["security"]}
    assert {s["kind"] for s in scans.values() if s["status"] == "scanned" and any(s["findings"].values())} \
        >= SCANNER_KINDS  # a real finding from every kind of scanner, none blocking
    assert scans["sbom-python"]["components"] > 0 and scans["sbom-go-rust"]["components"] > 0
    assert scans["pip-audit"]["status"] == "not_run" and "could not be scanned" in scans["pip-audit"]["reason"]
    assert any("accepted by security-team" in line for line in gate["new_high_vulnerabilities"]["evidence"])
    passed_tests = int(gate["tests"]["value"].split()[0])
    assert passed_tests >= 100  # Rust, Go, Python and TypeScript suites all counted

    # What a run leaves: artifacts in Prefect, named task runs, files in the output directory.
    flow_run_id = result["flow_run_id"]
    keys = artifacts(prefect_env, flow_run_id)
    assert {"ci-summary", "quality-gates", "coverage", "security-findings"} <= set(keys)
    table = json.loads(keys["quality-gates"]["data"])
    assert {row["gate"] for row in table} >= {"build", "tests", "coverage", "lint"}
    assert "not_run" in keys["quality-gates"]["data"]
    task_runs = api(prefect_env, "/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})
    names = {t["name"]: t["state_type"] for t in task_runs}
    for service in SERVICES:
        for stage in ("build", "test", "lint", "image"):
            assert names[f"{stage}-{service}"] == "COMPLETED"
    assert api(prefect_env, f"/flow_runs/{flow_run_id}")["state_type"] == "COMPLETED"
    out = Path(result["output_dir"])
    assert json.loads((out / "gates.json").read_text()) == result["gates"]
    assert "Quality gates" in (out / "summary.md").read_text()
    sarif = json.loads((out / "findings.sarif").read_text())
    assert sarif["version"] == "2.1.0" and {r["tool"]["driver"]["name"] for r in sarif["runs"]} >= {"bandit", "gitleaks"}
    assert "fakeFakeFake" not in (out / "findings.sarif").read_text()  # the secret itself never leaves
    assert json.loads((out / "sbom.cdx.json").read_text())["bomFormat"] == "CycloneDX"
    assert '<testsuite name="quality-gates"' in (out / "gates.junit.xml").read_text()
    assert api(prefect_env, "/artifacts/filter", {"artifacts": {"key": {"any_": ["security-baseline-voxguard"]}}})
    assert (example_copy / "target" / "release" / "detection-engine").is_file()

    # A broken Go test fails the run: only management-api runs again, the others are cache hits.
    test_file = example_copy / "services/management-api/internal/api/api_test.go"
    test_file.write_text(test_file.read_text() + (
        "\nfunc TestDeliberatelyBroken(t *testing.T) {\n\tt.Fatal(\"deliberately broken\")\n}\n"))
    code, broken = run(example_copy, prefect_env)
    assert code == 1 and broken["state"] == "failed"
    steps = {f"{s['stage']}-{s['service']}": s for s in broken["steps"]}
    assert steps["test-management-api"]["status"] == "failed" and not steps["test-management-api"]["cached"]
    others = [s for name, s in steps.items() if s["stage"] != "scan" and not name.endswith("management-api")]
    assert len(others) == 12 and all(s["cached"] for s in others)  # build, test, lint, image of three services
    assert steps["scan-bandit"]["cached"] and steps["scan-cargo-audit"]["cached"]  # scans of untouched services
    failing = gates(broken)["tests"]
    assert failing["verdict"] == "fail"
    assert any("TestDeliberatelyBroken" in line for line in failing["evidence"])
    assert gates(broken)["build"]["verdict"] == "pass"
    assert "failed-test-management-api" in artifacts(prefect_env, broken["flow_run_id"])
    assert api(prefect_env, f"/flow_runs/{broken['flow_run_id']}")["state_type"] == "FAILED"
    test_file.write_text(test_file.read_text().split("\nfunc TestDeliberatelyBroken")[0])

    # Injected security problems fail the gates with their evidence: a new high (shell=True) and a critical
    # advisory in the repository's RustSec database.
    (example_copy / "services/processing-service/src/voxguard/maintenance.py").write_text(
        '"""Maintenance helpers."""\nimport subprocess\n\n\ndef purge(path: str) -> int:\n'
        '    return subprocess.call("rm -rf " + path, shell=True)\n')
    advisory = example_copy / "security/vulndb/rustsec/crates/serde_json/RUSTSEC-2026-9999.md"
    advisory.parent.mkdir(parents=True)
    advisory.write_text('```toml\n[advisory]\nid = "RUSTSEC-2026-9999"\npackage = "serde_json"\n'
                        'date = "2026-12-01"\ncvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"\n'
                        'url = "https://example.invalid/RUSTSEC-2026-9999"\n\n[versions]\npatched = []\n```\n\n'
                        '# Injected critical advisory\n\nFor the integration test.\n')
    code, insecure = run(example_copy, prefect_env)
    assert code == 1, json.dumps(insecure["gates"], indent=1)
    gate = gates(insecure)
    assert gate["tests"]["verdict"] == "pass", gate["tests"]
    assert gate["critical_vulnerabilities"]["verdict"] == "fail"
    assert any("RUSTSEC-2026-9999" in line for line in gate["critical_vulnerabilities"]["evidence"])
    new = [line for line in gate["new_high_vulnerabilities"]["evidence"] if line.startswith("new: ")]
    assert any("maintenance.py" in line for line in new), gate["new_high_vulnerabilities"]
    assert not any("gitleaks" in line for line in new)  # accepted in security/accepted-findings.json
