"""Scanners that crash, time out, print nothing or cannot scan fail the run with their reasons: never clean."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

CLEAN_BANDIT = '{"results": [], "errors": [], "metrics": {}}'
BLIND_PIP_AUDIT = json.dumps({"dependencies": [{"name": "phonenumbers", "version": "9.0.43",
                                                "skip_reason": "Dependency not found on PyPI and could not be audited"}],
                              "fixes": []})


def scanner(name: str, code: str, report: str, fmt: str, extra: str = "") -> str:
    return (f"    - name: {name}\n      kind: sast\n{extra}      commands:\n"
            f"        - [python3, -c, {json.dumps(code)}]\n"
            f"      report: {{format: {fmt}, path: {report}}}\n")


def write(path: str, text: str) -> str:
    return f"import pathlib; p = pathlib.Path({path!r}); p.parent.mkdir(exist_ok=True); p.write_text({text!r})"


def test_scanners_that_could_not_scan_fail_the_run_with_their_reasons(tmp_path, prefect_env):
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "app.py").write_text(f"print('{tmp_path.name}')\n")
    config = ("services:\n  - name: app\n    language: python\n    paths: ['src/**']\n"
              "    toolchain: [python3, --version]\n"
              "    test:\n      commands: [[python3, src/app.py]]\n"
              "security:\n  scanners:\n")
    config += scanner("crashes", "import sys; sys.exit(2)", "out/crash.json", "bandit-json")
    config += scanner("silent", write("out/silent.json", ""), "out/silent.json", "bandit-json")
    config += scanner("hangs", "import time; time.sleep(30)", "out/hang.json", "bandit-json", "      timeout: 1\n")
    config += scanner("blind", write("out/blind.json", BLIND_PIP_AUDIT), "out/blind.json", "pip-audit-json")
    config += scanner("clean", write("out/clean.json", CLEAN_BANDIT), "out/clean.json", "bandit-json")
    config += scanner("optional", "import sys; sys.exit(1)", "out/optional.json", "bandit-json",
                      "      required: false\n")
    (repo / "voxguard-ci.yaml").write_text(config)

    proc = subprocess.run([sys.executable, "-m", "voxguard_ci", "run", str(repo), "--json"], env=prefect_env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    scans = {s["scanner"]: s for s in result["security"]}
    assert scans["clean"]["status"] == "scanned"
    assert scans["crashes"]["status"] == "failed" and scans["crashes"]["reason"] == "crashes: python3: exited with code 2"
    assert scans["silent"]["reason"] == "silent: out/silent.json: empty report"
    assert scans["hangs"]["reason"].startswith("hangs: python3: timed out after 1 s")
    assert scans["blind"]["reason"].startswith("blind: 1 item could not be scanned (Dependency not found on PyPI")
    assert scans["optional"]["status"] == "not_run"
    gates = {g["gate"]: g for g in result["gates"]}
    assert gates["security_scans"]["verdict"] == "fail" and gates["security_scans"]["value"] == "1/6 scanned"
    assert gates["critical_vulnerabilities"]["verdict"] == "fail"
    assert gates["tests"]["verdict"] == "pass"
    assert result["stages"]["security"] == "failed"
