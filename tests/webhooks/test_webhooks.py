"""Webhooks: every change event reaches each subscriber, signed, in order, retried, replayable.

A real receiver listens on a loopback port; signatures are checked with the Standard Webhooks
reference library (`standardwebhooks`), not with our own code. The worker runs in the test
(`deliver_due`), with the clock passed in where retries need time to pass.
"""

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from articles import workflow
from contentapi.models import CredentialEvent
from delivery.models import ChangeEvent
from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import (
    Clock,
    approve,
    approved_revision,
    create_article,
    latest,
    make_live,
    publish,
)
from tests.webhooks.receiver import verified
from webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription
from webhooks.worker import RETRY_SCHEDULE, deliver_due

WEBHOOKS = "/api/v1/manage/webhooks/"


def later(seconds: float) -> Any:
    return timezone.now() + timedelta(seconds=seconds)


def test_publish_update_unpublish_and_a_scheduled_go_live_each_arrive_once_in_order(
    receiver, subscribe, staff, publisher
):
    secret = subscribe(receiver.url)["secret"]
    article = make_live(**staff, slug="dense-breasts", title="Dense breasts")
    publish(
        approved_revision(article, **{k: staff[k] for k in ("editor", "reviewer")}),
        publisher=publisher,
    )
    workflow.article_unpublish(actor=publisher, article=article, reason="Outdated")
    scheduled = create_article(editor=staff["editor"], slug="flu-vaccine")
    approve(latest(scheduled), editor=staff["editor"], reviewer=staff["reviewer"])
    workflow.revision_schedule(actor=publisher, revision=latest(scheduled), publish_at=later(3600))
    workflow.scheduled_run(now=later(3601))

    deliver_due()
    deliver_due()  # nothing is sent twice

    payloads = verified(receiver, secret)
    assert [(p["type"], p["data"]["slug"]) for p in payloads] == [
        ("article.published", "dense-breasts"),
        ("article.updated", "dense-breasts"),
        ("article.unpublished", "dense-breasts"),
        ("article.published", "flu-vaccine"),
    ]
    cursors = [p["data"]["cursor"] for p in payloads]
    events = list(ChangeEvent.objects.order_by("id"))
    assert cursors == [f"c1.{e.pk}" for e in events]
    assert payloads[0]["data"]["revision"] == 1
    assert payloads[0]["data"]["url"].endswith("/api/v1/articles/dense-breasts/?locale=en")
    assert "article-dense-breasts-en" in payloads[0]["data"]["purge_keys"]
    assert len(set(receiver.ids)) == 4


def test_a_receiver_answering_500_twice_gets_the_same_webhook_id_three_times(
    receiver, subscribe, staff, clock
):
    # Started so that all three attempts fall within the five minutes that the receiver's
    # signature check (Standard Webhooks) allows around its own, real, clock.
    clock.now = datetime.now(UTC) - timedelta(seconds=200)
    secret = subscribe(receiver.url)["secret"]
    receiver.answers = [500, 503, 200]
    make_live(**staff, slug="a1c")

    sent_at = [clock.now]
    deliver_due()
    for delay in RETRY_SCHEDULE[:2]:
        sent_at.append(clock.advance(seconds=delay * 1.2))
        deliver_due()

    assert len(receiver.received) == 3
    assert len(set(receiver.ids)) == 1
    verified(receiver, secret)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SUCCEEDED, 3)
    assert [t.status_code for t in delivery.tries.all()] == [500, 503, 200]
    # Each attempt is signed afresh, for the moment it is sent.
    assert [r.headers["webhook-timestamp"] for r in receiver.received] == [
        str(int(moment.timestamp())) for moment in sent_at
    ]
    assert len({r.headers["webhook-signature"] for r in receiver.received}) == 3


def test_a_failing_delivery_does_not_hold_back_the_next_event(receiver, subscribe, staff):
    subscribe(receiver.url)
    receiver.answers = [500, 200]
    make_live(**staff, slug="first")
    make_live(**staff, slug="second")

    deliver_due()

    first, second = WebhookDelivery.objects.order_by("id")
    assert (first.state, second.state) == (DeliveryState.PENDING, DeliveryState.SUCCEEDED)
    assert first.next_attempt_at > timezone.now()


def test_retry_after_is_honoured(receiver, subscribe, staff):
    subscribe(receiver.url)
    receiver.answers = [429, 200]
    receiver.extra_headers = {"Retry-After": "600"}
    make_live(**staff, slug="busy")

    deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=590)


def test_410_disables_the_subscription(receiver, subscribe, staff):
    webhook = subscribe(receiver.url)
    receiver.answers = [410]
    make_live(**staff, slug="one")
    make_live(**staff, slug="two")

    deliver_due()

    subscription = WebhookSubscription.objects.get(pk=webhook["id"])
    assert not subscription.enabled
    assert "410" in subscription.disabled_reason
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.filter(state=DeliveryState.FAILED).count() == 1


