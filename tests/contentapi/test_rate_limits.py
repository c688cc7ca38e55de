"""Rate limits per integrator key, per staff user, and per address for invalid credentials."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from contentapi.cache import ResilientRedisCache
from contentapi.credentials import api_key_create
from contentapi.models import StaffToken
from contentapi.rates import Rate
from tests.problems import assert_problem
from tests.servers import app_processes, database_url

DELIVERY = "/api/v1/articles/"
MANAGE = "/api/v1/manage/articles/"


def _key_client(rate_limit: str = "") -> APIClient:
    _, key = api_key_create(
        name="portal", scopes=["delivery"], actor_label="test", rate_limit=rate_limit
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def _assert_limited(response) -> None:
    body = assert_problem(response, 429)
    assert body["code"] == "rate-limited"
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response["RateLimit-Remaining"] == "0"
    assert body["detail"].count("try again") == 1


@pytest.mark.django_db
def test_a_key_past_its_rate_gets_429_with_retry_after(settings):
    settings.RATE_LIMIT_DELIVERY = Rate(3, 3600)
    client = _key_client()

    answers = [client.get(DELIVERY) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert all(a["RateLimit-Limit"] == "3" for a in answers)
    _assert_limited(answers[3])


@pytest.mark.django_db
def test_each_key_has_its_own_count_and_may_carry_its_own_rate(settings):
    settings.RATE_LIMIT_DELIVERY = Rate(1, 3600)
    busy, generous = _key_client(), _key_client(rate_limit="5/hour")

    assert [busy.get(DELIVERY).status_code for _ in range(2)] == [200, 429]
    assert [generous.get(DELIVERY).status_code for _ in range(5)] == [200] * 5
    assert generous.get(DELIVERY)["RateLimit-Limit"] == "5"


def test_a_staff_user_past_the_staff_rate_gets_429_whichever_token_they_use(api, editor, settings):
    settings.RATE_LIMIT_STAFF = Rate(2, 3600)

    answers = [api(editor).get(MANAGE) for _ in range(3)]  # a new token each time

    assert [a.status_code for a in answers] == [200, 200, 429]
    _assert_limited(answers[2])


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["Api-Key", "Token"])
def test_guessing_credentials_is_limited_per_address(settings, scheme):
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(3, 3600)
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    path = DELIVERY if scheme == "Api-Key" else MANAGE

    answers = [
        guesser.get(path, HTTP_AUTHORIZATION=f"{scheme} guess{n}.secret{n}") for n in range(5)
    ]

    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    _assert_limited(answers[3])
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    assert other.get(path, HTTP_AUTHORIZATION=f"{scheme} x.y").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["Api-Key", "Token"])
def test_a_limited_address_still_lets_valid_credentials_through(settings, scheme, editor):
    # Everyone behind a hospital's NAT shares one address: a guesser there slows nobody else.
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(3, 3600)
    if scheme == "Api-Key":
        _, valid = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
        path = DELIVERY
    else:
        _, valid = StaffToken.issue(editor)
        path = MANAGE
    shared = APIClient(REMOTE_ADDR="203.0.113.9")
    for n in range(4):
        shared.get(path, HTTP_AUTHORIZATION=f"{scheme} guess{n}.secret{n}")

    guessed = shared.get(path, HTTP_AUTHORIZATION=f"{scheme} guess9.secret9")
    colleague = shared.get(path, HTTP_AUTHORIZATION=f"{scheme} {valid}")

    _assert_limited(guessed)
    assert colleague.status_code == 200


@pytest.mark.django_db
def test_a_forwarded_for_header_is_not_trusted_without_a_proxy(settings):
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(1, 3600)
    client = APIClient(REMOTE_ADDR="203.0.113.9")

    first = client.get(DELIVERY, HTTP_AUTHORIZATION="Api-Key a.b", HTTP_X_FORWARDED_FOR="1.1.1.1")
    second = client.get(DELIVERY, HTTP_AUTHORIZATION="Api-Key a.b", HTTP_X_FORWARDED_FOR="2.2.2.2")

    assert (first.status_code, second.status_code) == (401, 429)


def test_a_bad_rate_setting_stops_the_start_up():
    env = {**os.environ, "RATE_LIMIT_STAFF": "lots/min", "SECRET_KEY": "test-only"}

    started = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode != 0
    assert "RATE_LIMIT_STAFF: 'lots/min' is not a rate" in started.stderr


# ------------------------------------------------------------------------------
# Two app processes, one Redis: one limit
# ------------------------------------------------------------------------------
# A database apart from the default on the Redis server that others share; this test reads
# and removes only the keys under its own prefix.
REDIS_DB = 7


def _status(port: int, key: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{DELIVERY}", headers={"Authorization": f"Api-Key {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.django_db(transaction=True)
def test_one_limit_holds_across_two_processes_sharing_redis():
    api_key, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    prefix = f"test-rate-limits-{uuid.uuid4().hex}:"
    env = {
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "DJANGO_SETTINGS_MODULE": "tests.prefixed_cache_settings",
        "CACHE_KEY_PREFIX": prefix,
        "RATE_LIMIT_DELIVERY": "10/hour",
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
    }
    shared = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)

    try:
        with app_processes(2, env) as ports:
            answers = [_status(ports[n % 2], key) for n in range(14)]
    finally:
        ours = list(shared.scan_iter(match=f"{prefix}*"))
        if ours:
            shared.delete(*ours)

    assert answers == [200] * 10 + [429] * 4, answers
    # Both processes counted in Redis, under this test's prefix.
    counters = [k.decode() for k in ours if f":rate:key:{api_key.prefix}:" in k.decode()]
    assert len(counters) == 1, ours


def test_a_request_is_counted_in_one_round_trip_to_a_counter_that_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefix = f"test-rate-count-{uuid.uuid4().hex}"
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:6379/{REDIS_DB}", {"KEY_PREFIX": prefix, "TIMEOUT": 300}
    )
    sends = []
    original = redis.connection.Connection.send_packed_command

    def counted(connection: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        sends.append(command)
        return original(connection, command, *args, **kwargs)

    shared = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    try:
        cache.count("window", 60)  # the client connects first (its handshake is a send)
        monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
        counts = [cache.count("window", 60) for _ in range(3)]
        monkeypatch.undo()
        (key,) = shared.keys(f"{prefix}*")
        ttl = shared.ttl(key)
        seen = cache.get("window")
    finally:
        ours = list(shared.scan_iter(match=f"{prefix}*"))
        if ours:
            shared.delete(*ours)

    assert counts == [2, 3, 4]
    assert len(sends) == 3  # one send per count: SET NX EX and INCR in one MULTI/EXEC
    assert 0 < ttl <= 60  # never a counter without an end
    assert seen == 4  # read back by the cache as the number it is


@pytest.mark.django_db
def test_retry_after_is_rounded_up_so_waiting_it_out_is_enough(settings, monkeypatch):
    # 6.68 s into a minute's window: 53.32 s are left, so the client is told 54, not 53.
    settings.RATE_LIMIT_DELIVERY = Rate(1, 60)
    start_of_window = 60 * 29_000_000
    monkeypatch.setattr("contentapi.throttling.time.time", lambda: start_of_window + 6.68)
    client = _key_client()

    first, refused = client.get(DELIVERY), client.get(DELIVERY)

    assert first["RateLimit-Reset"] == "54"
    assert refused.status_code == 429
    assert refused["Retry-After"] == "54"
    assert refused["RateLimit-Reset"] == "54"
    assert "try again in 54 s" in refused.json()["detail"]
