"""Fixtures of the webhook tests: a real receiver on a loopback port, and subscribing to it."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.webhooks.receiver import Receiver, receiver_running

WEBHOOKS = "/api/v1/manage/webhooks/"


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT = 1.0
    with receiver_running() as running:
        yield running


@pytest.fixture
def subscribe(api: Any, admin: Any) -> Any:
    """Subscribe through the API, as an admin does; returns the answer (with the secret)."""

    def make(url: str, **fields: Any) -> dict[str, Any]:
        response = api(admin).post(WEBHOOKS, {"url": url, **fields})
        assert response.status_code == 201, response.content
        return response.json()

    return make
