"""Parsers of SAST, secrets, IaC and DAST reports, against golden files of real tool output.

Each expected number is the one the tool itself printed when it wrote the file, as recorded in
tests/golden/NOTES-security-code.md with the command and the tool's version; none was computed with the
parser.
The ZAP and nuclei samples are built from the tools' published output schemas (they cannot run here).
The `-moved` and `-reformatted` goldens are second runs of the same tool on the same code with blank lines
inserted above the findings, or with whitespace changed in the flagged lines.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from voxguard_ci.core.findings import FindingsReport, Severity
from voxguard_ci.core.parsers.security_code import CODE_FORMATS, sniff_code
from voxguard_ci.errors import ReportError

GOLDEN = Path(__file__).parents[1] / "golden"
GOLDEN_FILES = sorted(
    p.relative_to(GOLDEN).as_posix()
    for p in GOLDEN.glob("*/*")
    if p.is_file() and p.parent.name in CODE_FORMATS
)
# The literal secrets planted in the throwaway inputs the goldens were made from, and the session cookie and
# extracted token in the schema-built DAST samples.
SECRETS = [
    "Tr0ub4dor&3-voxguard",
    "AKIAZ4QXKWJH7V3LMNOP",
    "q8Vb3NcR7tYp2LmZx9WkHd4Jf6Gs1Ae5Ui0OoPqR",
    "Zx9vQ-hunter2-voxguard",
    "zap-evidence-6f1d2c9ab0",
    "nuclei-extracted-9c1e7b44d0",
]


def golden(relative: str) -> str:
    return (GOLDEN / relative).read_text(encoding="utf-8")


def parsed(relative: str) -> FindingsReport:
    format = relative.split("/")[0]
    return CODE_FORMATS[format](golden(relative))


def severities(report: FindingsReport) -> dict[str, int]:
    return dict(Counter(finding.severity.value for finding in report.findings))


def found(report: FindingsReport) -> list[tuple[str, str | None, int | None]]:
    return [(f.rule_id, f.path, f.line) for f in report.findings]


def unscanned(report: FindingsReport) -> list[tuple[str, str]]:
    return [(u.target, u.reason) for u in report.unscanned]


def error_of(format: str, text: str) -> str:
    with pytest.raises(ReportError) as caught:
        CODE_FORMATS[format](text)
    return str(caught.value)


def test_there_are_golden_files_of_every_format():
    assert {relative.split("/")[0] for relative in GOLDEN_FILES} == set(CODE_FORMATS)


# bandit


def test_bandit_reports_what_bandit_counted_and_the_file_it_could_not_parse():
    report = parsed("bandit-json/vuln.json")
    assert report.tool == "bandit"
    assert severities(report) == {"low": 2, "high": 2}  # bandit: Low 2, Medium 0, High 2
    assert found(report) == [
        ("B404", "py/app.py", 2),
        ("B105", "py/app.py", 4),
        ("B602", "py/app.py", 8),
        ("B324", "py/app.py", 12),
    ]
    assert [f.cwe_ids for f in report.findings] == [["CWE-78"], ["CWE-259"], ["CWE-78"], ["CWE-327"]]
    assert unscanned(report) == [("py/broken.py", "syntax error while parsing AST from file")]


def test_bandit_keeps_only_the_flagged_line_of_its_excerpt():
    shell = parsed("bandit-json/vuln.json").findings[2]
    assert shell.snippet.strip() == "return subprocess.call(cmd, shell=True)"
    assert shell.message == "subprocess call with shell=True identified, security issue."


def test_bandit_redacts_a_hard_coded_password_in_message_and_snippet():
    password = parsed("bandit-json/vuln.json").findings[1]
    assert password.message.startswith("Possible hardcoded password: '<redacted sha256:")
    assert password.snippet.startswith('DB_PASSWORD = "<redacted sha256:')


def test_bandit_on_the_example_processing_service():
    report = parsed("bandit-json/processing-service.json")
    assert found(report) == [("B104", "services/processing-service/src/voxguard/worker.py", 133)]
    assert severities(report) == {"medium": 1}
    assert (report.findings[0].cwe_ids, report.unscanned) == (["CWE-605"], [])


# semgrep


def test_semgrep_maps_its_severities_and_lists_its_errors_as_unscanned():
    report = parsed("semgrep-json/vuln.json")
    assert len(report.findings) == 7  # semgrep: "Ran 6 rules on 7 files: 7 findings."
    assert severities(report) == {"high": 4, "medium": 2, "low": 1}  # ERROR ×4, WARNING ×2, INFO ×1
    assert found(report)[:2] == [
        ("tmp.ts-eval", "bad/bad.ts", 2),
        ("tmp.go-weak-crypto-md5", "go/weak/weak.go", 11),
    ]
    shell = next(f for f in report.findings if f.rule_id == "tmp.python-subprocess-shell-true")
    assert (shell.severity, shell.cwe_ids, shell.snippet) == (
        Severity.HIGH,
        ["CWE-78"],
        None,
    )  # "requires login"
    assert unscanned(report) == [
        ("bad/bad.ts", "PartialParsing: Syntax error at line bad/bad.ts:1: `:` was unexpected")
    ]


def test_semgrep_on_the_example_web_package():
    report = parsed("semgrep-json/voxguard.json")
    assert found(report) == [
        ("tmp.ts-inner-html", "packages/web/src/main.ts", 35),
        ("tmp.ts-inner-html", "packages/web/src/main.ts", 39),
    ]
    assert severities(report) == {"low": 2}
    assert report.unscanned == []


# gosec


def test_gosec_reports_its_issues_and_the_packages_it_could_not_type_check():
    report = parsed("gosec-json/vuln.json")
    assert report.tool == "gosec"
    assert len(report.findings) == 4  # gosec Stats: found 4
    assert severities(report) == {"high": 1, "medium": 3}
    assert [(f.rule_id, f.line, f.cwe_ids) for f in report.findings] == [
        ("G101", 20, ["CWE-798"]),
        ("G401", 11, ["CWE-328"]),
        ("G204", 16, ["CWE-78"]),
        ("G501", 4, ["CWE-327"]),
    ]
    assert {f.path for f in report.findings} == {"/tmp/work/go/weak/weak.go"}  # gosec prints absolute paths
    assert report.findings[1].snippet.strip() == 'return fmt.Sprintf("%x", md5.Sum(data))'
    assert unscanned(report) == [
        ("go build", "# command-line-arguments broken/broken.go:4:9: undefined: undefinedName"),
        ("/tmp/work/go/broken/broken.go", "line 4, column 9: undefined: undefinedName"),
    ]


def test_gosec_replaces_the_code_of_a_hard_coded_credential_by_a_redaction():
    credential = parsed("gosec-json/vuln.json").findings[0]
    assert credential.snippet.startswith("<redacted sha256:")
    assert credential.message == "Potential hardcoded credentials"


def test_gosec_on_the_example_management_api_is_clean():
    report = parsed("gosec-json/management-api.json")
    assert (report.findings, report.unscanned) == ([], [])


def test_gosec_leaves_out_a_suppressed_issue():
    data = json.loads(golden("gosec-json/vuln.json"))
    data["Issues"][1]["suppressions"] = [{"kind": "inSource", "justification": "reviewed"}]
    assert [f.rule_id for f in CODE_FORMATS["gosec-json"](json.dumps(data)).findings] == [
        "G101",
        "G204",
        "G501",
    ]


# gitleaks and detect-secrets


def test_gitleaks_leaks_are_high_with_the_secret_redacted():
    report = parsed("gitleaks-json/vuln.json")
    assert found(report) == [
        ("aws-access-token", "config/settings.env", 1),
        ("generic-api-key", "config/settings.env", 2),
    ]  # gitleaks: "leaks found: 2"
    assert severities(report) == {"high": 2}
    aws, generic = report.findings
    assert aws.snippet.startswith("<redacted sha256:") and aws.snippet.endswith(">")
    assert generic.snippet.startswith("AWS_SECRET_ACCESS_KEY=<redacted sha256:")
    assert aws.fingerprint != generic.fingerprint


def test_a_clean_gitleaks_scan_of_the_example():
    assert parsed("gitleaks-json/voxguard-clean.json") == FindingsReport(tool="gitleaks")


def test_detect_secrets_results_carry_only_the_hash_of_the_secret():
    report = parsed("detect-secrets-json/vuln.json")
    assert found(report) == [("AWS Access Key", "config/settings.env", 1), ("Secret Keyword", "py/app.py", 4)]
    assert severities(report) == {"high": 2}
    assert [f.snippet for f in report.findings] == [
        "<redacted sha1:3564040aac52>",
        "<redacted sha1:c1d89811cef2>",
    ]


def test_a_secret_detect_secrets_verified_is_critical():
    data = json.loads(golden("detect-secrets-json/vuln.json"))
    data["results"]["py/app.py"][0]["is_verified"] = True
    report = CODE_FORMATS["detect-secrets-json"](json.dumps(data))
    assert [f.severity for f in report.findings] == [Severity.HIGH, Severity.CRITICAL]


def test_a_clean_detect_secrets_scan_of_the_example():
    assert parsed("detect-secrets-json/voxguard-clean.json") == FindingsReport(tool="detect-secrets")


# checkov


def test_checkov_reads_every_framework_and_maps_a_null_severity_to_medium():
    report = parsed("checkov-json/iac.json")
    assert len(report.findings) == 6  # kubernetes: Failed checks: 4; terraform: Failed checks: 2
    assert severities(report) == {"medium": 6}
    assert [f.rule_id for f in report.findings] == [
        "CKV_K8S_14",
        "CKV_K8S_16",
        "CKV_K8S_23",
        "CKV_K8S_20",
        "CKV2_AWS_6",
        "CKV_AWS_20",
    ]
    privileged = report.findings[1]
    assert (privileged.path, privileged.line) == ("k8s/pod.yaml", 1)
    assert privileged.message == "Container should not be privileged (Pod.default.root-pod)"
    assert "privileged: true" in privileged.snippet
    assert unscanned(report) == [
        ("/tmp/work/iac/tf/broken.tf", "checkov could not parse this file (terraform)")
    ]


def test_checkov_quiet_output_still_counts_the_file_it_could_not_parse():
    report = parsed("checkov-json/iac-quiet.json")
    assert len(report.findings) == 6
    assert unscanned(report) == [
        (
            "terraform",
            "checkov could not parse 1 file(s); the report does not name them (written with --quiet)",
        )
    ]


def test_checkov_on_the_example_dockerfiles():
    report = parsed("checkov-json/voxguard-dockerfile.json")
    assert found(report) == [
        ("CKV_DOCKER_2", "services/detection-engine/Dockerfile", 1),
        ("CKV_DOCKER_2", "services/processing-service/Dockerfile", 1),
        ("CKV_DOCKER_3", "packages/web/Dockerfile", 1),
        ("CKV_DOCKER_2", "services/management-api/Dockerfile", 1),
    ]  # dockerfile: Passed checks: 8, Failed checks: 4
    assert report.unscanned == []


def test_checkov_that_found_nothing_to_check_is_not_a_clean_scan():
    report = parsed("checkov-json/voxguard-deployment-nothing.json")
    assert report.findings == []
    assert unscanned(report) == [("checkov", "checkov found no resources to check")]


def test_checkov_prints_one_document_per_directory_and_all_are_read():
    text = golden("checkov-json/voxguard-dockerfile.json") + "\n" + golden("checkov-json/iac.json")
    report = CODE_FORMATS["checkov-json"](text)
    assert (len(report.findings), len(report.unscanned)) == (10, 1)


def test_checkov_uses_a_severity_when_it_gives_one():
    data = json.loads(golden("checkov-json/voxguard-dockerfile.json"))
    data["results"]["failed_checks"][2]["severity"] = "HIGH"
    report = CODE_FORMATS["checkov-json"](json.dumps(data))
    assert [f.severity.value for f in report.findings] == ["medium", "medium", "high", "medium"]


# SARIF


def test_sarif_from_semgrep_maps_levels_like_semgrep_json_and_keeps_snippets():
    report = parsed("sarif/semgrep-vuln.sarif")
    assert report.tool == "Semgrep OSS"
    assert severities(report) == {"high": 4, "medium": 2, "low": 1}  # error, warning, note
    assert found(report) == found(parsed("semgrep-json/vuln.json"))
    shell = next(f for f in report.findings if f.rule_id == "tmp.python-subprocess-shell-true")
    assert (shell.snippet.strip(), shell.cwe_ids) == ("return subprocess.call(cmd, shell=True)", ["CWE-78"])
    assert report.unscanned == []  # semgrep files its partial parse as a *warning* notification here


def test_sarif_from_gosec_takes_cwe_from_the_taxonomy_and_redacts_the_credential():
    report = parsed("sarif/gosec-vuln.sarif")
    assert report.tool == "gosec"
    assert [(f.rule_id, f.path, f.line, f.cwe_ids) for f in report.findings] == [
        ("G101", "weak/weak.go", 20, ["CWE-798"]),
        ("G401", "weak/weak.go", 11, ["CWE-328"]),
        ("G204", "weak/weak.go", 16, ["CWE-78"]),
        ("G501", "weak/weak.go", 4, ["CWE-327"]),
    ]
    assert severities(report) == {"high": 4}  # every gosec rule has level "error" in its SARIF
    assert report.findings[0].snippet.startswith("<redacted sha256:")


def test_sarif_from_checkov_and_gitleaks():
    checkov = parsed("sarif/checkov-iac.sarif")
    assert (checkov.tool, len(checkov.findings), severities(checkov)) == ("Checkov", 6, {"high": 6})
    gitleaks = parsed("sarif/gitleaks-vuln.sarif")
    assert gitleaks.tool == "gitleaks"
    assert severities(gitleaks) == {"medium": 2}  # no level anywhere: SARIF's default "warning"
    assert all(f.snippet.startswith("<redacted sha256:") for f in gitleaks.findings)


def test_sarif_security_severity_is_read_as_a_cvss_score():
    data = json.loads(golden("sarif/semgrep-vuln.sarif"))
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    next(r for r in rules if r["id"] == "tmp.ts-inner-html")["properties"]["security-severity"] = "9.8"
    next(r for r in rules if r["id"] == "tmp.go-exec-shell")["properties"]["security-severity"] = "3.1"
    report = CODE_FORMATS["sarif"](json.dumps(data))
    assert {f.rule_id: f.severity.value for f in report.findings}["tmp.ts-inner-html"] == "critical"
    assert {f.rule_id: f.severity.value for f in report.findings}["tmp.go-exec-shell"] == "low"


def test_sarif_failed_execution_and_error_notifications_are_unscanned():
    data = json.loads(golden("sarif/semgrep-vuln.sarif"))
    invocation = data["runs"][0]["invocations"][0]
    invocation["executionSuccessful"] = False
    invocation["exitCode"] = 2
    invocation["toolExecutionNotifications"][0]["level"] = "error"
    invocation["toolExecutionNotifications"][0]["locations"] = [
        {"physicalLocation": {"artifactLocation": {"uri": "bad/bad.ts"}}}
    ]
    report = CODE_FORMATS["sarif"](json.dumps(data))
    assert unscanned(report) == [
        ("Semgrep OSS", "the tool did not run successfully (exit code 2)"),
        ("bad/bad.ts", "Syntax error at line bad/bad.ts:1: `:` was unexpected"),
    ]
    assert len(report.findings) == 7


def test_sarif_without_results_or_runs_checked_nothing():
    data = json.loads(golden("sarif/gosec-vuln.sarif"))
    del data["runs"][0]["results"]
    assert unscanned(CODE_FORMATS["sarif"](json.dumps(data))) == [
        ("gosec", "the run has no results: the tool produced none")
    ]
    empty = CODE_FORMATS["sarif"]('{"version": "2.1.0", "runs": []}')
    assert unscanned(empty) == [("sarif", "the log has no runs")]


def test_sarif_results_that_are_not_findings():
    data = json.loads(golden("sarif/checkov-iac.sarif"))
    results = data["runs"][0]["results"]
    results[0]["kind"] = "pass"
    results[1]["suppressions"] = [{"kind": "external", "justification": "accepted risk"}]
    results[2]["baselineState"] = "absent"
    assert len(CODE_FORMATS["sarif"](json.dumps(data)).findings) == 3


# ZAP and nuclei (samples built from the published schemas)


def test_zap_alert_instances_with_risk_codes_mapped():
    report = parsed("zap-json/schema-built.json")
    assert report.tool == "zap"
    assert [(f.rule_id, f.severity.value, f.path) for f in report.findings] == [
        ("40012", "high", "http://localhost:8080/api/v1/rules?q=%3CscrIpt%3Ealert%281%29%3B%3C%2FscRipt%3E"),
        ("10038-1", "medium", "http://localhost:8080/"),
        ("10038-1", "medium", "http://localhost:8080/healthz"),
        ("10010", "low", "http://localhost:8080/login"),
        ("10109", "info", "http://localhost:8080/"),
    ]  # the "False Positive" alert 10036 is left out
    assert report.findings[0].message == "Cross Site Scripting (Reflected) (method GET, parameter q)"
    assert [f.cwe_ids for f in report.findings] == [["CWE-79"], ["CWE-693"], ["CWE-693"], ["CWE-1004"], []]
    assert report.unscanned == []


def test_zap_without_any_site_scanned_nothing():
    report = CODE_FORMATS["zap-json"]('{"@programName": "ZAP", "@version": "2.16.1", "site": []}')
    assert unscanned(report) == [("zap", "the report lists no site")]


def test_nuclei_results_failures_and_non_matches():
    report = parsed("nuclei-jsonl/schema-built.jsonl")
    assert [(f.rule_id, f.severity.value, f.path) for f in report.findings] == [
        ("http-missing-security-headers", "info", "http://localhost:8080"),
        ("CVE-2021-44228", "critical", "http://localhost:8080/api/v1/rules"),
        ("credentials-disclosure", "high", "http://localhost:8080/config.js"),  # unknown, cvss-score 7.5
    ]
    log4j = report.findings[1]
    assert (log4j.cve_ids, log4j.cwe_ids) == (["CVE-2021-44228"], ["CWE-117", "CWE-502"])
    assert report.findings[0].message == "HTTP Missing Security Headers [content-security-policy]"
    assert unscanned(report) == [
        (
            "http://localhost:9090",
            'tech-detect: cause="context deadline exceeded (Client.Timeout exceeded while awaiting headers)"',
        )
    ]


def test_nuclei_json_export_array_reads_the_same():
    lines = golden("nuclei-jsonl/schema-built.jsonl").splitlines()
    array = "[" + ",".join(lines) + "]"
    assert CODE_FORMATS["nuclei-jsonl"](array) == parsed("nuclei-jsonl/schema-built.jsonl")


# Fingerprints: the same finding after the code moved or was reformatted


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("bandit-json/vuln.json", "bandit-json/vuln-moved.json"),
        ("semgrep-json/vuln.json", "semgrep-json/vuln-moved.json"),
        ("gosec-json/vuln.json", "gosec-json/vuln-moved.json"),
        ("gitleaks-json/vuln.json", "gitleaks-json/vuln-moved.json"),
        ("detect-secrets-json/vuln.json", "detect-secrets-json/vuln-moved.json"),
        ("checkov-json/iac.json", "checkov-json/iac-moved.json"),
        ("sarif/semgrep-vuln.sarif", "sarif/semgrep-vuln-moved.sarif"),
    ],
)
def test_a_finding_that_moved_lines_keeps_its_fingerprint(before, after):
    old, new = parsed(before), parsed(after)
    assert sorted(f.line for f in old.findings) != sorted(f.line for f in new.findings)
    assert _fingerprints(old) == _fingerprints(new)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("bandit-json/vuln.json", "bandit-json/vuln-reformatted.json"),
        ("gosec-json/vuln.json", "gosec-json/vuln-reformatted.json"),
        ("sarif/gosec-vuln.sarif", "sarif/gosec-vuln-reformatted.sarif"),
    ],
)
def test_a_finding_whose_whitespace_changed_keeps_its_fingerprint(before, after):
    old, new = parsed(before), parsed(after)
    assert [f.snippet for f in old.findings] != [f.snippet for f in new.findings]
    assert _fingerprints(old) == _fingerprints(new)


def test_findings_in_one_report_have_distinct_fingerprints():
    for relative in ("bandit-json/vuln.json", "gosec-json/vuln.json", "sarif/semgrep-vuln.sarif"):
        report = parsed(relative)
        assert len({f.fingerprint for f in report.findings}) == len(report.findings), relative


def _fingerprints(report: FindingsReport) -> dict[tuple[str, str | None], list[str]]:
    by_rule: dict[tuple[str, str | None], list[str]] = {}
    for finding in report.findings:
        by_rule.setdefault((finding.rule_id, finding.path), []).append(finding.fingerprint)
    return {key: sorted(value) for key, value in by_rule.items()}


# Secrets never reach the model


@pytest.mark.parametrize("relative", GOLDEN_FILES)
def test_no_secret_from_the_inputs_appears_in_any_parsed_field(relative):
    dumped = parsed(relative).model_dump_json()
    assert [secret for secret in SECRETS if secret in dumped] == []


def test_the_secret_test_has_secrets_to_find():
    planted = {s for relative in GOLDEN_FILES for s in SECRETS if s in golden(relative)}
    assert planted == set(SECRETS)


# Broken input


@pytest.mark.parametrize("format", sorted(CODE_FORMATS))
@pytest.mark.parametrize("text", ["", "  \n"])
def test_an_empty_report_is_an_error(format, text):
    error_of(format, text)


@pytest.mark.parametrize("relative", [r for r in GOLDEN_FILES if len(golden(r)) > 20])
def test_a_truncated_report_is_an_error(relative):
    text = golden(relative)
    message = error_of(relative.split("/")[0], text[: len(text) // 2])
    assert "not valid JSON" in message


@pytest.mark.parametrize(
    ("format", "text", "expected"),
    [
        ("sarif", '{"results": []}', "expected a SARIF log (an object with runs), got object"),
        ("sarif", '{"version": "2.0.0", "runs": []}', "expected SARIF version 2.1.0, got '2.0.0'"),
        ("sarif", '{"version": "2.1.0", "runs": [{"tool": {}}]}', "runs[0].tool: missing 'driver'"),
        ("bandit-json", "[]", "expected a bandit JSON report (an object with a results array), got array"),
        ("bandit-json", '{"results": [{"test_id": "B602"}]}', "results[0]: missing 'issue_text'"),
        (
            "semgrep-json",
            '{"results": {}}',
            "expected a semgrep JSON report (an object with a results array)",
        ),
        ("semgrep-json", '{"results": [{"check_id": "x"}]}', "results[0]: missing 'extra'"),
        (
            "gosec-json",
            '{"Golang errors": {}}',
            "expected a gosec JSON report (an object with Issues), got object",
        ),
        (
            "gosec-json",
            '{"Issues": [{"rule_id": "G1", "line": "x"}]}',
            "Issues[0]: 'line' should be a line number",
        ),
        ("gitleaks-json", "{}", "expected a gitleaks JSON report (an array of leaks), got object"),
        (
            "gitleaks-json",
            '[{"RuleID": "r", "Secret": 1}]',
            "item 0: 'Secret' should be a string, got number",
        ),
        ("detect-secrets-json", '{"results": []}', "expected a detect-secrets report"),
        (
            "detect-secrets-json",
            '{"results": {"a": {}}}',
            "results['a']: expected an array of secrets, got object",
        ),
        ("checkov-json", '{"passed": 1}', "report 0: expected a checkov report with check_type and results"),
        ("checkov-json", '[{"check_type": "k8s", "results": []}]', "report 0: 'results' should be an object"),
        ("checkov-json", "42", "report 0: expected a checkov report object, got number"),
        (
            "zap-json",
            '{"alerts": []}',
            "expected a ZAP traditional JSON report (an object with site), got object",
        ),
        (
            "zap-json",
            '{"site": [{"@name": "h", "alerts": [{"riskcode": "5"}]}]}',
            "riskcode should be 0, 1, 2 or 3",
        ),
        ("nuclei-jsonl", '{"info": {}}\n', "line 1: missing 'template-id'"),
        ("nuclei-jsonl", '{"template-id": "t", "info": {}}\n{"template-id": ', "line 2: not valid JSON"),
        ("nuclei-jsonl", "{}", "line 1: missing 'template-id'"),
    ],
)
def test_a_report_of_the_wrong_shape_says_what_was_expected(format, text, expected):
    assert expected in error_of(format, text)


@pytest.mark.parametrize("format", sorted(CODE_FORMATS))
def test_another_tools_report_is_an_error(format):
    other = {
        "sarif": "bandit-json/vuln.json",
        "bandit-json": "semgrep-json/vuln.json",
        "semgrep-json": "bandit-json/vuln.json",
        "gosec-json": "sarif/gosec-vuln.sarif",
        "gitleaks-json": "checkov-json/iac.json",
        "detect-secrets-json": "bandit-json/vuln.json",
        "checkov-json": "gosec-json/vuln.json",
        "zap-json": "nuclei-jsonl/schema-built.jsonl",
        "nuclei-jsonl": "zap-json/schema-built.json",
    }[format]
    error_of(format, golden(other))


# Sniffing


@pytest.mark.parametrize("relative", GOLDEN_FILES)
def test_sniff_code_recognises_every_golden(relative):
    assert sniff_code(golden(relative), str(GOLDEN / relative)) == relative.split("/")[0]


@pytest.mark.parametrize(
    "relative",
    [
        p.relative_to(GOLDEN).as_posix()
        for p in sorted(GOLDEN.glob("*/*"))
        if p.is_file() and p.parent.name not in CODE_FORMATS and p.suffix != ".md"
    ],
)
def test_sniff_code_leaves_the_other_formats_alone(relative):
    assert sniff_code(golden(relative), str(GOLDEN / relative)) is None


def test_sniff_code_needs_the_file_name_only_for_an_empty_array():
    assert sniff_code("[]", "reports/gitleaks.json") == "gitleaks-json"
    assert sniff_code("[]", "reports/eslint.json") is None
    assert sniff_code("", "gitleaks.json") is None


def test_sniff_code_reads_several_documents():
    checkov = golden("checkov-json/voxguard-dockerfile.json") + golden("checkov-json/iac.json")
    assert sniff_code(checkov, "out.json") == "checkov-json"
    assert sniff_code(golden("nuclei-jsonl/schema-built.jsonl"), "out.txt") == "nuclei-jsonl"
    assert sniff_code('{"Action": "pass"}\n{"Action": "pass"}\n', "go.json") is None
