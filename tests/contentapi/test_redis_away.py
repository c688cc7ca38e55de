"""Redis away degrades the service, never to a 500: answers as usual, limits not enforced
(and counted as skipped), `/readyz` says so, and only password sign-ins wait for it.

Each test runs a Redis server of its own on a free port and stops it; none touches the
Redis that other tests or processes share.
"""

import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client

from contentapi.cache import OUTAGE
from contentapi.credentials import api_key_create
from contentapi.models import StaffToken
from contentapi.rates import Rate
from tests.servers import app_processes, database_url, free_port

ARTICLES = "/api/v1/articles/"
ICD10CM = "2.16.840.1.113883.6.90"


@contextmanager
def redis_of_our_own() -> Iterator[tuple[int, subprocess.Popen]]:
    port = free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
         "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_gone(settings: Any) -> Iterator[None]:
    """The cache is a Redis that was there and has stopped."""
    with redis_of_our_own() as (port, _server):
        location = f"redis://127.0.0.1:{port}/0"
    backend = {"BACKEND": "contentapi.cache.ResilientRedisCache", "LOCATION": location}
    settings.CACHES = {"default": backend, "answers": {**backend, "KEY_PREFIX": "answers"}}
    OUTAGE.down_until = 0.0
    yield
    OUTAGE.down_until = 0.0


@pytest.mark.django_db
def test_with_redis_away_every_kind_of_request_answers_as_usual(
    redis_gone, settings, live, editor, reviewer
):
    settings.RATE_LIMIT_DELIVERY = Rate(1, 3600)  # would refuse the second request
    settings.METRICS_TOKEN = ""
    live("stays-readable", codes=[{"system": "icd10cm", "code": "E11.9"}])
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    _, token = StaffToken.issue(editor)
    portal = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    staff = Client(HTTP_AUTHORIZATION=f"Token {token}")

    answers = [
        portal.get(ARTICLES),
        portal.get(ARTICLES),  # past the rate: not enforced while the limiter is away
        portal.get(f"{ARTICLES}stays-readable/"),
        portal.get(
            "/api/v1/infobutton/",
            {
                "mainSearchCriteria.v.c": "E11.9",
                "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
            },
        ),
        staff.get("/api/v1/manage/articles/"),
        Client(HTTP_AUTHORIZATION="Api-Key wrong.key").get(ARTICLES),
    ]
    ready = Client().get("/readyz")
    metrics = Client().get("/metrics").content.decode()

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 401]
    assert ready.status_code == 200
    assert ready.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert 'contentapi_cache_unavailable_total{operation="incr"}' in metrics


@pytest.mark.django_db
def test_with_redis_away_sign_in_waits_with_retry_after(redis_gone, reviewer, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reviewer.set_password("a long enough password")
    reviewer.save()

    response = Client().post(
        "/review/sign-in/", {"username": "reviewer", "password": "a long enough password"}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sign-in is paused" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_stopping_redis_under_load_gives_no_5xx(live):
    live("under-load")
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    statuses: Counter[int] = Counter()
    stop = threading.Event()
    paths = [ARTICLES, f"{ARTICLES}under-load/", "/api/v1/topics/", "/api/v1/changes/"]

    with redis_of_our_own() as (redis_port, redis_server):
        env = {
            "DATABASE_URL": database_url(),
            "SECRET_KEY": "test-only",
            "DEBUG": "false",
            "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
        }
        with app_processes(1, env) as (port,):

            def load() -> None:
                n = 0
                while not stop.is_set():
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}{paths[n % len(paths)]}",
                        headers={"Authorization": f"Api-Key {key}"},
                    )
                    n += 1
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            statuses[response.status] += 1
                    except urllib.error.HTTPError as error:
                        statuses[error.code] += 1

            threads = [threading.Thread(target=load) for _ in range(4)]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            redis_server.terminate()  # Redis stops under load
            redis_server.wait(timeout=10)
            time.sleep(3)
            stop.set()
            for thread in threads:
                thread.join(timeout=15)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz") as response:
                ready = response.read().decode()

    assert sum(statuses.values()) > 100, statuses
    assert [status for status in statuses if status >= 500] == [], statuses
    assert set(statuses) == {200}, statuses
    assert '"cache": "unavailable"' in ready
