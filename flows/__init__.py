"""Prefect flows (imported as voxguard_ci.flows; deployment entrypoints are flows/<name>.py:<flow>)."""
