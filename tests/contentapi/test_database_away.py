"""When the database cannot be reached: 503 problem+json with Retry-After, one log line."""

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client

from contentapi.credentials import api_key_create
from tests.outage import DatabaseDoor
from tests.problems import assert_problem
from tests.servers import app_processes


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_request_during_an_outage_is_503_with_retry_after(
    api, delivery_headers, caplog, error
):
    failing = mock.patch(
        "delivery.selectors.published_document_get",
        side_effect=error("connection to server at 127.0.0.1 failed: Connection refused"),
    )
    with failing, caplog.at_level(logging.WARNING):
        response = api().get("/api/v1/articles/anything/", **delivery_headers)

    body = assert_problem(response, 503)
    assert body["code"] == "database-unavailable"
    assert response["Retry-After"] == "5"
    lines = [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].exc_info is None  # no traceback storm
    assert "Connection refused" not in lines[0].getMessage()
    assert not [r for r in caplog.records if r.name == "django.request"]


@contextmanager
def database(error: Exception) -> Iterator[None]:
    """Every query of this thread fails with `error`, as every one does once PostgreSQL has
    gone away."""
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        yield


def test_a_plain_django_view_that_finds_the_database_away_is_503_too(reviewer, caplog):
    client = Client()
    client.force_login(reviewer)
    away = database(OperationalError("connection to server at 127.0.0.1 failed"))

    with away, caplog.at_level(logging.WARNING):
        response = client.get("/review/")  # the review queue: Django, not DRF

    body = assert_problem(response, 503)
    assert body["code"] == "database-unavailable"
    assert response["Retry-After"] == "5"
    lines = [r.getMessage() for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert lines == ["Database unavailable: GET /review/ answered 503 (OperationalError)"]


def test_a_plain_django_view_with_another_error_is_still_a_500(reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)

    with database(ValueError("a bug, not an outage")):
        response = client.get("/review/")

    assert assert_problem(response, 500)["code"] == "server-error"


@pytest.mark.django_db(transaction=True)
def test_with_the_pool_on_a_cut_database_is_a_503_within_two_seconds(tmp_path, live):
    live("behind-the-cut")
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    door = DatabaseDoor(tmp_path)
    door.open()
    env = {
        "DATABASE_URL": door.url,
        "DATABASE_POOL": "true",
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        # Each request asks the database (the hot documents would answer the article for
        # up to 100 ms after the cut): this is about how long a request waits for it.
        "HOT_DOCUMENTS_FRESH_MS": "0",
    }
    try:
        with app_processes(1, env) as (port,):
            url = f"http://127.0.0.1:{port}/api/v1/articles/behind-the-cut/"
            request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"})
            with urllib.request.urlopen(request) as response:
                assert response.status == 200
            door.shut()

            started = time.monotonic()
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            waited = time.monotonic() - started
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
                alive = health.status
    finally:
        door.shut()

    assert refused.value.code == 503
    assert refused.value.headers["Retry-After"] == "5"
    assert waited < 3.0
    assert alive == 200
