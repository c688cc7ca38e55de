"""Change events become webhook deliveries: each subscription follows the changes feed.

The feed (`ChangeEvent`, written by the read side's door) is the only outbox; publishing
knows nothing of webhooks. Every subscription keeps a cursor, the id of the last event it
was given. A worker pass locks the subscriptions that are behind (skipping any another
worker holds), reads the events after the oldest of their cursors once, writes one delivery
per subscription and wanted event, and moves the cursors, all in one transaction: an event
is fanned out to a subscription exactly once, in feed order, and a rollback takes both back.
Feed ids commit in order (the feed lock), so no event can appear behind a cursor later.
"""

import json
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils import timezone

from contentapi.checkpoints import checkpoint_document
from contentapi.models import AuditCheckpoint
from delivery import cache_tags as purge
from delivery.cursors import encode_cursor
from delivery.models import ChangeEvent, PublishedTopic
from delivery.rendering import article_url, iso
from delivery.selectors import feed_head
from webhooks.models import CHECKPOINT_EVENT, WebhookDelivery, WebhookSubscription

# Events read per pass; a burst (a re-render of the whole library) takes several passes.
FAN_OUT_BATCH = 1000


def event_purge_keys(event: ChangeEvent) -> list[str]:
    """The cache tags the event made stale, as it recorded them. Events written before they
    were recorded (migrated data) fall back to the article's topics as readers see them now."""
    if event.purge_keys:
        return event.purge_keys.split()
    topics = sorted(
        PublishedTopic.objects.filter(document_id=event.article_id).values_list(
            "topic__slug", flat=True
        )
    )
    return purge.change_keys(purge.detail_keys(event.slug, event.locale, topics), event.locale)


def event_payload(event: ChangeEvent, *, timestamp: datetime) -> str:
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
                "purge_keys": event_purge_keys(event),
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


def _behind(cursor: str, head: int) -> list[WebhookSubscription]:
    """The enabled subscriptions whose `cursor` is below `head`, locked for this transaction.
    Another worker fanning out holds its subscriptions; this one takes the rest."""
    behind = WebhookSubscription.objects.filter(enabled=True, **{f"{cursor}__lt": head})
    if connection.features.has_select_for_update_skip_locked:
        behind = behind.select_for_update(skip_locked=True)
    return list(behind.order_by("id"))


def fan_out(*, batch: int = FAN_OUT_BATCH) -> int:
    """Give every enabled subscription the events after its cursor (at most `batch` events
    a pass); returns how many deliveries were written."""
    head = feed_head()
    with transaction.atomic():
        subscriptions = _behind("feed_cursor", head)
        if not subscriptions:
            return 0
        start = min(s.feed_cursor for s in subscriptions)
        events = list(ChangeEvent.objects.filter(id__gt=start, id__lte=head).order_by("id")[:batch])
        if not events:
            return 0
        now = timezone.now()
        payloads: dict[int, str] = {}
        deliveries = []
        for event in events:
            for subscription in subscriptions:
                if event.pk <= subscription.feed_cursor or not subscription_wants(
                    subscription, event
                ):
                    continue
                if event.pk not in payloads:
                    payloads[event.pk] = event_payload(event, timestamp=event.at)
                deliveries.append(
                    WebhookDelivery(
                        subscription=subscription,
                        event=event,
                        message_id=message_id(f"{event.pk}_{subscription.pk}"),
                        payload=payloads[event.pk],
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        # The message id is unique: were an event ever offered twice, it is written once.
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        # A cursor never moves back (one ahead of this batch's last event keeps its place).
        WebhookSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(
            feed_cursor=Greatest(F("feed_cursor"), events[-1].pk)
        )
    return len(deliveries)


def checkpoint_payload(checkpoint: AuditCheckpoint) -> str:
    """The JSON body of an `audit.checkpoint` delivery: the checkpoint as the API lists it."""
    return json.dumps(
        {
            "type": CHECKPOINT_EVENT,
            "timestamp": iso(checkpoint.at),
            "data": checkpoint_document(checkpoint),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def latest_checkpoint() -> int:
    return AuditCheckpoint.objects.aggregate(latest=Max("seq"))["latest"] or 0


def fan_out_checkpoints(*, batch: int = FAN_OUT_BATCH) -> int:
    """Give every enabled subscription that asks for `audit.checkpoint` the checkpoints
    after its checkpoint cursor; returns how many deliveries were written."""
    latest = latest_checkpoint()
    with transaction.atomic():
        subscriptions = _behind("checkpoint_cursor", latest)
        if not subscriptions:
            return 0
        start = min(s.checkpoint_cursor for s in subscriptions)
        checkpoints = list(
            AuditCheckpoint.objects.filter(seq__gt=start, seq__lte=latest).order_by("seq")[:batch]
        )
        if not checkpoints:
            return 0
        now = timezone.now()
        deliveries = [
            WebhookDelivery(
                subscription=subscription,
                checkpoint=checkpoint,
                message_id=message_id(f"ckpt{checkpoint.seq}_{subscription.pk}"),
                payload=checkpoint_payload(checkpoint),
                next_attempt_at=now,
                created_at=now,
            )
            for checkpoint in checkpoints
            for subscription in subscriptions
            if checkpoint.seq > subscription.checkpoint_cursor
            and CHECKPOINT_EVENT in subscription.events
        ]
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        # Those that do not ask for checkpoints move on too, so they are not read again.
        WebhookSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(
            checkpoint_cursor=Greatest(F("checkpoint_cursor"), checkpoints[-1].seq)
        )
    return len(deliveries)
