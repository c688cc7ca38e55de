"""A valid API key is remembered in the cache for API_KEY_CACHE_SECONDS, and no longer."""

import time

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from contentapi.models import IntegratorKey

DELIVERY = "/api/v1/articles/"


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.mark.django_db
def test_a_checked_key_is_not_looked_up_again_within_the_cache_time(
    settings, django_assert_num_queries
):
    settings.API_KEY_CACHE_SECONDS = 5
    settings.HOT_DOCUMENTS_MB = 0  # every request reads its list: the key's look-up is in question
    _, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200

    with django_assert_num_queries(1):  # the list only; the key is remembered
        assert client.get(DELIVERY).status_code == 200


@pytest.mark.django_db
def test_a_key_revoked_behind_the_service_stops_working_once_the_cache_time_has_passed(
    settings,
):
    settings.API_KEY_CACHE_SECONDS = 0.5
    api_key, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200
    IntegratorKey.objects.filter(pk=api_key.pk).update(revoked=True)

    assert client.get(DELIVERY).status_code == 200  # still remembered
    time.sleep(0.6)
    response = client.get(DELIVERY)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db(transaction=True)
def test_revoking_a_key_forgets_it_in_the_cache_at_once(settings):
    settings.API_KEY_CACHE_SECONDS = 60
    api_key, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    client = _client(key)
    assert client.get(DELIVERY).status_code == 200

    call_command("revoke_credentials", "--api-key", api_key.prefix, stdout=None)

    assert client.get(DELIVERY).status_code == 401


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


@pytest.mark.django_db
def test_a_remembered_prefix_with_another_secret_is_refused(settings):
    settings.API_KEY_CACHE_SECONDS = 5
    _, key = IntegratorKey.objects.create_key(name="portal", scopes=["delivery"])
    assert _client(key).get(DELIVERY).status_code == 200
    prefix, _, secret = key.partition(".")
    forged = f"{prefix}.{'x' * len(secret)}"

    assert _client(forged).get(DELIVERY).status_code == 401
