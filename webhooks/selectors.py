"""Reads about webhooks for operators: what is waiting to be sent, and how long it has waited."""

from typing import Any

from django.db.models import Min, Q
from django.utils import timezone

from delivery.models import ChangeEvent
from webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription


def backlog() -> dict[str, Any]:
    """Pending deliveries, change events not yet fanned out to every enabled subscription
    (the worker writes their deliveries), and the age of the oldest of either (0 if none)."""
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(state=DeliveryState.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    cursor = WebhookSubscription.objects.filter(enabled=True).aggregate(low=Min("feed_cursor"))
    waiting = (
        ChangeEvent.objects.filter(id__gt=cursor["low"]) if cursor["low"] is not None else None
    )
    first_waiting = waiting.order_by("id").values_list("at", flat=True).first() if waiting else None
    ages = [(now - moment).total_seconds() for moment in (oldest, first_waiting) if moment]
    failing = WebhookSubscription.objects.filter(enabled=True).filter(
        Q(failing_since__isnull=False) | ~Q(last_error="")
    )
    return {
        "pending": pending.count(),
        "events_waiting": waiting.count() if first_waiting else 0,
        "oldest_seconds": round(max(ages), 1) if ages else 0.0,
        "failed": WebhookDelivery.objects.filter(state=DeliveryState.FAILED).count(),
        "subscriptions_failing": failing.count(),
        "failing_subscriptions": list(
            failing.values("id", "url", "failing_since", "last_error").order_by("id")[:100]
        ),
    }
