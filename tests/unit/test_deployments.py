"""Every deployment entrypoint resolves from the repository root to a real flow."""

from pathlib import Path

import yaml
from prefect.flows import load_flow_from_entrypoint

ROOT = Path(__file__).resolve().parents[2]


def test_every_entrypoint_loads_a_real_flow(monkeypatch):
    monkeypatch.chdir(ROOT)
    deployments = yaml.safe_load((ROOT / "deployments.yaml").read_text())["deployments"]
    assert deployments
    for deployment in deployments:
        flow = load_flow_from_entrypoint(deployment["entrypoint"], use_placeholder_flow=False)
        # named as its flow on the process pool, `<flow>-<pool type>` on the others
        assert deployment["name"] in (flow.name, f"{flow.name}-docker", f"{flow.name}-kubernetes")
