"""What operators watch of the webhooks: the backlog and how long its oldest has waited, on
/metrics and on the status page."""

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric
from rest_framework import serializers

from contentapi.metrics import register_database_collector
from contentapi.status import register_section
from webhooks.selectors import backlog


class FailingSubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    failing_since = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()


class WebhookBacklogSerializer(serializers.Serializer):
    pending = serializers.IntegerField(help_text="Deliveries not yet taken by their receiver.")
    events_waiting = serializers.IntegerField(
        help_text="Change events the worker has not yet turned into deliveries for every "
        "enabled subscription (it does so within a poll interval while it runs)."
    )
    oldest_seconds = serializers.FloatField(
        help_text="How long the oldest pending delivery or waiting event has waited (0: none)."
    )
    failed = serializers.IntegerField(help_text="Deliveries that failed every attempt.")
    subscriptions_failing = serializers.IntegerField(
        help_text="How many enabled subscriptions are failing or cannot be served."
    )
    failing_subscriptions = FailingSubscriptionSerializer(
        many=True,
        help_text="Enabled subscriptions whose last delivery failed every attempt, or that "
        "the worker cannot serve at all (`last_error` says why); at most 100.",
    )


def webhook_backlog() -> Iterable[Metric]:
    now = backlog()
    yield GaugeMetricFamily(
        "contentapi_webhook_deliveries_pending",
        "Webhook deliveries not yet taken by their receiver (first attempts and retries).",
        value=now["pending"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_events_waiting",
        "Change events not yet turned into deliveries for every enabled subscription.",
        value=now["events_waiting"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_oldest_pending_seconds",
        "How long the oldest pending webhook delivery or waiting event has waited (0 if none).",
        value=now["oldest_seconds"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_subscriptions_failing",
        "Enabled webhook subscriptions that are failing or cannot be served (the status page "
        "says why).",
        value=now["subscriptions_failing"],
    )
    yield GaugeMetricFamily(
        "contentapi_webhook_deliveries_failed",
        "Webhook deliveries that failed every attempt (redeliver or replay them).",
        value=now["failed"],
    )


register_database_collector(webhook_backlog)
register_section("webhooks", backlog, WebhookBacklogSerializer)
