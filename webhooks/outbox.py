"""Change events become webhook deliveries, in the transaction that records the event.

The read side's door (`articles.read_side`) calls `deliveries_create` right after it writes
a change event, under the feed lock, so every event that the changes feed shows reaches every
matching subscription: nothing that publishes can bypass it, and a rollback takes both back.
"""

import json
from datetime import datetime

from django.utils import timezone

from articles import cache_tags as purge
from articles.cursors import encode_cursor
from articles.models import ChangeEvent, PublishedTopic
from articles.rendering import article_url, iso
from webhooks import wakeup
from webhooks.models import WebhookDelivery, WebhookSubscription


def event_payload(event: ChangeEvent, *, purge_keys: list[str], timestamp: datetime) -> str:
    """The JSON body every subscription gets for `event`."""
    return json.dumps(
        {
            "type": f"article.{event.event}",
            "timestamp": iso(timestamp),
            "data": {
                "slug": event.slug,
                "locale": event.locale,
                "revision": event.revision_number,
                "url": article_url(event.slug, event.locale),
                "cursor": encode_cursor(event.pk),
                "purge_keys": purge_keys,
            },
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def subscription_wants(subscription: WebhookSubscription, event: ChangeEvent) -> bool:
    return event.event in subscription.events and (
        not subscription.locales or event.locale in subscription.locales
    )


def message_id(delivery_key: str) -> str:
    return f"msg_{delivery_key}"


def deliveries_create(event: ChangeEvent) -> list[WebhookDelivery]:
    """One pending delivery of `event` per enabled subscription that wants it."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(enabled=True) if subscription_wants(s, event)
    ]
    if not subscriptions:
        return []
    # The article's topics as readers see them now (before a take-down removes them).
    topics = sorted(
        PublishedTopic.objects.filter(document_id=event.article_id).values_list(
            "topic__slug", flat=True
        )
    )
    payload = event_payload(
        event, purge_keys=purge.change_keys(event.slug, event.locale, topics), timestamp=event.at
    )
    now = timezone.now()
    wakeup.announce()
    return WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event=event,
            message_id=message_id(f"{event.pk}_{subscription.pk}"),
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for subscription in subscriptions
    )
