"""Shared test configuration."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# Strategies live next to the tests.
sys.path.insert(0, str(Path(__file__).parent))

# A PostgreSQL server for the ledger's tests (started by the suite if none is named).
pytest_plugins = ["_postgres"]

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile("default")
