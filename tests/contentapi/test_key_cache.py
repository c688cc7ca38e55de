"""A process remembers a valid API key for API_KEY_CACHE_SECONDS, and no longer."""

import pytest
from rest_framework.test import APIClient

from contentapi.authentication import recent_keys
from contentapi.models import IntegratorKey

DELIVERY = "/api/v1/articles/"


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(recent_keys, "clock", lambda: now[0])
    return now


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.mark.django_db
def test_a_checked_key_is_not_looked_up_again_within_the_cache_time(
    settings, django_assert_num_queries
):
    settings.API_KEY_CACHE_SECONDS = 5
    _, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200

    with django_assert_num_queries(1):  # the list only; the key is remembered
        assert client.get(DELIVERY).status_code == 200


@pytest.mark.django_db
def test_a_revoked_key_stops_working_once_the_cache_time_has_passed(settings, clock):
    settings.API_KEY_CACHE_SECONDS = 5
    api_key, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200
    IntegratorKey.objects.filter(pk=api_key.pk).update(revoked=True)

    clock[0] += 4
    assert client.get(DELIVERY).status_code == 200
    clock[0] += 2
    response = client.get(DELIVERY)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_with_no_cache_time_a_revoked_key_stops_working_at_once(settings):
    settings.API_KEY_CACHE_SECONDS = 0
    api_key, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200

    IntegratorKey.objects.filter(pk=api_key.pk).update(revoked=True)

    assert client.get(DELIVERY).status_code == 401


@pytest.mark.django_db
def test_an_invalid_key_is_never_remembered(settings):
    settings.API_KEY_CACHE_SECONDS = 5
    _, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")

    assert _client(wrong).get(DELIVERY).status_code == 401
    assert _client(wrong).get(DELIVERY).status_code == 401
    assert _client(key).get(DELIVERY).status_code == 200
