"""The security stage's Prefect side: read scan reports fail-closed, and keep the findings baseline.

The baseline is the findings of the last successful run on the baseline branch, kept as a Prefect table
artifact (key `security-baseline-<project>`), so it survives processes and shows in the UI.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import Artifact, create_table_artifact

from voxguard_ci.adapters.reports import load_report
from voxguard_ci.core.config import PipelineConfig, Scanner
from voxguard_ci.core.findings import Finding
from voxguard_ci.core.security import AcceptedFinding, ScanResult, judge_scan
from voxguard_ci.core.steps import StepOutcome
from voxguard_ci.errors import ReportError


def baseline_key(project: str) -> str:
    return "security-baseline-" + (re.sub(r"[^a-z0-9]+", "-", project.lower()).strip("-") or "default")


def _read_scan(repo: Path, scanner: Scanner, outcome: StepOutcome) -> ScanResult:
    if not outcome.ok:
        return judge_scan(scanner, False, outcome.reason, None)
    try:
        report = load_report(repo, scanner.report.format, scanner.report.path)
    except ReportError as exc:
        return judge_scan(scanner, True, "", None, str(exc))
    return judge_scan(scanner, True, "", report)


@task(name="collect-scans")
def collect_scans(repo: str, config: PipelineConfig, outcomes: dict[str, StepOutcome]) -> list[ScanResult]:
    logger = get_run_logger()
    results = []
    for scanner in config.security.scanners:
        result = _read_scan(Path(repo), scanner, outcomes[scanner.name])
        found = len(result.findings.findings) if result.findings else 0
        components = len(result.sbom.components) if result.sbom else 0
        logger.info("%s: %s, %d findings, %d components %s", scanner.name, result.status.value, found,
                    components, result.reason)
        results.append(result)
    return results


def read_accepted(repo: Path, config: PipelineConfig) -> dict[str, AcceptedFinding]:
    """The team's accepted findings, from the repository's baseline file (a JSON list)."""
    rel = config.security.baseline_file
    if rel is None:
        return {}
    try:
        entries = json.loads((repo / rel).read_text(encoding="utf-8"))
        accepted = [AcceptedFinding.model_validate(e) for e in entries]
    except FileNotFoundError:
        raise ReportError(f"{rel}: the security baseline file named in voxguard-ci.yaml does not exist") from None
    except (ValueError, TypeError) as exc:
        raise ReportError(f"{rel}: expected a JSON list of {{fingerprint, reason, accepted_by}}: {exc}") from None
    return {a.fingerprint: a for a in accepted}


@task(name="load-security-baseline")
def load_baseline(project: str) -> tuple[set[str], str]:
    key = baseline_key(project)
    artifact = Artifact.get(key)
    if artifact is None or not artifact.data:
        return set(), "no baseline yet: every high finding is new"
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    return {row["fingerprint"] for row in rows}, f"baseline {key} from {artifact.created:%Y-%m-%d %H:%M} UTC"


@task(name="save-security-baseline")
def save_baseline(project: str, findings: list[Finding]) -> None:
    rows = [{"fingerprint": f.fingerprint, "tool": f.tool, "rule_id": f.rule_id, "severity": f.severity.value,
             "where": f.path or f.package or ""} for f in findings]
    create_table_artifact(table=rows or [{"fingerprint": "", "tool": "", "rule_id": "", "severity": "",
                                          "where": "no findings"}],
                          key=baseline_key(project), description="Findings of the last successful main run")