def test_a_receiver_that_hangs_is_timed_out_and_retried(receiver, subscribe, staff):
    subscribe(receiver.url)
    receiver.answers = [("hang", 3.0)]
    make_live(**staff, slug="slow")

    deliver_due()

    delivery = WebhookDelivery.objects.get()
    attempt = delivery.tries.get()
    assert "timed out" in attempt.error
    assert attempt.duration_ms < 2500
    assert delivery.state == DeliveryState.PENDING


def every_attempt_sent(clock: Clock) -> None:
    """The first attempt and every retry, each when it falls due."""
    deliver_due()
    for delay in RETRY_SCHEDULE:
        clock.advance(seconds=delay * 1.2)  # past the longest jitter
        deliver_due()


def test_after_the_last_attempt_the_delivery_fails_and_the_subscription_is_flagged(
    receiver, subscribe, staff, clock
):
    webhook = subscribe(receiver.url)
    receiver.answers = [500]
    make_live(**staff, slug="doomed")

    every_attempt_sent(clock)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, len(RETRY_SCHEDULE) + 1)
    assert WebhookSubscription.objects.get(pk=webhook["id"]).failing_since == clock.now


def test_a_flagged_subscription_is_cleared_by_its_next_success(receiver, subscribe, staff, clock):
    webhook = subscribe(receiver.url)
    receiver.answers = [500]
    make_live(**staff, slug="doomed")
    every_attempt_sent(clock)
    flagged_at = WebhookSubscription.objects.get(pk=webhook["id"]).failing_since
    receiver.answers = [200]
    make_live(**staff, slug="recovered")

    deliver_due()

    assert flagged_at == clock.now
    assert [d.state for d in WebhookDelivery.objects.order_by("id")] == [
        DeliveryState.FAILED,
        DeliveryState.SUCCEEDED,
    ]
    assert WebhookSubscription.objects.get(pk=webhook["id"]).failing_since is None


