"""Prometheus metrics at /metrics: requests by route, and what the database says at scrape.

Request counts and latency are kept by the Prometheus client library in each process; under
gunicorn (`PROMETHEUS_MULTIPROC_DIR`, set by gunicorn.conf.py) the library adds up every
worker's. Gauges read from the database (worker heartbeats; each app adds its own through
`register_database_collector`) are computed at scrape time, so any process answers for all.
With `METRICS_TOKEN` set, a scrape needs `Authorization: Bearer <METRICS_TOKEN>`.
"""

import hmac
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from contentapi.exception_handler import problem_response
from contentapi.models import WorkerHeartbeat

REQUESTS = Counter(
    "contentapi_requests_total", "HTTP requests answered.", ["route", "method", "status"]
)
LATENCY = Histogram(
    "contentapi_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def _route(request: HttpRequest) -> str:
    # The URL pattern, not the path: one series per endpoint, whatever the slugs and ids.
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
        return response


class _DatabaseCollector(Collector):
    def __init__(self, collect: Callable[[], Iterable[Metric]]) -> None:
        self._collect = collect

    def collect(self) -> Iterable[Metric]:
        try:
            yield from self._collect()
        except DatabaseError:
            return  # the database is away: /readyz and the missing series say so


_database_registry = CollectorRegistry(auto_describe=False)


def register_database_collector(collect: Callable[[], Iterable[Metric]]) -> None:
    """Add gauges computed from the database at each scrape."""
    _database_registry.register(_DatabaseCollector(collect))


def _worker_gauges() -> Iterable[Metric]:
    last_ok = GaugeMetricFamily(
        "contentapi_worker_last_success_timestamp_seconds",
        "When each background worker process last ran without error.",
        labels=["kind", "worker"],
    )
    failures = GaugeMetricFamily(
        "contentapi_worker_consecutive_failures",
        "Passes in a row that failed, per worker process.",
        labels=["kind", "worker"],
    )
    stale = GaugeMetricFamily(
        "contentapi_worker_stale",
        "1 when a worker process's heartbeat has not moved for three intervals (it died or "
        "hangs); its row is removed after a day.",
        labels=["kind", "worker"],
    )
    for beat in WorkerHeartbeat.objects.all():
        if beat.last_ok_at is not None:
            last_ok.add_metric([beat.kind, beat.name], beat.last_ok_at.timestamp())
        failures.add_metric([beat.kind, beat.name], beat.consecutive_failures)
        stale.add_metric([beat.kind, beat.name], int(beat.stale))
    yield last_ok
    yield failures
    yield stale
    yield GaugeMetricFamily(
        "contentapi_scrape_timestamp_seconds",
        "This scrape's time.",
        value=timezone.now().timestamp(),
    )


register_database_collector(_worker_gauges)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format; needs `Authorization: Bearer <METRICS_TOKEN>` if set."""
    # Several tokens, comma-separated, while a rotation settles: any of them opens it.
    tokens = [token.strip() for token in settings.METRICS_TOKEN.split(",") if token.strip()]
    if tokens:
        given = request.headers.get("Authorization", "").encode()
        if not any(hmac.compare_digest(given, f"Bearer {t}".encode()) for t in tokens):
            return problem_response(
                401,
                code="not-authenticated",
                detail="Send 'Authorization: Bearer <METRICS_TOKEN>'.",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        requests = generate_latest(registry)
    else:
        requests = generate_latest()
    body = requests + generate_latest(_database_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
