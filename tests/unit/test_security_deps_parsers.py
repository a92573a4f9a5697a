"""Dependency-scan and SBOM parsers against golden files of real tool output, and against broken input.

Each expected number is what the tool itself printed when it wrote the file, as recorded in
tests/golden/NOTES-security-deps.md next to the command and the tool's version.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voxguard_ci.core.findings import Severity
from voxguard_ci.core.parsers import (
    cargo_audit_json,
    cyclonedx_json,
    govulncheck_json,
    npm_audit_json,
    pip_audit_json,
    pnpm_audit_json,
    spdx_json,
    trivy_json,
)
from voxguard_ci.core.parsers._deps import cvss3_score, lowest_fix
from voxguard_ci.core.parsers.security_deps import DEPENDENCY_FORMATS, sniff_deps
from voxguard_ci.errors import ReportError

GOLDEN = Path(__file__).parents[1] / "golden"
FORMATS = sorted(DEPENDENCY_FORMATS)


def text(relative: str) -> str:
    return (GOLDEN / relative).read_text(encoding="utf-8")


def data(relative: str):
    return json.loads(text(relative))


def summary(findings) -> list[tuple]:
    return sorted((f.rule_id, f.severity.value, f.package, f.version, f.fixed_version) for f in findings)


# govulncheck


def test_govulncheck_local_db_gives_one_finding_per_vulnerability_at_the_deepest_level():
    # govulncheck printed: "Your code is affected by 1 vulnerability from 1 module. This scan also found 1
    # vulnerability in packages you import and 1 vulnerability in modules you require".
    report = govulncheck_json.parse(text("govulncheck-json/voxguard-localdb.json"))
    assert report.tool == "govulncheck"
    assert report.unscanned == []
    assert summary(report.findings) == [
        ("GO-2000-0001", "high", "github.com/prometheus/client_golang", "v1.25.0", "v1.99.0"),
        ("GO-2000-0002", "medium", "github.com/prometheus/common", "v0.72.0", "v0.99.0"),
        ("GO-2000-0003", "low", "golang.org/x/sys", "v0.48.0", "v0.99.0"),
    ]
    called = report.findings[0]
    # "#1: services/management-api/internal/api/api.go:30:38: api.New calls prometheus.NewCounterVec"
    assert (called.path, called.line) == ("services/management-api/internal/api/api.go", 30)
    assert "prometheus.NewCounterVec" in called.message
    assert called.cve_ids == ["CVE-2000-0001"]
    assert report.findings[1].path is None


def test_govulncheck_that_could_not_reach_its_database_is_unscanned_not_clean():
    report = govulncheck_json.parse(text("govulncheck-json/voxguard-db-unreachable.json"))
    assert report.findings == []
    (unscanned,) = report.unscanned
    assert unscanned.target == "go module github.com/voxguard/voxguard"
    assert "did not read its vulnerability database (https://vuln.go.dev)" in unscanned.reason
    assert "Fetching vulnerabilities from the database..." in unscanned.reason


def messages(relative: str) -> list[dict]:
    decoder, source, position, out = json.JSONDecoder(), text(relative), 0, []
    while position < len(source):
        while position < len(source) and source[position].isspace():
            position += 1
        if position < len(source):
            message, position = decoder.raw_decode(source, position)
            out.append(message)
    return out


def stream(items: list[dict]) -> str:
    return "\n".join(json.dumps(item, indent=2) for item in items)


def test_govulncheck_stream_without_config_is_unscanned():
    items = [m for m in messages("govulncheck-json/voxguard-db-unreachable.json") if "config" not in m]
    (unscanned,) = govulncheck_json.parse(stream(items)).unscanned
    assert "no config message" in unscanned.reason


def test_govulncheck_checking_progress_without_db_timestamp_still_counts_as_read():
    items = messages("govulncheck-json/voxguard-db-unreachable.json")
    items.append({"progress": {"message": "Checking the code against the vulnerabilities..."}})
    report = govulncheck_json.parse(stream(items))
    assert report.unscanned == [] and report.findings == []


def test_govulncheck_module_level_scan_cannot_rule_out_a_call():
    items = messages("govulncheck-json/voxguard-localdb.json")
    items[0]["config"]["scan_level"] = "module"
    items = [m for m in items if "finding" not in m or len(m["finding"]["trace"][0]) <= 2]
    report = govulncheck_json.parse(stream(items))
    assert {f.severity for f in report.findings} == {Severity.HIGH}


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("", "empty govulncheck stream"),
        ('{"config": {"protocol_version": "v1.0.0"}}\n{"progress": {', "after 1 complete messages"),
        ("[1, 2]", "expected a govulncheck message"),
        ('{"vulnerabilities": {}}', "expected a govulncheck message"),
        ('{"finding": {"osv": "GO-1", "trace": []}}', "'trace' should be a non-empty array"),
        ('{"osv": {"summary": "no id"}}', "missing 'id'"),
    ],
)
def test_govulncheck_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason.replace("[", r"\[").replace("(", r"\(")):
        govulncheck_json.parse(broken)


def test_govulncheck_truncated_golden():
    source = text("govulncheck-json/voxguard-localdb.json")
    with pytest.raises(ReportError, match="not a valid govulncheck JSON stream at line"):
        govulncheck_json.parse(source[: len(source) // 2])


# cargo-audit


def test_cargo_audit_local_db():
    # cargo-audit printed "error: 2 vulnerabilities found!" (memchr, serde_json "Severity: 7.5 (high)") and
    # "warning: 1 allowed warning found" (zmij unmaintained).
    report = cargo_audit_json.parse(text("cargo-audit-json/voxguard-localdb.json"))
    assert report.tool == "cargo-audit"
    assert report.unscanned == []
    assert summary(report.findings) == [
        ("RUSTSEC-2000-0001", "high", "serde_json", "1.0.154", "1.0.999"),  # CVSS 7.5
        ("RUSTSEC-2000-0002", "high", "memchr", "2.8.3", "2.9.0"),  # no CVSS: unrated → high
        ("RUSTSEC-2000-0003", "low", "zmij", "1.0.23", None),  # unmaintained warning
    ]
    serde = next(f for f in report.findings if f.package == "serde_json")
    assert serde.cve_ids == ["CVE-2000-0101"]
    assert next(f for f in report.findings if f.package == "zmij").message.startswith("unmaintained: ")


def test_cargo_audit_prints_nothing_when_its_database_is_unreachable():
    # cargo-audit 0.22.2 without network: exit 1, stdout empty (NOTES-security-deps.md); never clean.
    with pytest.raises(ReportError, match="not valid JSON"):
        cargo_audit_json.parse("")


def test_cargo_audit_with_an_empty_database_checked_nothing():
    report = data("cargo-audit-json/voxguard-localdb.json")
    report["database"]["advisory-count"] = 0
    report["vulnerabilities"] = {"found": False, "count": 0, "list": []}
    report["warnings"] = {}
    parsed = cargo_audit_json.parse(json.dumps(report))
    assert parsed.findings == []
    assert [u.reason for u in parsed.unscanned] == ["the advisory database had no advisories"]


def test_cargo_audit_yanked_warning_without_advisory():
    report = data("cargo-audit-json/voxguard-localdb.json")
    package = report["vulnerabilities"]["list"][0]["package"]
    report["warnings"] = {"yanked": [{"kind": "yanked", "package": package, "advisory": None}]}
    (yanked,) = [f for f in cargo_audit_json.parse(json.dumps(report)).findings if f.rule_id == "yanked"]
    assert (yanked.severity, yanked.package, yanked.message) == (
        Severity.LOW,
        "memchr",
        "yanked: memchr 2.8.3 is yanked",
    )


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected a cargo-audit JSON report"),
        ('{"database": {}}', "expected a cargo-audit JSON report"),
        ('{"vulnerabilities": {"found": false}}', "missing 'list'"),
        (
            '{"vulnerabilities": {"list": [{"package": {}}]}}',
            r"vulnerabilities.list\[0\]: missing 'advisory'",
        ),
        ('{"vulnerabilities": {"list": []}, "warnings": []}', "'warnings' should be an object"),
        ('{"vulnerabilities": {"list": []', "not valid JSON at line 1"),
    ],
)
def test_cargo_audit_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        cargo_audit_json.parse(broken)


# pip-audit


def test_pip_audit_that_skipped_everything_is_all_unscanned():
    # pip-audit exited 0 and printed "No known vulnerabilities found" for this report.
    report = pip_audit_json.parse(text("pip-audit-json/vulnerable-pins-pypi-unreachable.json"))
    assert report.findings == []
    assert [u.target for u in report.unscanned] == ["urllib3", "jinja2", "markupsafe"]
    assert (
        report.unscanned[0].reason
        == "Dependency not found on PyPI and could not be audited: urllib3 (1.26.4)"
    )


def test_pip_audit_on_the_example_requirements_audited_nothing():
    report = pip_audit_json.parse(text("pip-audit-json/voxguard-pypi-unreachable.json"))
    assert (report.findings, [u.target for u in report.unscanned]) == ([], ["phonenumbers"])


def test_pip_audit_osv_findings():
    # pip-audit printed "Found 2 known vulnerabilities in 2 packages": urllib3 PYSEC-2021-108 fix 1.26.5,
    # jinja2 PYSEC-2021-66 fix 2.11.3.
    report = pip_audit_json.parse(text("pip-audit-json/vulnerable-pins-osv-standin.json"))
    assert report.unscanned == []
    assert summary(report.findings) == [
        ("PYSEC-2021-108", "high", "urllib3", "1.26.4", "1.26.5"),
        ("PYSEC-2021-66", "high", "jinja2", "2.11.2", "2.11.3"),
    ]
    assert sorted(f.cve_ids[0] for f in report.findings) == ["CVE-2020-28493", "CVE-2021-33503"]


def test_pip_audit_findings_and_a_skip_together():
    # "Found 1 known vulnerability in 1 package"; the editable package was skipped.
    report = pip_audit_json.parse(text("pip-audit-json/env-editable-osv-standin.json"))
    assert summary(report.findings) == [("PYSEC-2021-108", "high", "urllib3", "1.26.4", "1.26.5")]
    assert [(u.target, u.reason) for u in report.unscanned] == [
        ("voxguard-localpkg", "distribution marked as editable")
    ]


def test_pip_audit_with_no_dependencies_audited_nothing():
    (unscanned,) = pip_audit_json.parse('{"dependencies": [], "fixes": []}').unscanned
    assert "nothing was audited" in unscanned.reason


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected a pip-audit JSON report"),
        ('{"fixes": []}', "expected a pip-audit JSON report"),
        ('{"dependencies": [{"version": "1"}]}', r"dependencies\[0\]: missing 'name'"),
        ('{"dependencies": [{"name": "a", "version": "1"}]}', r"dependencies\[0\]: missing 'vulns'"),
        ('{"dependencies": [{"name": "a", "version": "1", "vulns": [{}]}]}', r"vulns\[0\]: missing 'id'"),
        ('{"dependencies": [{"name": "a"', "not valid JSON"),
    ],
)
def test_pip_audit_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        pip_audit_json.parse(broken)


# npm audit


def test_npm_audit_findings_one_per_advisory():
    # npm printed "3 vulnerabilities (1 high, 2 critical)": lodash (high, 3 advisories), minimist (critical,
    # 2 advisories) and mkdirp (critical, "Depends on vulnerable versions of minimist").
    report = npm_audit_json.parse(text("npm-audit-json/lodash-minimist-standin.json"))
    assert report.unscanned == []
    assert summary(report.findings) == [
        ("GHSA-29mw-wpgm-hmr9", "medium", "lodash", None, "4.18.1"),
        ("GHSA-35jh-r3h4-6jhm", "high", "lodash", None, "4.18.1"),
        ("GHSA-p6mc-m468-83gw", "high", "lodash", None, "4.18.1"),
        ("GHSA-vh95-rmgr-6w4m", "medium", "minimist", None, None),  # npm's fix is an update of mkdirp
        ("GHSA-xvch-5gv4-984h", "critical", "minimist", None, None),
    ]
    worst = {}
    for finding in report.findings:
        worst[finding.package] = max(
            worst.get(finding.package, Severity.INFO), finding.severity, key=lambda s: s.rank
        )
    assert worst == {"lodash": Severity.HIGH, "minimist": Severity.CRITICAL}
    assert "CWE-1321" in next(f for f in report.findings if f.rule_id == "GHSA-p6mc-m468-83gw").cwe_ids


def test_npm_audit_405_from_a_registry_without_the_audit_endpoint_is_unscanned():
    report = npm_audit_json.parse(text("npm-audit-json/registry-405.json"))
    assert report.findings == []
    (unscanned,) = report.unscanned
    assert unscanned.reason == (
        "npm audit failed: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
    )


def test_npm_audit_without_a_lockfile_is_unscanned():
    (unscanned,) = npm_audit_json.parse(text("npm-audit-json/no-lockfile.json")).unscanned
    assert unscanned.reason == "audit failed: ENOLOCK: This command requires an existing lockfile."


def test_npm_audit_clean_report_is_clean():
    report = npm_audit_json.parse(text("npm-audit-json/clean-standin.json"))
    assert (report.findings, report.unscanned) == ([], [])


def test_npm_audit_with_no_dependencies_checked_nothing():
    report = data("npm-audit-json/clean-standin.json")
    report["metadata"]["dependencies"]["total"] = 0
    (unscanned,) = npm_audit_json.parse(json.dumps(report)).unscanned
    assert unscanned.reason == "npm audit checked no dependencies"


def test_npm_6_report_is_read_like_pnpm():
    report = npm_audit_json.parse(text("pnpm-audit-json/lodash-minimist-standin.json"))
    assert report.tool == "npm-audit"
    assert len(report.findings) == 7


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected an npm audit JSON report"),
        ("{}", "got an empty object"),
        ('{"auditReportVersion": 2}', "with a vulnerabilities object"),
        ('{"vulnerabilities": {"a": {"name": "a"}}}', r"vulnerabilities\['a'\]: missing 'via'"),
        (
            '{"vulnerabilities": {"a": {"via": [3]}}}',
            r"via\[0\]: expected an advisory object or a package name",
        ),
        ('{"vulnerabilities": {"a": {"via": [{"title": "t"}]}}}', "needs a url or a source id"),
        ('{"auditReportVersion": 2, "vulnerabilities": {', "not valid JSON"),
    ],
)
def test_npm_audit_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        npm_audit_json.parse(broken)


# pnpm audit


def test_pnpm_audit_findings_one_per_advisory_and_version():
    # pnpm printed "5 vulnerabilities found / Severity: 2 moderate | 2 high | 1 critical"; the two minimist
    # advisories were each found at two versions (1.2.0 direct, 0.0.8 under mkdirp).
    report = pnpm_audit_json.parse(text("pnpm-audit-json/lodash-minimist-standin.json"))
    assert len({f.rule_id for f in report.findings}) == 5
    assert sorted(f.severity.value for f in {f.rule_id: f for f in report.findings}.values()) == [
        "critical",
        "high",
        "high",
        "medium",
        "medium",
    ]
    assert summary(report.findings) == [
        ("GHSA-29mw-wpgm-hmr9", "medium", "lodash", "4.17.15", "4.17.21"),
        ("GHSA-35jh-r3h4-6jhm", "high", "lodash", "4.17.15", "4.17.21"),
        ("GHSA-p6mc-m468-83gw", "high", "lodash", "4.17.15", "4.17.19"),
        ("GHSA-vh95-rmgr-6w4m", "medium", "minimist", "0.0.8", "1.2.3"),
        ("GHSA-vh95-rmgr-6w4m", "medium", "minimist", "1.2.0", "1.2.3"),
        ("GHSA-xvch-5gv4-984h", "critical", "minimist", "0.0.8", "1.2.6"),
        ("GHSA-xvch-5gv4-984h", "critical", "minimist", "1.2.0", "1.2.6"),
    ]
    assert next(f for f in report.findings if f.package == "lodash").cve_ids
    assert len({f.fingerprint for f in report.findings}) == 7


def test_pnpm_audit_405_on_the_example_is_unscanned():
    report = pnpm_audit_json.parse(text("pnpm-audit-json/voxguard-registry-405.json"))
    assert report.findings == []
    (unscanned,) = report.unscanned
    assert unscanned.target == "pnpm dependencies"
    assert unscanned.reason.startswith("audit failed: ERR_PNPM_AUDIT_BAD_RESPONSE: The audit endpoint")
    assert "responded with 405" in unscanned.reason


def test_pnpm_audit_clean_example():
    # pnpm printed "No known vulnerabilities found" (246 dependencies audited).
    report = pnpm_audit_json.parse(text("pnpm-audit-json/voxguard-clean-standin.json"))
    assert (report.findings, report.unscanned) == ([], [])


def test_pnpm_audit_endpoint_missing_is_unscanned():
    error = {
        "error": {
            "code": "ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS",
            "message": "The audit endpoint (at x) is doesn't exist.",
        }
    }
    (unscanned,) = pnpm_audit_json.parse(json.dumps(error)).unscanned
    assert "ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS" in unscanned.reason


def test_pnpm_audit_of_no_dependencies_checked_nothing():
    report = data("pnpm-audit-json/voxguard-clean-standin.json")
    report["metadata"].update(dependencies=0, devDependencies=0, totalDependencies=0)
    assert (
        pnpm_audit_json.parse(json.dumps(report)).unscanned[0].reason == "the audit checked no dependencies"
    )


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected a pnpm audit JSON report"),
        ('{"metadata": {}}', "with an advisories object"),
        ('{"advisories": {"1": {"title": "x"}}}', r"advisories\['1'\]: missing 'module_name'"),
        ('{"advisories": {"1": []}}', "expected an object, got array"),
        ('{"advisories": ', "not valid JSON"),
    ],
)
def test_pnpm_audit_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        pnpm_audit_json.parse(broken)


# trivy


def test_trivy_image_os_packages():
    # trivy printed for the image's OS target "Total: 2 (LOW: 1, MEDIUM: 1)": busybox, musl.
    report = trivy_json.parse(text("trivy-json/image-alpine-localdb.json"))
    assert report.unscanned == []
    assert summary(report.findings) == [
        ("CVE-2000-0301", "medium", "musl", "1.2.4_git20230717-r4", "1.2.4_git20230717-r5"),
        ("CVE-2000-0302", "low", "busybox", "1.36.1-r15", "1.36.1-r16"),
    ]
    assert {f.path for f in report.findings} == {"/tmp/alpine-test.tar (alpine 3.19.1)"}


def test_trivy_filesystem_vulnerabilities_and_misconfigurations():
    # trivy printed: Cargo.lock "Total: 1 (HIGH: 1)", go.mod "Total: 1 (CRITICAL: 1)", requirements.txt
    # "Total: 1 (UNKNOWN: 1)"; misconfigurations: the Helm deployment "Failures: 6 (LOW: 3, MEDIUM: 3)",
    # packages/web/Dockerfile "Failures: 1 (HIGH: 1)", the three service Dockerfiles "Failures: 1 (LOW: 1)".
    report = trivy_json.parse(text("trivy-json/fs-voxguard-localdb.json"))
    assert report.unscanned == []
    assert summary(f for f in report.findings if f.package) == [
        ("CVE-2000-0001", "critical", "github.com/prometheus/client_golang", "v1.25.0", "v1.99.0"),
        ("CVE-2000-0101", "high", "serde_json", "1.0.154", "1.0.999"),  # FixedVersion ">= 1.0.999"
        ("CVE-2000-0201", "high", "phonenumbers", "9.0.43", "9.0.99"),  # UNKNOWN, no CVSS: unrated → high
    ]
    misconfigurations = sorted(
        (f.rule_id, f.severity.value, f.path, f.line) for f in report.findings if not f.package
    )
    helm = "deployment/helm/voxguard/templates/deployment.yaml"
    assert misconfigurations == sorted(
        [("KSV-0110", "low", helm, 4)] * 3
        + [("KSV-0125", "medium", helm, 52)] * 3
        + [("DS-0002", "high", "packages/web/Dockerfile", None)]
        + [
            ("DS-0026", "low", f"services/{s}/Dockerfile", None)
            for s in ("detection-engine", "management-api", "processing-service")
        ]
    )
    assert len({f.fingerprint for f in report.findings}) == len(report.findings)


def test_trivy_with_nothing_to_scan_is_unscanned():
    report = trivy_json.parse(text("trivy-json/fs-nothing-to-scan.json"))
    assert report.findings == []
    (unscanned,) = report.unscanned
    assert (unscanned.target, unscanned.reason) == (
        "/tmp/tclean/empty",
        "trivy found nothing it could scan in this filesystem (no Results)",
    )


def test_trivy_prints_nothing_when_its_database_is_unreachable():
    # trivy 0.74.0 without network or --skip-db-update: exit 1, stdout empty (NOTES-security-deps.md).
    with pytest.raises(ReportError, match="not valid JSON"):
        trivy_json.parse("")


def test_trivy_unknown_severity_uses_cvss_or_counts_as_high():
    report = data("trivy-json/image-alpine-localdb.json")
    vulns = report["Results"][0]["Vulnerabilities"]
    vulns[0]["Severity"] = "UNKNOWN"
    vulns[0]["CVSS"] = {"nvd": {"V3Score": 9.1}}
    vulns[1]["Severity"] = "UNKNOWN"
    vulns[1].pop("CVSS", None)
    findings = trivy_json.parse(json.dumps(report)).findings
    assert (findings[0].severity, findings[1].severity) == (Severity.CRITICAL, Severity.HIGH)


def test_trivy_passed_misconfigurations_are_not_findings():
    report = data("trivy-json/fs-voxguard-localdb.json")
    misconf = next(r for r in report["Results"] if r.get("Misconfigurations"))["Misconfigurations"]
    before = len(trivy_json.parse(json.dumps(report)).findings)
    misconf.append({**misconf[0], "Status": "PASS"})
    assert len(trivy_json.parse(json.dumps(report)).findings) == before


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected a trivy JSON report"),
        ('{"Results": []}', "expected a trivy JSON report"),
        ('{"SchemaVersion": 1, "Results": []}', "unsupported trivy SchemaVersion 1"),
        ('{"SchemaVersion": 2, "Results": {}}', "Results should be an array"),
        ('{"SchemaVersion": 2, "Results": [{"Class": "os-pkgs"}]}', r"Results\[0\]: missing 'Target'"),
        (
            '{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": [{"PkgName": "p"}]}]}',
            "missing 'VulnerabilityID'",
        ),
        ('{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": {}}]}', "should be an array"),
        ('{"SchemaVersion": 2, "Results": [', "not valid JSON"),
    ],
)
def test_trivy_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        trivy_json.parse(broken)


# CycloneDX

BOM = '{"bomFormat": "CycloneDX", "specVersion": "1.6", '

NPM_COMPONENTS = [
    ("gpl-thing", "1.0.0", ["GPL-3.0-or-later"], None),
    ("lodash", "4.17.15", ["MIT"], None),
    ("minimist", "1.2.0", ["MIT"], None),
    ("mkdirp", "0.5.1", ["MIT"], None),
    ("minimist", "0.0.8", ["MIT"], None),  # nested under mkdirp's node_modules
    ("nolicense-thing", "0.0.1", [], None),
    ("odd-thing", "2.1.0", ["Custom: see LICENSE.txt"], None),
    ("type-fest", "0.20.2", ["(MIT OR CC0-1.0)"], "excluded"),  # a devDependency
]


@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_npm_every_spec_version(spec):
    report = cyclonedx_json.parse(text(f"cyclonedx-json/npm-{spec}.json"))
    assert report.format == f"cyclonedx-{spec}"
    assert [(c.name, c.version, c.licenses, c.scope) for c in report.components] == NPM_COMPONENTS
    assert report.components[1].purl == "pkg:npm/lodash@4.17.15"
    assert "npmsbom" not in {c.name for c in report.components}  # metadata.component, the project itself


def test_cyclonedx_python_environment():
    report = cyclonedx_json.parse(text("cyclonedx-json/python-env-1.6.json"))
    licenses = {c.name: c.licenses for c in report.components}
    assert licenses["phonenumbers"] == ["Apache-2.0"]
    assert licenses["Jinja2"] == ["BSD-3-Clause", "License :: OSI Approved :: BSD License"]
    assert licenses["html2text"] == ["License :: OSI Approved :: GNU General Public License (GPL)"]
    assert {c.name: c.purl for c in report.components}["Jinja2"] == "pkg:pypi/jinja2@2.11.2"


def test_cyclonedx_group_and_stated_scope():
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {
                "name": "node",
                "group": "@types",
                "version": "20.0.0",
                "scope": "optional",
                "purl": "pkg:npm/%40types/node@20.0.0",
            },
            {
                "name": "commons-io",
                "group": "commons-io",
                "version": "2.6",
                "purl": "pkg:maven/commons-io/commons-io@2.6",
                "components": [{"name": "inner", "licenses": [{"license": {"id": "MIT"}}]}],
            },
        ],
    }
    report = cyclonedx_json.parse(json.dumps(bom))
    assert [(c.name, c.scope, c.licenses) for c in report.components] == [
        ("@types/node", "optional", []),
        ("commons-io:commons-io", None, []),
        ("inner", None, ["MIT"]),
    ]


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected a CycloneDX JSON BOM"),
        ('{"spdxVersion": "SPDX-2.3"}', "expected a CycloneDX JSON BOM"),
        ('{"bomFormat": "CycloneDX", "specVersion": "2.0"}', "unsupported CycloneDX specVersion '2.0'"),
        (
            BOM + '"components": {}}',
            "components should be an array",
        ),
        (
            BOM + '"components": [{"version": "1"}]}',
            r"components\[0\]: missing 'name'",
        ),
        (
            BOM + '"components": [{"name": "a", "licenses": [1]}]}',
            r"licenses\[0\]: expected an object, got number",
        ),
        (
            BOM + '"components": [{"name": "a", "components": [2]}]}',
            r"components\[0\].components\[0\]: expected an object",
        ),
        (
            BOM + '"components": [{"name": "a", "licenses": [{}]}]}',
            "expected license.id, license.name or expression",
        ),
        (BOM + '"components": [', "not valid JSON"),
    ],
)
def test_cyclonedx_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        cyclonedx_json.parse(broken)


# SPDX


def test_spdx_npm_sbom():
    report = spdx_json.parse(text("spdx-json/npm-sbom-2.3.json"))
    assert report.format == "spdx-2.3"
    assert [(c.name, c.version, c.licenses, c.scope) for c in report.components] == NPM_COMPONENTS
    assert report.components[1].purl == "pkg:npm/lodash@4.17.15"


def test_spdx_concluded_wins_and_noassertion_is_no_license():
    document = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "packages": [
            {"SPDXID": "SPDXRef-root", "name": "root"},
            {"SPDXID": "SPDXRef-a", "name": "a", "licenseConcluded": "Apache-2.0", "licenseDeclared": "MIT"},
            {
                "SPDXID": "SPDXRef-b",
                "name": "b",
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "GPL-2.0-only",
            },
            {
                "SPDXID": "SPDXRef-c",
                "name": "c",
                "licenseConcluded": "NONE",
                "licenseDeclared": "NOASSERTION",
                "versionInfo": "NOASSERTION",
            },
            {
                "SPDXID": "SPDXRef-d",
                "name": "d",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE_MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:pypi/d@1",
                    }
                ],
            },
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-root",
            },
            {
                "spdxElementId": "SPDXRef-d",
                "relationshipType": "OPTIONAL_DEPENDENCY_OF",
                "relatedSpdxElement": "SPDXRef-root",
            },
        ],
    }
    report = spdx_json.parse(json.dumps(document))
    assert [(c.name, c.version, c.licenses, c.purl, c.scope) for c in report.components] == [
        ("a", None, ["Apache-2.0"], None, None),
        ("b", None, ["GPL-2.0-only"], None, None),
        ("c", None, [], None, None),
        ("d", None, [], "pkg:pypi/d@1", "optional"),
    ]


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[]", "expected an SPDX JSON document"),
        ('{"bomFormat": "CycloneDX"}', "expected an SPDX JSON document"),
        ('{"spdxVersion": "SPDX-3.0"}', "unsupported SPDX-3.0"),
        ('{"spdxVersion": "SPDX-2.3", "packages": {}}', "packages should be an array"),
        ('{"spdxVersion": "SPDX-2.3", "packages": [{"name": "a"}]}', r"packages\[0\]: missing 'SPDXID'"),
        (
            '{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "x", "name": "a", "externalRefs": {}}]}',
            "externalRefs should be an array",
        ),
        ('{"spdxVersion": "SPDX-2.3", "packages": [', "not valid JSON"),
    ],
)
def test_spdx_malformed(broken, reason):
    with pytest.raises(ReportError, match=reason):
        spdx_json.parse(broken)


# Every golden: sniffed as its own format, parsed by the registry's function; empty input is an error.


GOLDENS = sorted(
    path.relative_to(GOLDEN).as_posix() for format in FORMATS for path in (GOLDEN / format).glob("*.json")
)


@pytest.mark.parametrize("relative", GOLDENS)
def test_sniff_deps_recognises_every_golden(relative):
    assert sniff_deps(text(relative), relative) == relative.split("/")[0]


@pytest.mark.parametrize("relative", GOLDENS)
def test_registry_parses_every_golden_into_its_kind(relative):
    kind, parse = DEPENDENCY_FORMATS[relative.split("/")[0]]
    report = parse(text(relative))
    assert hasattr(report, "findings" if kind == "findings" else "components")


@pytest.mark.parametrize("relative", GOLDENS)
def test_every_golden_cut_in_half_is_an_error(relative):
    _, parse = DEPENDENCY_FORMATS[relative.split("/")[0]]
    source = text(relative)
    with pytest.raises(ReportError, match=r"not (a )?valid"):
        parse(source[: len(source) // 2])


@pytest.mark.parametrize(
    "other",
    [
        "",
        "plain text",
        "[]",
        '[{"filePath": "a", "messages": []}]',
        '{"total": {"lines": {}}}',
        "{not json",
        '{"runs": [], "version": "2.1.0"}',
    ],
)
def test_sniff_deps_leaves_other_formats_alone(other):
    assert sniff_deps(other, "report.json") is None


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("empty", ["", "   \n", "{}", "null"])
def test_empty_or_blank_reports_are_errors(format, empty):
    _, parse = DEPENDENCY_FORMATS[format]
    with pytest.raises(ReportError):
        parse(empty)


# helpers


@pytest.mark.parametrize(
    ("vector", "score"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4),
        ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None),
        ("CVSS:3.1/AV:N", None),
        (None, None),
    ],
)
def test_cvss3_base_score(vector, score):
    assert cvss3_score(vector) == score


@pytest.mark.parametrize(
    ("patched", "installed", "fix"),
    [
        ([">=4.17.19"], None, "4.17.19"),
        (["<0.0.0"], None, None),
        ([">= 1.2.3, < 2.0", ">= 2.1"], "2.0.5", "2.1"),
        (["2.0.7", "1.26.5"], "1.26.4", "1.26.5"),
        (["^1.0.999"], "1.0.154", "1.0.999"),
        ([], "1.0", None),
    ],
)
def test_lowest_fix(patched, installed, fix):
    assert lowest_fix(patched, installed) == fix
