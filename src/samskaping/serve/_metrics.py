"""Prometheus metrics, one registry per application (so several apps can live together).

Under several worker processes (``samskaping serve --workers N`` sets prometheus-client's
``PROMETHEUS_MULTIPROC_DIR``) each process writes its counts to that folder, and
``/metrics`` adds up every process's, whichever process answers.
"""

from __future__ import annotations

import os
from typing import Any

# prometheus-client belongs to the optional serve extra; this module is imported only by
# the service's app, which needs that extra anyway.
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

__all__ = ["Metrics"]


class Metrics:
    """Request counts and durations by route template (never by raw path: no personal data)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests: Any = Counter(
            "samskaping_http_requests",
            "HTTP requests answered, by method, route and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self._duration: Any = Histogram(
            "samskaping_http_request_duration_seconds",
            "Time to answer, by route.",
            ["route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self._requests.labels(method, route, str(status)).inc()
        self._duration.labels(route).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        """The metrics in Prometheus text format, and its media type.

        With a multiprocess folder, the counts of every worker process, added up.
        """
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
