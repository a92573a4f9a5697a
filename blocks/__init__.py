"""Prefect Block classes (imported as voxguard_ci.blocks)."""
