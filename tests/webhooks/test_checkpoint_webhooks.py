"""`audit.checkpoint`: an auditor's receiver gets every signed audit checkpoint, signed as
every delivery is, and keeps the copy outside the building that `verify_audit
--checkpoints` compares the database with."""

import io
import json

from django.core.management import call_command

from contentapi.checkpoints import checkpoint_fault, checkpoint_write
from contentapi.models import CheckpointReason
from tests.publishing_helpers import make_live, new_revision
from tests.webhooks.receiver import verified
from webhooks.fanout import fan_out_checkpoints
from webhooks.models import WebhookDelivery
from webhooks.worker import deliver_due

WEBHOOKS = "/api/v1/manage/webhooks/"


def test_a_receiver_that_asks_for_checkpoints_gets_each_one_signed_and_verifiable(
    receiver, subscribe, staff, api, admin, tmp_path
):
    make_live(**staff, slug="a1c")
    checkpoint_write(CheckpointReason.PUBLICATION)  # before the subscription: not sent
    auditor = subscribe(receiver.url, events=["audit.checkpoint"])
    portal = subscribe("http://127.0.0.1:9/portal")  # the article changes only; nobody listens
    article = make_live(**staff, slug="flu-vaccine")
    checkpoint_write(CheckpointReason.PUBLICATION)
    new_revision(article, editor=staff["editor"], summary="A draft.")
    checkpoint_write(CheckpointReason.INTERVAL)

    deliver_due()

    kept = [p for p in verified(receiver, auditor["secret"]) if p["type"] == "audit.checkpoint"]
    assert [p["data"]["seq"] for p in kept] == [2, 3]
    assert all(checkpoint_fault(p["data"]) is None for p in kept)
    assert not WebhookDelivery.objects.filter(
        subscription_id=portal["id"], checkpoint__isnull=False
    ).exists()
    listed = api(admin).get(f"{WEBHOOKS}{auditor['id']}/deliveries/").json()["results"]
    assert {(d["event"], d["slug"]) for d in listed} == {("audit.checkpoint", None)}
    # What the receiver kept is what verify_audit compares the database with.
    copy = tmp_path / "kept.jsonl"
    copy.write_text("\n".join(json.dumps(p["data"]) for p in kept))
    out = io.StringIO()
    call_command("verify_audit", f"--checkpoints={copy}", stdout=out, stderr=io.StringIO())
    assert "and 2 kept checkpoint(s) agree" in out.getvalue()


def test_each_checkpoint_is_offered_once(receiver, subscribe, staff):
    subscribe(receiver.url, events=["published", "audit.checkpoint"])
    make_live(**staff, slug="a1c")
    checkpoint_write(CheckpointReason.PUBLICATION)

    assert fan_out_checkpoints() == 1
    assert fan_out_checkpoints() == 0


def test_an_unknown_event_is_refused(api, admin, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    response = api(admin).post(WEBHOOKS, {"url": "http://127.0.0.1:9/", "events": ["audit"]})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "events[0]"
