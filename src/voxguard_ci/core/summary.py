"""Rendering a run for people: the markdown summary, the gate and coverage tables, the terminal text."""

from __future__ import annotations

from voxguard_ci.core.gates import ServiceEvidence
from voxguard_ci.core.images import ImageRecord
from voxguard_ci.core.models import GateRecord
from voxguard_ci.core.steps import PipelineResult, StepOutcome

TERMINAL_TAIL = 12
ICONS = {"pass": "✅", "fail": "❌", "not_run": "⏭️", "overridden": "⚠️"}


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def gate_rows(gates: list[GateRecord]) -> list[dict[str, str]]:
    return [{"gate": g.gate, "value": _value(g.value), "threshold": _value(g.threshold), "verdict": g.verdict.value,
             "evidence": "; ".join(g.evidence)} for g in gates]


def coverage_rows(evidence: list[ServiceEvidence]) -> list[dict[str, str]]:
    rows = []
    for e in evidence:
        if e.coverage_minimum is None:
            continue
        c = e.coverage
        measured = c is not None and c.percent is not None
        rows.append({
            "service": e.service,
            "lines_covered": str(c.lines_covered) if measured else "",
            "lines_total": str(c.lines_total) if measured else "",
            "percent": f"{c.percent:.2f}" if measured else "not measured",
            "minimum": f"{e.coverage_minimum:g}",
        })
    return rows


def scan_rows(security: list[dict]) -> list[dict[str, str]]:
    return [{"scanner": s["scanner"], "kind": s["kind"], "status": s["status"],
             "findings": ", ".join(f"{n} {sev}" for sev, n in s["findings"].items() if n) or "none",
             "components": str(s["components"] or ""), "reason": s["reason"]} for s in security]


def image_rows(images: list[ImageRecord]) -> list[dict[str, str]]:
    return [{"service": i.service, "image": i.image, "tags": ", ".join(i.tags), "digest": i.digest or "",
             "pushed": "yes" if i.pushed else "no", "cached": "yes" if i.cached else "no", "image_id": i.image_id}
            for i in images]


def _table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "_none_\n"
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r[h].replace("|", "\\|") for h in head) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def markdown_summary(result: PipelineResult, evidence: list[ServiceEvidence]) -> str:
    verdict = {"passed": "✅ passed", "failed": "❌ failed", "skipped": "⏭️ skipped"}[result.state]
    parts = [f"# VoxGuard CI: {verdict}\n", f"Services: {', '.join(result.services) or 'none'}\n"]
    if result.reason:
        parts.append(f"Reason: {result.reason}\n")
    parts.append("\n## Stages\n\n" + _table([{"stage": k, "state": v} for k, v in result.stages.items()]))
    parts.append("\n## Steps\n\n" + _table([
        {"step": f"{s.stage}-{s.service}", "status": "cached" if s.cached else s.status.value,
         "seconds": f"{s.duration:.1f}"} for s in result.steps]))
    if result.images:
        parts.append("\n## Images\n\n" + _table(image_rows(result.images)))
    if result.security:
        parts.append("\n## Security scans\n\n" + _table(scan_rows(result.security)))
    parts.append("\n## Quality gates\n\n" + _table(gate_rows(result.gates)))
    parts.append("\n## Coverage\n\n" + _table(coverage_rows(evidence)))
    return "".join(parts)


def failed_step_log(step: StepOutcome) -> str:
    last = step.commands[-1]
    tail = "\n".join(last.log_tail) or "(no output)"
    return (f"# {step.stage}-{step.service} failed\n\n`{' '.join(last.argv)}`: {step.reason}\n\n"
            f"```text\n{tail}\n```\n")


def terminal_summary(result: PipelineResult) -> str:
    lines = [f"VoxGuard CI {result.state.upper()}" + (f" ({result.reason})" if result.reason else "")]
    if result.flow_run_id:
        lines.append(f"flow run: {result.flow_run_id}")
    lines.append("")
    for step in result.steps:
        status = "cached" if step.cached else step.status.value
        lines.append(f"  {step.stage + '-' + step.service:32} {status:10} {step.duration:7.1f}s"
                     + (f"  {step.reason}" if not step.ok else ""))
        if not step.ok:
            lines += [f"      | {line}" for line in step.commands[-1].log_tail[-TERMINAL_TAIL:]]
    if result.images:
        lines.append("")
        lines.append("  images:")
        lines += [f"    {i.service:18} {i.reference}  {'pushed ' + ', '.join(i.tags) if i.pushed else 'not pushed'}"
                  for i in result.images]
    if result.security:
        lines.append("")
        lines.append("  security scans:")
        for row in scan_rows(result.security):
            extra = f"  {row['reason']}" if row["reason"] else ""
            lines.append(f"    {row['scanner']:18} {row['kind']:13} {row['status']:8} findings: {row['findings']}"
                         + (f", components: {row['components']}" if row["components"] else "") + extra)
    lines.append("")
    lines.append("  quality gates:")
    for gate in result.gates:
        lines.append(f"    {ICONS[gate.verdict.value]} {gate.gate:28} {gate.verdict.value:9} "
                     f"value={_value(gate.value)} threshold={_value(gate.threshold)}")
        for item in gate.evidence[:5] if gate.verdict.value == "fail" else []:
            lines.append(f"         - {item}")
    if result.output_dir:
        lines.append(f"\nreports: {result.output_dir}")
    return "\n".join(lines)


def finding_rows(findings: list) -> list[dict[str, str]]:
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    rows = sorted(findings, key=lambda f: (order[f.severity.value], f.tool, f.rule_id))
    return [{"severity": f.severity.value, "tool": f.tool, "rule": f.rule_id,
             "where": (f"{f.path}:{f.line}" if f.line else f.path or "") or f"{f.package} {f.version or ''}".strip(),
             "message": f.message[:200], "fingerprint": f.fingerprint} for f in rows]
