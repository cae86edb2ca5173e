"""Prometheus metrics, one registry per application (so several apps can live together)."""

from __future__ import annotations

from typing import Any


class Metrics:
    """Request counts and durations by route template (never by raw path: no personal data)."""

    def __init__(self) -> None:
        # prometheus-client is an optional extra: imported when an app is made.
        from prometheus_client import CollectorRegistry, Counter, Histogram  # noqa: PLC0415

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
        """The metrics in Prometheus text format, and its media type."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest  # noqa: PLC0415

        return generate_latest(self.registry), CONTENT_TYPE_LATEST
