"""Sending due deliveries: fan new events out, claim a subscription, send its due deliveries
in feed order, retry.

Several workers may run at once (`deliver_webhooks --loop` in several processes). A worker
claims one subscription at a time with `SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL; on
SQLite the write lock serialises claims) and holds it by a lease, renewed before each send and
released at the end, so one worker sends a subscription's deliveries at a time: first attempts
leave in feed order, and no delivery is sent by two workers. A crashed worker's lease runs
out and another worker carries on. A delivery that fails is rescheduled on the retry schedule
and never holds back the ones after it.

No receiver holds another back: each attempt has one deadline for the whole answer
(`WEBHOOK_TIMEOUT`, webhooks/sender.py), a pass serves subscriptions in turns (each at most
`BATCH` deliveries per turn), and one that gave no answer is not served again in that pass,
so a slow receiver delays the others by at most its deadline. A subscription that cannot be
served at all (a secret no key decrypts, or any other fault of its own) is marked failing
with the reason, left alone for `TROUBLE_BACKOFF`, and the pass goes on with the others.
"""

import contextlib
import logging
import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contentapi.workers import is_transient
from webhooks import sender
from webhooks.fanout import fan_out, fan_out_checkpoints
from webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.secrets import SecretUnreadable, secret_decrypt
from webhooks.signing import signature_header

logger = logging.getLogger("webhooks")

# Seconds after attempt 1, 2, ... before the next: the Standard Webhooks schedule (the first
# attempt goes immediately), with ±10% jitter so that retries after an outage spread out.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
MAX_RETRY_AFTER = 86400  # a receiver's Retry-After is honoured up to a day
BATCH = 50  # deliveries sent per turn, before the worker looks at other subscriptions
TROUBLE_BACKOFF = timedelta(minutes=5)  # a subscription that cannot be served waits this long
USER_AGENT = "patient-education-content-api-webhooks/1"


@dataclass(frozen=True)
class PassResult:
    sent: int
    succeeded: int
    stalled: bool = False  # a receiver gave no answer: its turn ended early


def _lease_seconds() -> float:
    return settings.WEBHOOK_TIMEOUT + 30


def _due(now: datetime) -> WebhookDelivery:
    return WebhookDelivery.objects.filter(
        subscription=OuterRef("pk"), state=DeliveryState.PENDING, next_attempt_at__lte=now
    )


def subscription_claim(now: datetime, *, skip: Collection[int] = ()) -> WebhookSubscription | None:
    """One enabled subscription with due deliveries that no other worker holds (nor is in
    `skip`), leased."""
    with transaction.atomic():
        subscription = (
            WebhookSubscription.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .filter(Exists(_due(now)))
            .exclude(pk__in=list(skip))
            .order_by("id")
            .first()
        )
        if subscription is None:
            return None
        subscription.lease_until = now + timedelta(seconds=_lease_seconds())
        subscription.save(update_fields=["lease_until"])
        return subscription


def _lease_renew(subscription: WebhookSubscription) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        lease_until=timezone.now() + timedelta(seconds=_lease_seconds())
    )


# Leases this process could not release (the database went away mid-turn): released at the
# start of its next pass, so a blip does not leave a subscription waiting for its lease to
# run out.
_unreleased: set[int] = set()


def _lease_release(subscription: WebhookSubscription) -> None:
    try:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(lease_until=None)
    except Exception:
        _unreleased.add(subscription.pk)
        raise


def _leases_left_over_release() -> None:
    if _unreleased:
        WebhookSubscription.objects.filter(pk__in=list(_unreleased)).update(lease_until=None)
        _unreleased.clear()


def signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    """The current secret, and the previous one while a rotation's overlap lasts.

    SecretUnreadable if no key decrypts the current one; a previous one that no key decrypts
    is left out, so rotating the secret is a way out of a lost key.
    """
    secrets = [secret_decrypt(subscription.secret_encrypted)]
    if (
        subscription.previous_secret_encrypted
        and subscription.previous_secret_expires_at
        and subscription.previous_secret_expires_at > now
    ):
        with contextlib.suppress(SecretUnreadable):
            secrets.append(secret_decrypt(subscription.previous_secret_encrypted))
    return secrets


def request_headers(
    delivery: WebhookDelivery, subscription: WebhookSubscription, now: datetime
) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            signing_secrets(subscription, now),
            message_id=delivery.message_id,
            timestamp=timestamp,
            body=delivery.payload.encode(),
        ),
    }


def retry_delay(attempts: int, retry_after: float | None) -> float:
    """Seconds before the next attempt, after `attempts` attempts."""
    delay = RETRY_SCHEDULE[attempts - 1] * random.uniform(0.9, 1.1)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def _retryable(outcome: sender.Outcome) -> bool:
    if outcome.status_code is None:
        return not outcome.refused
    return outcome.status_code == 429 or outcome.status_code >= 500


