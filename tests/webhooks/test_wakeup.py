"""The webhook worker wakes at a commit that changes the feed or queues deliveries (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections

from tests.publishing_helpers import make_live
from webhooks.services import replay, subscription_create
from webhooks.wakeup import wait_for_deliveries


@pytest.mark.django_db(transaction=True)
def test_a_commit_with_deliveries_wakes_the_waiting_worker(staff, admin, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    subscription_create(actor=admin, url="http://127.0.0.1:9/hooks")
    outcome: dict[str, float | bool] = {}
    listening = threading.Event()

    def worker() -> None:
        try:
            wait_for_deliveries(0.01)  # LISTEN, as the worker does between passes
            listening.set()
            started = time.monotonic()
            outcome["woken"] = wait_for_deliveries(10)
            outcome["seconds"] = time.monotonic() - started
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    listening.wait(5)
    make_live(**staff, slug="wake-up")
    thread.join(15)

    if connection.vendor == "postgresql":
        assert outcome == {"woken": True, "seconds": pytest.approx(0, abs=2)}
    else:  # SQLite has no notifications: the worker polls every WEBHOOK_POLL_INTERVAL
        assert outcome["woken"] is False
        assert outcome["seconds"] >= 9


@pytest.mark.django_db(transaction=True)
def test_a_replay_wakes_the_waiting_worker(staff, admin, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    make_live(**staff, slug="replayed")
    subscription, _ = subscription_create(actor=admin, url="http://127.0.0.1:9/hooks")
    postgresql = connection.vendor == "postgresql"
    outcome: dict[str, float | bool] = {}
    listening = threading.Event()

    def worker() -> None:
        try:
            wait_for_deliveries(0.01)
            listening.set()
            started = time.monotonic()
            outcome["woken"] = wait_for_deliveries(10 if postgresql else 0.2)
            outcome["seconds"] = time.monotonic() - started
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    listening.wait(5)
    replay(actor=admin, subscription=subscription, after_event=0)
    thread.join(15)

    # SQLite has no notifications: the worker finds the replay on its next poll.
    assert outcome["woken"] is postgresql
    assert outcome["seconds"] < (2 if postgresql else 1)
