"""Reading what the steps left (test, coverage and lint reports) into gate evidence."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from voxguard_ci.adapters.reports import load_report
from voxguard_ci.core.config import Service
from voxguard_ci.core.gates import ServiceEvidence
from voxguard_ci.core.models import LintReport
from voxguard_ci.core.steps import StepOutcome
from voxguard_ci.errors import ReportError


def _lint(repo: Path, service: Service, outcome: StepOutcome) -> LintReport:
    total = LintReport()
    assert service.lint is not None
    for spec in service.lint.reports:
        if spec.format == "exit-code":
            failed = [c for c in outcome.commands if c.status != "passed"]
            report = LintReport(errors=len(failed), issues=[])
        else:
            report = load_report(repo, spec.format, spec.path)
        total = LintReport(errors=total.errors + report.errors, warnings=total.warnings + report.warnings,
                           issues=total.issues + report.issues)
    return total


@task(task_run_name="evidence-{service.name}")
def collect_evidence(repo: str, service: Service, outcomes: dict[str, StepOutcome]) -> ServiceEvidence:
    root = Path(repo)
    evidence = ServiceEvidence(service=service.name,
                               coverage_minimum=service.coverage.minimum if service.coverage else None)
    build = outcomes.get("build")
    if build is not None:
        evidence.build_ok, evidence.build_reason = build.ok, build.reason
    image = outcomes.get("image")  # the image is part of the build stage: a failed one fails the build gate
    if image is not None and not image.ok and evidence.build_ok:
        evidence.build_ok, evidence.build_reason = False, image.reason
    test = outcomes.get("test")
    if test is None:
        evidence.tests_reason = "skipped: the build failed" if build and not build.ok else "no test step"
    else:
        evidence.tests_step_ok = test.ok
        if not test.ok and not (service.test and service.test.report):
            evidence.tests_reason = test.reason
        if service.test and service.test.report:
            try:
                evidence.tests = load_report(root, service.test.report.format, service.test.report.path)
            except ReportError as exc:
                evidence.tests_reason = f"{exc} ({test.reason})" if test.reason else str(exc)
        if service.coverage:
            try:
                evidence.coverage = load_report(root, service.coverage.format, service.coverage.path)
            except ReportError:
                evidence.coverage = None
    lint = outcomes.get("lint")
    if lint is not None and service.lint:
        try:
            evidence.lint = _lint(root, service, lint)
        except ReportError as exc:
            evidence.lint_reason = str(exc)
    elif service.lint:
        evidence.lint_reason = "lint did not run: the build failed" if build and not build.ok else ""
    return evidence
