"""Gate evaluation and the run's artifacts (Prefect UI) and files (output directory)."""

from __future__ import annotations

import json
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from voxguard_ci.core import gates as gate_rules
from voxguard_ci.core import summary
from voxguard_ci.core.config import Gates
from voxguard_ci.core.gates import ServiceEvidence
from voxguard_ci.core.models import GateRecord
from voxguard_ci.core.steps import PipelineResult

SECURITY_NOT_RUN = "the security stage is not part of this pipeline yet"


@task(name="evaluate-gates")
def evaluate_gates(policy: Gates, evidence: list[ServiceEvidence]) -> list[GateRecord]:
    return gate_rules.evaluate(policy, evidence, SECURITY_NOT_RUN)


@task(name="publish-report")
def publish_report(result: PipelineResult, evidence: list[ServiceEvidence]) -> None:
    markdown = summary.markdown_summary(result, evidence)
    create_markdown_artifact(markdown=markdown, key="ci-summary", description="VoxGuard CI run summary")
    create_table_artifact(table=summary.gate_rows(result.gates), key="quality-gates",
                          description="Quality gate verdicts with their evidence")
    create_table_artifact(table=summary.coverage_rows(evidence) or [{"service": "none"}], key="coverage",
                          description="Line coverage per service")
    failed = [s for s in result.steps if not s.ok]
    for step in failed:
        create_markdown_artifact(markdown=summary.failed_step_log(step), key=f"failed-{step.stage}-{step.service}",
                                 description=f"Log tail of the failed step {step.stage}-{step.service}")
    if result.output_dir:
        out = Path(result.output_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.md").write_text(markdown, encoding="utf-8")
        (out / "gates.json").write_text(
            json.dumps([g.model_dump(mode="json") for g in result.gates], indent=2), encoding="utf-8")