def test_during_rotation_both_secrets_verify_and_after_it_only_the_new_one(
    api, admin, receiver, subscribe, staff
):
    webhook = subscribe(receiver.url)
    old = webhook["secret"]
    rotated = api(admin).post(f"{WEBHOOKS}{webhook['id']}/rotate-secret/")
    new = rotated.json()["secret"]
    make_live(**staff, slug="during")

    deliver_due()

    assert new != old
    assert new.startswith("whsec_")
    assert len(receiver.received[0].headers["webhook-signature"].split(" ")) == 2
    verified(receiver, old)
    verified(receiver, new)
    WebhookSubscription.objects.update(previous_secret_expires_at=timezone.now())
    make_live(**staff, slug="after")
    deliver_due()
    last = receiver.received[-1]
    Webhook(new).verify(last.body, last.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(last.body, last.headers)


def test_the_secret_is_shown_once_and_stored_encrypted(api, admin, subscribe, receiver):
    webhook = subscribe(receiver.url)

    shown = api(admin).get(f"{WEBHOOKS}{webhook['id']}/").json()
    stored = WebhookSubscription.objects.get()

    assert "secret" not in shown
    assert webhook["secret"] not in stored.secret_encrypted
    assert webhook["secret"].removeprefix("whsec_") not in stored.secret_encrypted


def test_a_url_resolving_to_loopback_is_refused_unless_allowed(api, admin, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []

    for url in ("https://127.0.0.1/hooks", "https://localhost/hooks", "http://127.0.0.1/x"):
        response = api(admin).post(WEBHOOKS, {"url": url})
        assert "url" in field_errors(assert_problem(response, 400)), url


def test_the_guard_holds_at_send_time_too(receiver, subscribe, staff, settings):
    # https to a name, allowed when saved; by send time the name's address is no longer
    # allowed. Only the check of the resolved address can refuse it (the scheme is fine).
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "::1"]  # localhost, either family
    port = receiver.url.split(":")[2].split("/")[0]
    subscribe(f"https://localhost:{port}/hooks")
    make_live(**staff, slug="rebound")
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []

    deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert delivery.state == DeliveryState.FAILED
    assert "localhost resolves to" in delivery.last_error
    assert "WEBHOOK_ALLOWED_PRIVATE_HOSTS" in delivery.last_error


def test_plain_http_is_refused_at_send_time_once_no_longer_allowed(
    receiver, subscribe, staff, settings
):
    subscribe(receiver.url)
    make_live(**staff, slug="plain")
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []

    deliver_due()

    assert receiver.received == []
    assert "Must be https" in WebhookDelivery.objects.get().last_error


def test_only_the_events_and_locales_subscribed_are_sent(receiver, subscribe, staff, publisher):
    subscribe(receiver.url, events=["unpublished"], locales=["es"])
    english = make_live(**staff, slug="english")
    spanish = make_live(**staff, slug="espanol", locale="es")
    workflow.article_unpublish(actor=publisher, article=english, reason="x")
    workflow.article_unpublish(actor=publisher, article=spanish, reason="x")

    deliver_due()

    assert [json.loads(r.body)["data"]["slug"] for r in receiver.received] == ["espanol"]


def test_redeliver_sends_again_with_the_same_id_and_replay_with_new_ids(
    api, admin, receiver, subscribe, staff
):
    webhook = subscribe(receiver.url)
    make_live(**staff, slug="one")
    make_live(**staff, slug="two")
    deliver_due()
    client = api(admin)
    deliveries = client.get(f"{WEBHOOKS}{webhook['id']}/deliveries/").json()["results"]
    first_cursor = json.loads(receiver.received[0].body)["data"]["cursor"]

    redelivered = client.post(
        f"{WEBHOOKS}{webhook['id']}/deliveries/{deliveries[-1]['id']}/redeliver/"
    )
    replayed = client.post(f"{WEBHOOKS}{webhook['id']}/replay/?since={first_cursor}")
    deliver_due()

    assert deliveries[0]["tries"][0]["status_code"] == 200
    assert deliveries[0]["tries"][0]["response_excerpt"] == "ok"
    assert redelivered.status_code == 200
    assert replayed.status_code == 202
    assert replayed.json()["queued"] == 1
    ids = receiver.ids
    assert len(ids) == 4
    assert ids[2] == ids[0]  # the redelivery of the first event
    assert ids[3] not in ids[:3]  # the replay of the second event, a new message
    assert json.loads(receiver.received[3].body)["data"]["slug"] == "two"


def test_only_admins_manage_webhooks(api, editor, receiver):
    response = api(editor).post(WEBHOOKS, {"url": receiver.url})

    assert_problem(response, 403)
    assert WebhookSubscription.objects.count() == 0


def test_operators_see_the_backlog_and_its_oldest_age(
    api, admin, client, receiver, subscribe, staff, clock
):
    subscribe(receiver.url)
    receiver.answers = [500]
    make_live(**staff, slug="stuck")
    deliver_due()
    clock.advance(seconds=90)

    status_now = api(admin).get("/api/v1/manage/status/").json()["webhooks"]
    metrics = client.get("/metrics").content.decode()

    assert status_now["pending"] == 1
    assert status_now["oldest_seconds"] == 90.0
    assert "contentapi_webhook_deliveries_pending 1.0" in metrics
    assert "contentapi_webhook_oldest_pending_seconds 90.0" in metrics


def test_every_change_to_a_subscription_is_a_credential_event_without_the_secret(
    api, admin, receiver
):
    client = api(admin)
    created = client.post(WEBHOOKS, {"url": receiver.url}).json()
    client.patch(f"{WEBHOOKS}{created['id']}/", {"events": ["published"]})
    rotated = client.post(f"{WEBHOOKS}{created['id']}/rotate-secret/").json()
    client.delete(f"{WEBHOOKS}{created['id']}/")

    events = list(CredentialEvent.objects.filter(chain=f"webhook:{created['id']}"))
    recorded = json.dumps([e.chained_fields() for e in events], default=str)
    assert [e.action for e in events] == [
        "webhook_created",
        "webhook_changed",
        "webhook_secret_rotated",
        "webhook_deleted",
    ]
    assert {e.actor_id for e in events} == {admin.pk}
    assert events[1].details["changed"] == ["events"]
    assert events[0].details["url"] == receiver.url
    for secret in (created["secret"], rotated["secret"]):
        assert secret.removeprefix("whsec_") not in recorded
    out = io.StringIO()
    call_command("verify_audit", stdout=out)  # raises CommandError if a link is broken
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert "every link and signature holds" in out.getvalue()


def test_a_redelivery_continues_the_attempt_history(api, admin, receiver, subscribe, staff):
    webhook = subscribe(receiver.url)
    receiver.answers = [500, 200]
    make_live(**staff, slug="retried")
    deliver_due()
    delivery = WebhookDelivery.objects.get()

    api(admin).post(f"{WEBHOOKS}{webhook['id']}/deliveries/{delivery.pk}/redeliver/")
    deliver_due()

    delivery.refresh_from_db()
    assert [t.number for t in delivery.tries.order_by("id")] == [1, 2]
    assert [t.status_code for t in delivery.tries.order_by("id")] == [500, 200]
    assert (delivery.state, delivery.attempts) == (DeliveryState.SUCCEEDED, 1)
