"""Prometheus metrics: request counts and latency measured here, sync figures from the database.

Each app has its own registry (two apps in one process never mix their counts). Requests
are labelled by route template (``/tasks/{task_id}``), never by raw path, so the number of
series stays fixed; paths that match no route count as ``unmatched``. The sync figures
(lag, runs, ClickUp API calls, errors) are read from ``sync_runs`` at each scrape, so they
cover syncs run by any process.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .page_cache import PageCache

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ApiMetrics:
    """The counters and histograms of one app (and its kept task pages, when given)."""

    def __init__(self, pages: PageCache | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("clickup_sync_http_requests", "HTTP requests answered.",
                                ["method", "route", "status"], registry=self.registry)
        self.errors = Counter("clickup_sync_http_errors",
                              "HTTP requests answered with a 5xx status.",
                              ["method", "route"], registry=self.registry)
        self.latency = Histogram("clickup_sync_http_request_duration_seconds",
                                 "Time from request to the end of the response.",
                                 ["method", "route"], buckets=BUCKETS, registry=self.registry)
        ProcessCollector(registry=self.registry)
        if pages is not None:
            self.registry.register(_PageCacheFigures(pages))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        if status >= 500:
            self.errors.labels(method, route).inc()

    def render(self, figures: dict[str, Any]) -> bytes:
        """The text exposition: this app's metrics, then the sync figures given."""
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(_SyncFigures(figures))
        return generate_latest(self.registry) + generate_latest(scrape)


class _PageCacheFigures:
    """A collector for the kept /tasks pages: how often they answered, how much is kept."""

    def __init__(self, pages: PageCache) -> None:
        self.pages = pages

    def collect(self) -> list[Metric]:
        p = self.pages
        return [
            CounterMetricFamily("clickup_sync_task_page_cache_hits",
                                "/tasks requests answered with a kept page.", value=p.hits),
            CounterMetricFamily("clickup_sync_task_page_cache_misses",
                                "/tasks requests that read their page.", value=p.misses),
            GaugeMetricFamily("clickup_sync_task_page_cache_bytes",
                              "Bytes of /tasks pages kept.", value=p.size),
        ]


class _SyncFigures:
    """A collector for one scrape's sync figures (`analytics.sync_figures`)."""

    def __init__(self, figures: dict[str, Any]) -> None:
        self.figures = figures

    def collect(self) -> list[Metric]:
        f = self.figures
        lag = GaugeMetricFamily("clickup_sync_sync_lag_seconds",
                                "Seconds since the last full or incremental sync that "
                                "ended ok (absent before the first).")
        last = GaugeMetricFamily("clickup_sync_last_sync_timestamp_seconds",
                                 "When the last sync that ended ok finished (Unix time).")
        if f["lag_seconds"] is not None:
            lag.add_metric([], float(f["lag_seconds"]))
            last.add_metric([], float(f["last_ok_at"]))
        runs = CounterMetricFamily("clickup_sync_sync_runs", "Sync runs (and API requests "
                                   "to run one) by kind and status.", labels=["kind", "status"])
        for kind, status, n in f["runs"]:
            runs.add_metric([kind, status], n)
        return [
            lag, last, runs,
            GaugeMetricFamily("clickup_sync_sync_running", "Sync runs in progress.",
                              value=f["running"]),
            CounterMetricFamily("clickup_sync_clickup_api_calls",
                                "ClickUp API calls made by all sync runs.",
                                value=f["api_calls"]),
            CounterMetricFamily("clickup_sync_sync_errors",
                                "Errors recorded by all sync runs.", value=f["errors"]),
            GaugeMetricFamily("clickup_sync_tasks", "Live (not deleted) tasks stored.",
                              value=f["tasks"]),
        ]


class MetricsMiddleware:
    """ASGI middleware timing each HTTP request to the end of its response body."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            template = getattr(route, "path_format", None) or "unmatched"
            self.metrics.observe(scope["method"], template, status,
                                 time.perf_counter() - started)
