"""Prefect tasks: thin, caching wrappers around the adapters (imported as voxguard_ci.tasks)."""
