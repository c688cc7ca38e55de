"""The keys that protect stored signing secrets: their own setting, rotatable with no downtime,
and one secret no key reads never stops the worker.

Signatures are checked by the Standard Webhooks reference library with the secret the admin
was shown, so "the receiver notices nothing" is what these assert.
"""

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from tests.publishing_helpers import make_live
from tests.webhooks.receiver import receiver_running, verified
from webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription
from webhooks.secrets import legacy_key
from webhooks.worker import deliver_due

WEBHOOKS = "/api/v1/manage/webhooks/"
OLD, NEW, LOST = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture(autouse=True)
def _old_key(settings: Any) -> None:
    settings.WEBHOOK_ENCRYPTION_KEYS = [OLD]


def _reads_with(settings: Any, *keys: str) -> None:
    settings.WEBHOOK_ENCRYPTION_KEYS = list(keys)


def test_a_key_rotation_under_traffic_loses_and_fails_no_delivery(
    settings, receiver, subscribe, staff
):
    secret = subscribe(receiver.url)["secret"]
    make_live(**staff, slug="before")
    deliver_due()

    _reads_with(settings, NEW, OLD)  # step 1: the new key in front, the old one still reads
    make_live(**staff, slug="during")
    deliver_due()
    out = io.StringIO()
    call_command("rotate_webhook_encryption", stdout=out)  # step 2
    make_live(**staff, slug="between")
    deliver_due()
    _reads_with(settings, NEW)  # step 3: the old key is gone
    make_live(**staff, slug="after")
    deliver_due()

    assert "Re-encrypted the secrets of 1 subscription(s)" in out.getvalue()
    assert [p["data"]["slug"] for p in verified(receiver, secret)] == [
        "before",
        "during",
        "between",
        "after",
    ]
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SUCCEEDED}
    stored = WebhookSubscription.objects.get()
    assert Fernet(NEW.encode()).decrypt(stored.secret_encrypted.encode()).decode() == secret


def test_changing_secret_key_changes_nothing_for_webhooks(settings, receiver, subscribe, staff):
    secret = subscribe(receiver.url)["secret"]
    settings.SECRET_KEY = "a-new-secret-key-after-a-rotation"
    make_live(**staff, slug="after-secret-key-rotation")

    deliver_due()

    assert len(verified(receiver, secret)) == 1


def test_secrets_stored_under_the_old_derived_key_are_moved_by_the_rotation(
    settings, receiver, subscribe, staff
):
    secret = subscribe(receiver.url)["secret"]
    # As an earlier version stored it: under a key derived from SECRET_KEY.
    derived = Fernet(legacy_key(settings.SECRET_KEY))
    WebhookSubscription.objects.update(secret_encrypted=derived.encrypt(secret.encode()).decode())

    call_command("rotate_webhook_encryption", stdout=io.StringIO())
    settings.SECRET_KEY = "rotated-after-the-upgrade"
    make_live(**staff, slug="after-upgrade")
    deliver_due()

    assert len(verified(receiver, secret)) == 1


def test_a_secret_no_key_reads_marks_its_subscription_and_the_others_go_on(
    settings, api, admin, client, subscribe, staff
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT = 1.0
    settings.METRICS_TOKEN = ""
    with receiver_running() as lost_receiver, receiver_running() as healthy_receiver:
        _reads_with(settings, LOST)
        lost = subscribe(lost_receiver.url)  # stored under a key that is then dropped
        _reads_with(settings, OLD)
        healthy = subscribe(healthy_receiver.url)
        make_live(**staff, slug="one")

        deliver_due()  # neither raises nor stops at the unreadable one
        make_live(**staff, slug="two")
        deliver_due()

        assert [p["data"]["slug"] for p in verified(healthy_receiver, healthy["secret"])] == [
            "one",
            "two",
        ]
        assert lost_receiver.received == []
        marked = WebhookSubscription.objects.get(pk=lost["id"])
        assert marked.failing_since is not None
        assert "cannot be decrypted with any key in WEBHOOK_ENCRYPTION_KEYS" in marked.last_error
        # Not one attempt was spent on it: its deliveries wait, in order.
        assert WebhookDelivery.objects.filter(subscription=marked, attempts=0).count() == 2
        status = api(admin).get("/api/v1/manage/status/").json()["webhooks"]
        assert status["subscriptions_failing"] == 1
        assert [s["id"] for s in status["failing_subscriptions"]] == [lost["id"]]
        assert "WEBHOOK_ENCRYPTION_KEYS" in status["failing_subscriptions"][0]["last_error"]
        assert (
            "contentapi_webhook_subscriptions_failing 1.0"
            in client.get("/metrics").content.decode()
        )

        # The way out without the lost key: rotate its secret. The old one cannot sign
        # beside it, so there is no overlap, and the waiting deliveries go out at once.
        rotated = api(admin).post(f"{WEBHOOKS}{lost['id']}/rotate-secret/").json()
        deliver_due()

        assert rotated["secret_rotating_until"] is None
        assert [p["data"]["slug"] for p in verified(lost_receiver, rotated["secret"])] == [
            "one",
            "two",
        ]
        cleared = WebhookSubscription.objects.get(pk=lost["id"])
        assert (cleared.failing_since, cleared.last_error) == (None, "")


def test_the_rotation_command_reports_a_secret_no_key_reads(settings, subscribe, receiver):
    _reads_with(settings, LOST)
    lost = subscribe(receiver.url)
    _reads_with(settings, OLD)
    subscribe(receiver.url)

    with pytest.raises(CommandError, match=f"subscription\\(s\\) {lost['id']}:"):
        call_command("rotate_webhook_encryption", stdout=io.StringIO())
