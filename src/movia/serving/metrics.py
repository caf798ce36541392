"""Prometheus metrics of the serving app, on a registry of its own.

Each app gets its own :class:`~prometheus_client.CollectorRegistry`, so several apps in one process
(tests, a benchmark comparing workers) never collide on metric names. Routes are labelled by
their template (``/endpoints/{name}/invocations``), never by the raw path, and unmatched paths
share one label, so a fuzzer cannot grow the label set without bound.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from movia.serving.answer_cache import AnswerCache

# Buckets around the serving goal (p99 <= 20 ms) with room for slow outliers.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ServingMetrics:
    """Request counts and latencies, recommendations served and feedback received."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "movia_http_requests_total",
            "HTTP requests by route template, method and status code.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "movia_http_request_duration_seconds",
            "Time from request start to the last response byte, by route template.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.recommendations = Counter(
            "movia_recommendations_total",
            "Recommendation requests answered, by mode (user or preferences).",
            ["mode"],
            registry=self.registry,
        )
        self.feedback = Counter(
            "movia_feedback_total",
            "Feedback events stored, by action.",
            ["action"],
            registry=self.registry,
        )

    def watch_cache(self, cache: AnswerCache) -> None:
        """Expose the answer cache's hits, misses and size (read at scrape time)."""
        self.registry.register(_CacheCollector(cache))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Record one finished HTTP request."""
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class _CacheCollector(Collector):
    """Reads :class:`AnswerCache` counters when Prometheus scrapes, so requests pay nothing."""

    def __init__(self, cache: AnswerCache) -> None:
        self.cache = cache

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        lookups = CounterMetricFamily(
            "movia_answer_cache_lookups",
            "Answer cache lookups by result.",
            labels=["result"],
        )
        lookups.add_metric(["hit"], self.cache.hits)
        lookups.add_metric(["miss"], self.cache.misses)
        yield lookups
        yield GaugeMetricFamily(
            "movia_answer_cache_entries", "Answers held.", value=len(self.cache)
        )
