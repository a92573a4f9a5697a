"""A Plan as text for people and as a Mermaid flowchart for docs and PR comments.

Refs and reasons come from hostile event data: text output escapes control characters (no terminal escape
sequences or forged lines), and Mermaid labels encode every character outside a small safe set as `#NN;`.
"""

from __future__ import annotations

import re

from voxguard_ci.core.plan import Plan

_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 .,:/_@+=()-]")
PER_SERVICE_STAGES = ("build", "test", "lint", "security", "soak")


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def to_text(plan: Plan) -> str:
    rows = [
        ("plan", "run" if plan.run else "no run"),
        ("reason", plan.reason),
        ("trigger", plan.trigger),
        ("ref", plan.ref or "-"),
        ("services", ", ".join(plan.services) or "-"),
        ("stages", " → ".join(plan.stages) or "-"),
        ("deploy", plan.deploy or "-"),
        ("concurrency", plan.concurrency_group),
    ]
    if plan.inputs is not None:
        given = plan.inputs.model_dump(exclude_none=True)
        rows.append(("inputs", ", ".join(f"{key}={value}" for key, value in given.items())))
    width = max(len(name) for name, _ in rows) + 1
    return "\n".join(f"{name + ':':<{width}} {_printable(str(value))}" for name, value in rows)


def _label(*lines: str) -> str:
    encoded = ("".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in line) for line in lines)
    return '"' + "<br/>".join(encoded) + '"'


def to_mermaid(plan: Plan) -> str:
    lines = ["flowchart LR", f"  trigger([{_label(plan.trigger, plan.ref or 'local')}])"]
    if not plan.run:
        lines.append(f"  skip[{_label('no run', plan.reason)}]")
        lines.append("  trigger -.-> skip")
        return "\n".join(lines)
    chain = ["trigger"]
    for stage in plan.stages:
        node = f"stage_{stage}"
        services = plan.services if stage in PER_SERVICE_STAGES else []
        lines.append(f"  {node}[{_label(stage, *services)}]")
        chain.append(node)
    if plan.deploy:
        lines.append(f"  deploy[{_label('deploy', plan.deploy)}]")
        chain.append("deploy")
    lines.append("  " + " --> ".join(chain))
    return "\n".join(lines)
