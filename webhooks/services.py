"""Every change an admin makes to webhooks: subscriptions, secrets, redelivery and replay."""

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from contentapi.credentials import webhook_event_record
from contentapi.errors import NotFound, ValidationFailed
from contentapi.models import CredentialAction, User
from delivery.models import ChangeEvent, ChangeKind
from delivery.selectors import feed_head
from webhooks import guard, wakeup
from webhooks.fanout import event_payload, latest_checkpoint, message_id
from webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription
from webhooks.secrets import SecretUnreadable, secret_decrypt, secret_encrypt, secret_generate

logger = logging.getLogger("webhooks")

ROTATION_OVERLAP = timedelta(hours=24)  # the old secret keeps signing this long
REPLAY_MAX = 10_000  # events one replay call sends at most; call again from its cursor


def url_check(url: str) -> None:
    """Refuse at save time what the SSRF guard can tell then: not https (or http to an
    allowed host), or a name that resolves to a private address now. The send-time check is
    the one that holds; a name that does not resolve yet may resolve by then."""
    try:
        guard.url_check(url)
        guard.resolve(url)
    except guard.Refused as exc:
        if "does not resolve" not in str(exc):
            raise ValidationFailed.on("url", str(exc)) from exc


def subscription_create(
    *,
    actor: User,
    url: str,
    events: list[str] | None = None,
    locales: list[str] | None = None,
    enabled: bool = True,
    description: str = "",
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its signing secret, which is shown this once. It is sent the
    changes that happen from now on (`replay` sends earlier ones)."""
    url_check(url)
    secret = secret_generate()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            url=url,
            events=sorted(set(events or ChangeKind.values)),
            locales=sorted(set(locales or [])),
            enabled=enabled,
            description=description,
            secret_encrypted=secret_encrypt(secret),
            created_by=actor,
            feed_cursor=feed_head(),
            checkpoint_cursor=latest_checkpoint(),
        )
        webhook_event_record(
            CredentialAction.WEBHOOK_CREATED,
            actor=actor,
            webhook_id=subscription.pk,
            details=_described(subscription),
        )
    logger.info("webhook %s to %s created by %s", subscription.pk, url, actor.username)
    return subscription, secret


def _described(subscription: WebhookSubscription) -> dict[str, Any]:
    """What a credential event says of a subscription: where it sends what, never the secret."""
    return {
        "url": subscription.url,
        "events": subscription.events,
        "locales": subscription.locales,
        "enabled": subscription.enabled,
    }


def _locked(subscription: WebhookSubscription) -> WebhookSubscription:
    """The subscription's row, locked for the rest of the transaction (its chain's order);
    404 if a concurrent request deleted it since the view read it."""
    try:
        return WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    except WebhookSubscription.DoesNotExist:
        raise NotFound() from None


def subscription_update(
    *, actor: User, subscription: WebhookSubscription, changes: dict[str, Any]
) -> WebhookSubscription:
    if "url" in changes:
        url_check(changes["url"])
    with transaction.atomic():
        subscription = _locked(subscription)
        turned_on = changes.get("enabled") is True and not subscription.enabled
        for field in ("url", "description", "enabled"):
            if field in changes:
                setattr(subscription, field, changes[field])
        for field in ("events", "locales"):
            if field in changes:
                setattr(subscription, field, sorted(set(changes[field])))
        if changes.get("enabled"):
            # Turned on again by an admin: whatever turned it off is dealt with.
            subscription.disabled_reason = ""
            subscription.failing_since = None
            subscription.last_error = ""
        if turned_on:
            # What changed while it was off is not sent (as for a new one); replay sends it.
            subscription.feed_cursor = feed_head()
            subscription.checkpoint_cursor = latest_checkpoint()
        subscription.save()
        webhook_event_record(
            CredentialAction.WEBHOOK_CHANGED,
            actor=actor,
            webhook_id=subscription.pk,
            details={**_described(subscription), "changed": sorted(changes)},
        )
    logger.info("webhook %s changed by %s: %s", subscription.pk, actor.username, sorted(changes))
    return subscription


def subscription_delete(*, actor: User, subscription: WebhookSubscription) -> None:
    with transaction.atomic():
        subscription = _locked(subscription)
        webhook_event_record(
            CredentialAction.WEBHOOK_DELETED,
            actor=actor,
            webhook_id=subscription.pk,
            details=_described(subscription),
        )
        subscription.delete()
    logger.info("webhook %s to %s deleted by %s", subscription.pk, subscription.url, actor.username)


def secret_rotate(
    *, actor: User, subscription: WebhookSubscription
) -> tuple[WebhookSubscription, str]:
    """A new secret (the subscription as it now is, and the secret); the current one keeps
    signing beside it for 24 hours."""
    secret = secret_generate()
    with transaction.atomic():
        locked = _locked(subscription)
        try:
            secret_decrypt(locked.secret_encrypted)
            locked.previous_secret_encrypted = locked.secret_encrypted
            locked.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
        except SecretUnreadable:
            # Its key is gone, so the old secret cannot sign beside the new one: no overlap.
            locked.previous_secret_encrypted = ""
            locked.previous_secret_expires_at = None
        locked.secret_encrypted = secret_encrypt(secret)
        if locked.last_error:  # the worker may try it again at once
            locked.last_error, locked.lease_until = "", None
        locked.save()
        webhook_event_record(
            CredentialAction.WEBHOOK_SECRET_ROTATED,
            actor=actor,
            webhook_id=locked.pk,
            details={
                "old_secret_signs_until": locked.previous_secret_expires_at.isoformat()
                if locked.previous_secret_expires_at
                else None
            },
        )
    logger.info("webhook %s secret rotated by %s", locked.pk, actor.username)
    return locked, secret


def delivery_redeliver(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same `webhook-id`, on a fresh retry schedule."""
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    with transaction.atomic():
        fields = ("state", "attempts", "next_attempt_at")
        changed = WebhookDelivery.objects.filter(pk=delivery.pk).update(
            **{field: getattr(delivery, field) for field in fields}
        )
        if not changed:  # its subscription was deleted meanwhile
            raise NotFound()
        wakeup.announce()
    logger.info("webhook delivery %s redelivered by %s", delivery.message_id, actor.username)
    return delivery


def replay(*, actor: User, subscription: WebhookSubscription, after_event: int) -> list[int]:
    """New deliveries of the events after `after_event` that the subscription wants.

    They get new `webhook-id`s (a receiver that de-duplicates by id would otherwise drop
    them) and carry the events' own cursors, so the receiver can order them. Returns the
    event ids, at most REPLAY_MAX.
    """
    now = timezone.now()
    # Filtered by the database before the window is cut, so a run of unwanted events can
    # never make a call queue nothing while wanted ones follow.
    wanted = ChangeEvent.objects.filter(pk__gt=after_event, event__in=subscription.events)
    if subscription.locales:
        wanted = wanted.filter(locale__in=subscription.locales)
    events = list(wanted.order_by("pk")[:REPLAY_MAX])
    with transaction.atomic():
        subscription = _locked(subscription)  # not deleted meanwhile, nor until this commits
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                subscription=subscription,
                event=event,
                message_id=message_id(f"{event.pk}_{subscription.pk}_{uuid.uuid4().hex[:12]}"),
                payload=event_payload(event, timestamp=event.at),
                next_attempt_at=now,
                created_at=now,
            )
            for event in events
        )
        wakeup.announce()
    logger.info(
        "webhook %s: %s event(s) replayed by %s", subscription.pk, len(events), actor.username
    )
    return [event.pk for event in events]
