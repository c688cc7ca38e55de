"""Two worker processes against one database deliver each event exactly once between them."""

import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from tests.publishing_helpers import make_live
from tests.servers import database_url
from tests.webhooks.receiver import receiver_running
from webhooks.models import DeliveryState, WebhookDelivery
from webhooks.services import subscription_create

SUBSCRIPTIONS = 3
ARTICLES = 20


@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_each_event_exactly_once_in_feed_order(staff, admin, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    with receiver_running() as receiver:
        receiver.answers = [("hang", 0.01)]  # 10 ms a request, so the workers overlap
        subscriptions = [
            subscription_create(actor=admin, url=f"{receiver.url}/{n}")[0]
            for n in range(SUBSCRIPTIONS)
        ]
        for n in range(ARTICLES):
            make_live(**staff, slug=f"article-{n:02}")
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        }
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "deliver_webhooks"],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=120) for worker in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    received: list[Any] = [(r.headers["webhook-id"], r.body) for r in receiver.received]
    counts = Counter(message_id for message_id, _ in received)
    assert len(counts) == SUBSCRIPTIONS * ARTICLES
    assert set(counts.values()) == {1}
    assert not WebhookDelivery.objects.exclude(state=DeliveryState.SUCCEEDED).exists()
    for subscription in subscriptions:
        ids = [
            int(message_id.split("_")[1])
            for message_id, _ in received
            if message_id.endswith(f"_{subscription.pk}")
        ]
        assert ids == sorted(ids)  # first attempts in feed order, per subscription
