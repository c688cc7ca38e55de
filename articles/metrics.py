"""The articles' gauges for /metrics: scheduled revisions that should be live by now."""

from collections.abc import Iterable

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from articles.models import Revision, RevisionState
from contentapi.metrics import register_database_collector


def scheduled_past_due() -> Iterable[Metric]:
    now = timezone.now()
    due = Revision.objects.filter(state=RevisionState.SCHEDULED, publish_at__lte=now)
    oldest = due.order_by("publish_at").values_list("publish_at", flat=True).first()
    yield GaugeMetricFamily(
        "contentapi_scheduled_past_due",
        "Scheduled revisions whose publish_at has passed but that are not live yet.",
        value=due.count(),
    )
    yield GaugeMetricFamily(
        "contentapi_scheduled_past_due_oldest_seconds",
        "How long the oldest past-due scheduled revision has waited (0 if none).",
        value=(now - oldest).total_seconds() if oldest else 0.0,
    )


register_database_collector(scheduled_past_due)