def delivery_send(delivery: WebhookDelivery, subscription: WebhookSubscription) -> bool:
    """One attempt, recorded; returns whether the receiver took it."""
    started = timezone.now()
    outcome = sender.post(
        subscription.url,
        body=delivery.payload.encode(),
        headers=request_headers(delivery, subscription, started),
        timeout=settings.WEBHOOK_TIMEOUT,
    )
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    ok = outcome.status_code is not None and 200 <= outcome.status_code < 300
    with transaction.atomic():
        if not WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).exists():
            return False  # its subscription was deleted while it was being sent
        WebhookAttempt.objects.create(
            delivery=delivery,
            # Counted from the history, not from `attempts`, which a redelivery resets for
            # a fresh retry schedule: attempt numbers never repeat.
            number=delivery.tries.count() + 1,
            started_at=started,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
        )
        if ok:
            delivery.state = DeliveryState.SUCCEEDED
            delivery.delivered_at = now
        elif outcome.status_code == 410:
            delivery.state = DeliveryState.FAILED
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                enabled=False,
                disabled_reason=f"The receiver answered 410 Gone at {now.isoformat()}.",
            )
            logger.warning("webhook %s disabled: its receiver answered 410", subscription.pk)
        elif _retryable(outcome) and delivery.attempts < MAX_ATTEMPTS:
            delay = retry_delay(delivery.attempts, outcome.retry_after)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        else:
            delivery.state = DeliveryState.FAILED
            WebhookSubscription.objects.filter(pk=subscription.pk, failing_since=None).update(
                failing_since=now
            )
            logger.warning(
                "webhook delivery %s failed after %s attempt(s): %s",
                delivery.message_id,
                delivery.attempts,
                outcome.error or outcome.status_code,
            )
        delivery.save(
            update_fields=[
                "attempts",
                "state",
                "delivered_at",
                "next_attempt_at",
                "last_status_code",
                "last_error",
            ]
        )
        if ok and (subscription.failing_since is not None or subscription.last_error):
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                failing_since=None, last_error=""
            )
            subscription.failing_since, subscription.last_error = None, ""
    return ok


def subscription_deliver(subscription: WebhookSubscription, now: datetime) -> PassResult:
    """Send the claimed subscription's due deliveries, oldest event first; its turn ends
    early when a receiver gives no answer (the rest would most likely wait as long)."""
    sent = succeeded = 0
    stalled = False
    try:
        due = list(
            WebhookDelivery.objects.filter(
                subscription=subscription, state=DeliveryState.PENDING, next_attempt_at__lte=now
            ).order_by("id")[:BATCH]
        )
        for delivery in due:
            # Deleted or turned off meanwhile (by an admin, or by a 410).
            if not WebhookSubscription.objects.filter(pk=subscription.pk, enabled=True).exists():
                break
            _lease_renew(subscription)
            sent += 1
            if delivery_send(delivery, subscription):
                succeeded += 1
            elif delivery.last_status_code is None:
                stalled = True
                break
    finally:
        _lease_release(subscription)
    return PassResult(sent, succeeded, stalled)


def subscription_trouble(subscription: WebhookSubscription, exc: Exception) -> None:
    """Mark a subscription that cannot be served as failing, say why, and leave it alone
    for TROUBLE_BACKOFF: one bad record never stops the worker."""
    now = timezone.now()
    reason = str(exc) if isinstance(exc, SecretUnreadable) else f"{type(exc).__name__}: {exc}"
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=Coalesce(F("failing_since"), Value(now)),
        last_error=reason[:300],
        lease_until=now + TROUBLE_BACKOFF,
    )
    if isinstance(exc, SecretUnreadable):
        logger.warning("webhook %s cannot be sent: %s", subscription.pk, reason)
    else:
        logger.exception("webhook %s: its deliveries failed to go out", subscription.pk)


def deliver_due(*, now: datetime | None = None) -> PassResult:
    """One worker pass: give each subscription the new events of the feed, then serve the
    subscriptions with due deliveries in turns, until a round sends nothing. One that gave
    no answer, or cannot be served, waits for the next pass."""
    _leases_left_over_release()
    fan_out()
    fan_out_checkpoints()
    sent = succeeded = 0
    served: set[int] = set()  # this round's turns
    passed_over: set[int] = set()  # no answer, or trouble: not again in this pass
    round_sent = 0
    while True:
        moment = now or timezone.now()
        subscription = subscription_claim(moment, skip=served | passed_over)
        if subscription is None:
            if not served or round_sent == 0:
                return PassResult(sent, succeeded)
            served, round_sent = set(), 0  # the next round: each in turn again
            continue
        try:
            result = subscription_deliver(subscription, moment)
        except Exception as exc:
            if is_transient(exc):
                raise  # the database is away: the worker's loop backs off
            subscription_trouble(subscription, exc)
            passed_over.add(subscription.pk)
            continue
        (passed_over if result.stalled else served).add(subscription.pk)
        sent += result.sent
        succeeded += result.succeeded
        round_sent += result.sent
