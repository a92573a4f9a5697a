"""Gate evaluation, and what a run leaves: artifacts in the Prefect UI and files in the output directory."""

from __future__ import annotations

import json
from pathlib import Path

from prefect import task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from voxguard_ci.adapters.workspace import write_atomically
from voxguard_ci.core import exports, gates, summary
from voxguard_ci.core.config import PipelineConfig
from voxguard_ci.core.gates import ServiceEvidence
from voxguard_ci.core.models import GateRecord
from voxguard_ci.core.security import AcceptedFinding, ScanResult, all_findings, security_gates
from voxguard_ci.core.steps import PipelineResult


@task(name="evaluate-gates")
def evaluate_gates(config: PipelineConfig, evidence: list[ServiceEvidence], scans: list[ScanResult] | None,
                   baseline: set[str], accepted: dict[str, AcceptedFinding], baseline_note: str) -> list[GateRecord]:
    security = None
    if scans is not None:
        security = security_gates(config.gates, scans, baseline, accepted, baseline_note)
    return gates.evaluate(config.gates, evidence, security, "the security stage is not part of this run's plan")


@task(name="publish-report")
def publish_report(result: PipelineResult, evidence: list[ServiceEvidence], scans: list[ScanResult]) -> None:
    markdown = summary.markdown_summary(result, evidence)
    create_markdown_artifact(markdown=markdown, key="ci-summary", description="VoxGuard CI run summary")
    create_table_artifact(table=summary.gate_rows(result.gates) or [{"gate": "none"}], key="quality-gates",
                          description="Quality gate verdicts with their evidence")
    create_table_artifact(table=summary.coverage_rows(evidence) or [{"service": "none"}], key="coverage",
                          description="Line coverage per service")
    if result.images:
        create_table_artifact(table=summary.image_rows(result.images), key="images",
                              description="Images built by this run, with their registry digests")
    findings = all_findings(scans)
    if scans:
        create_table_artifact(table=summary.finding_rows(findings) or [{"tool": "none"}], key="security-findings",
                              description="Findings of every scanner, normalized")
    for step in (s for s in result.steps if not s.ok):
        create_markdown_artifact(markdown=summary.failed_step_log(step), key=f"failed-{step.stage}-{step.service}",
                                 description=f"Log tail of the failed step {step.stage}-{step.service}")
    if not result.output_dir:
        return
    out = Path(result.output_dir)
    written = [
        write_atomically(out / "summary.md", markdown),
        write_atomically(out / "gates.json", json.dumps([g.model_dump(mode="json") for g in result.gates], indent=2)),
        write_atomically(out / "gates.junit.xml", exports.gates_junit(result.gates)),
    ]
    if result.images:
        images = [i.model_dump(mode="json") for i in result.images]
        written.append(write_atomically(out / "images.json", json.dumps(images, indent=2)))
    if scans:
        written.append(write_atomically(out / "findings.sarif", json.dumps(exports.to_sarif(findings), indent=2)))
        components = [c for s in scans if s.sbom for c in s.sbom.components]
        written.append(write_atomically(out / "sbom.cdx.json", json.dumps(exports.merge_cyclonedx(components), indent=2)))
    for path in written:
        create_link_artifact(link=path.resolve().as_uri(), link_text=path.name,
                             key=f"report-{path.name.replace('.', '-').lower()}",
                             description=f"{path.name} in the run's output directory")
