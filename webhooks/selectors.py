"""Reads about webhooks for operators: the backlog of deliveries not yet taken."""

from typing import Any

from django.utils import timezone

from webhooks.models import DeliveryState, WebhookDelivery


def backlog() -> dict[str, Any]:
    """Pending deliveries, and the age of the oldest (0 if none), in one query each."""
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(state=DeliveryState.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": pending.count(),
        "oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "failed": WebhookDelivery.objects.filter(state=DeliveryState.FAILED).count(),
    }
