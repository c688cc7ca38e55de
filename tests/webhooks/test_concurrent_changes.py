"""Admins changing one subscription at once: each call answers 2xx or 404, never 500.

Real threads and committed transactions, so the row lock in `webhooks.services` and what
follows a concurrent delete are what decides the answers.
"""

from collections import Counter
from typing import Any

import pytest

from tests.racing import race
from webhooks.models import WebhookSubscription

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOKS = "/api/v1/manage/webhooks/"


def test_deletes_patches_rotations_and_replays_racing_on_one_subscription_never_500(
    api: Any, admin: Any, settings: Any
) -> None:
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    created = api(admin).post(WEBHOOKS, {"url": "http://127.0.0.1:9/hook"})
    assert created.status_code == 201, created.content
    url = f"{WEBHOOKS}{created.json()['id']}/"
    clients = [api(admin) for _ in range(12)]
    calls = [
        lambda c: c.delete(url),
        lambda c: c.patch(url, {"description": "renamed"}),
        lambda c: c.post(f"{url}rotate-secret/"),
        lambda c: c.post(f"{url}replay/?since=c1.0"),
    ]

    results = race(12, lambda i: calls[i % 4](clients[i]).status_code)

    statuses = Counter(results)
    assert set(statuses) <= {200, 202, 204, 404}, results
    assert statuses[204] == 1, results  # exactly one delete wins
    assert not WebhookSubscription.objects.exists()
