"""What operators watch of the write side: scheduled revisions that should be live by now,
on /metrics and on the status page."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from rest_framework import serializers

from articles.models import Revision, RevisionState
from contentapi.metrics import register_database_collector
from contentapi.status import register_section


def scheduled_past_due() -> dict[str, Any]:
    """Scheduled revisions past their `publish_at`, and how long the oldest has waited.

    One still waiting more than three scheduler intervals means the scheduler is not doing
    its job: that is what an alert watches.
    """
    now = timezone.now()
    due = Revision.objects.filter(state=RevisionState.SCHEDULED, publish_at__lte=now)
    oldest = due.order_by("publish_at").values_list("publish_at", flat=True).first()
    oldest_seconds = (now - oldest).total_seconds() if oldest else 0.0
    return {
        "count": due.count(),
        "oldest_seconds": round(oldest_seconds, 1),
        "alert": oldest_seconds > 3 * settings.SCHEDULE_INTERVAL,
    }


class PastDueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    oldest_seconds = serializers.FloatField()
    alert = serializers.BooleanField(
        help_text="The oldest has waited more than three scheduler intervals: the scheduler "
        "is not running or cannot reach the database."
    )


def scheduled_past_due_gauges() -> Iterable[Metric]:
    now = scheduled_past_due()
    yield GaugeMetricFamily(
        "contentapi_scheduled_past_due",
        "Scheduled revisions whose publish_at has passed but that are not live yet.",
        value=now["count"],
    )
    yield GaugeMetricFamily(
        "contentapi_scheduled_past_due_oldest_seconds",
        "How long the oldest past-due scheduled revision has waited (0 if none).",
        value=now["oldest_seconds"],
    )


register_database_collector(scheduled_past_due_gauges)
register_section("scheduled_past_due", scheduled_past_due, PastDueSerializer)
