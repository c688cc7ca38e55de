"""The webhooks' gauges for /metrics: the backlog, and how long its oldest has waited."""

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric

from contentapi.metrics import register_database_collector
from webhooks.selectors import backlog


def webhook_backlog() -> Iterable[Metric]:
    now = backlog()
    yield GaugeMetricFamily(
        "contentapi_webhook_deliveries_pending",
        "Webhook deliveries not yet taken by their receiver (first attempts and retries).",
        value=now["pending"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_oldest_pending_seconds",
        "How long the oldest pending webhook delivery has waited since its event (0 if none).",
        value=now["oldest_seconds"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_deliveries_failed",
        "Webhook deliveries that failed every attempt (redeliver or replay them).",
        value=now["failed"],
    )


register_database_collector(webhook_backlog)
