"""Delivery reads on a real streaming standby, never older than `min_cursor`.

One throwaway primary and a standby of it that replays WAL `DELAY` seconds late
(tests/standby.py), and the service (gunicorn, one worker) with DATABASE_URL on the primary
and DATABASE_REPLICA_URLS on the standby. The delay makes the standby's answers tell
themselves apart: a just-published article is not on it yet. The test walks through what a
portal and the staff see: delivery served by the standby, staff reads and every write by the
primary, a refetch with the cursor a portal was told never stale, the feed never going back,
a 503 rather than an old answer when the primary is away too, and the primary taking over
the reads when the standby stops.

It runs its own databases, not the suite's, so it reads and writes nothing of the suite's.
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from django.conf import settings

from tests.servers import app_processes, wait_for
from tests.standby import StandbyPair

DELAY = 4.0  # seconds the standby waits before it replays a transaction

BODY = (
    "## What it is\n\nA short test article about keeping well.\n\n"
    "## What to do\n\n- Drink water.\n- Rest.\n"
)


def _manage(env: dict[str, str], *args: str) -> str:
    """`manage.py` on the throwaway primary; the last line it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


class Service:
    """The service on the pair, with the staff and the key the walk-through uses."""

    def __init__(self, port: int, pair: StandbyPair, tokens: dict[str, str], key: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.pair = pair
        self.tokens = tokens
        self.key = key
        self.client = httpx.Client(base_url=self.base, timeout=15)

    def staff(self, role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Token {self.tokens[role]}"}
        return self.client.request(method, path, headers=headers, **kwargs)

    def delivery(self, path: str, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Api-Key {self.key}"}
        return self.client.get(path, params=params, headers=headers)

    def publish(self, slug: str) -> int:
        """Write, review and publish an article through the management API; its id."""
        created = self.staff(
            "editor",
            "POST",
            "/api/v1/manage/articles/",
            json={"slug": slug, "locale": "en", "title": f"About {slug}", "summary": "A test.",
                  "body": BODY},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        article = created.json()["id"]
        revision = f"/api/v1/manage/articles/{article}/revisions/1"
        for role, step in (("editor", "submit"), ("reviewer", "approve"), ("publisher", "publish")):
            done = self.staff(role, "POST", f"{revision}/{step}/", json={})
            assert done.status_code == 200, (step, done.text)
        return article

    def primary_cursor(self) -> str:
        """The newest change's cursor, as a webhook would carry it (read on the primary)."""
        with psycopg.connect(self.pair.primary.url("contentapi")) as primary:
            newest = primary.execute("SELECT MAX(id) FROM articles_changeevent").fetchone()[0]
        return f"c1.{newest}"


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    # Under /tmp itself: the `postgres` user must reach it (pytest's tmp_path is root's alone).
    pair = StandbyPair(
        Path(tempfile.mkdtemp(prefix="contentapi-replicas-")), apply_delay_seconds=DELAY
    )
    try:
        pair.start()
        pair.create_database("contentapi")
        env = {
            **{name: value for name, value in os.environ.items() if name != "CACHE_URL"},
            "DATABASE_URL": pair.primary.url("contentapi"),
            "DATABASE_REPLICA_URLS": pair.standby.url("contentapi"),
            "REPLICA_RETRY_SECONDS": "1",
            "DATABASE_CONNECT_TIMEOUT": "1",
            "API_KEY_CACHE_SECONDS": "600",
        }
        _manage(env, "migrate", "--no-input")
        tokens = {
            role: _manage(env, "create_staff_user", f"replica.{role}", "--role", role,
                          "--display-name", f"Test {role}", "--credentials", "MD")
            for role in ("editor", "reviewer", "publisher")
        }  # fmt: skip
        key = _manage(env, "create_api_key", "replica-portal", "--scope", "delivery")
        # The standby replays the schema and the key, late like everything else.
        with psycopg.connect(pair.standby.url("contentapi"), autocommit=True) as standby:
            assert wait_for(
                lambda: standby.execute("SELECT count(*) FROM contentapi_integratorkey").fetchone()[
                    0
                ],
                DELAY * 5,
            )
        with app_processes(1, env) as (port,):
            yield Service(port, pair, tokens, key)
    finally:
        pair.close()


def test_delivery_reads_the_standby_staff_and_min_cursor_read_the_primary(service):
    article = service.publish("replica-first")
    cursor = service.primary_cursor()

    # Delivery reads the standby, which has not replayed the publication yet.
    assert service.delivery("/api/v1/articles/replica-first/").status_code == 404
    # The staff read the primary: the article is live there.
    managed = service.staff("editor", "GET", f"/api/v1/manage/articles/{article}/")
    assert managed.json()["status"] == "published"
    # A portal told of the change (its cursor) is never answered with less.
    told = service.delivery("/api/v1/articles/replica-first/", min_cursor=cursor)
    assert told.status_code == 200
    assert told.json()["revision"] == 1
    listed = service.delivery("/api/v1/articles/", min_cursor=cursor)
    assert "replica-first" in [item["slug"] for item in listed.json()["results"]]
    # The feed, resumed from that cursor on the late standby, does not go back before it
    # (the standby alone would call the cursor one it never gave out).
    feed = service.delivery("/api/v1/changes/", since=cursor)
    assert feed.status_code == 200, feed.text
    assert feed.json()["cursor"] == cursor

    # Once the standby replays it, delivery has it without being asked.
    assert wait_for(
        lambda: service.delivery("/api/v1/articles/replica-first/").status_code == 200, DELAY * 4
    )


def test_a_bad_min_cursor_is_refused(service):
    refused = service.delivery("/api/v1/articles/", min_cursor="yesterday")

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "min_cursor"


def test_with_the_primary_away_a_late_standby_answers_503_not_an_old_answer(service):
    service.publish("replica-late")
    cursor = service.primary_cursor()
    service.pair.stop_primary()
    try:
        late = service.delivery("/api/v1/articles/replica-late/", min_cursor=cursor)

        assert late.status_code == 503
        assert late.json()["code"] == "replica-behind"
        assert int(late.headers["Retry-After"]) > 0
        # The standby replays what it received; then it answers alone, the primary still away.
        assert wait_for(
            lambda: (
                service.delivery("/api/v1/articles/replica-late/", min_cursor=cursor).status_code
                == 200
            ),
            DELAY * 4,
        )
    finally:
        service.pair.start_primary()


def test_when_the_standby_stops_the_primary_serves_delivery(service):
    service.pair.stop_standby()
    try:
        service.publish("replica-fallback")

        # The first request finds the standby gone and is served by the primary, as is the next.
        for _ in range(2):
            answer = service.delivery("/api/v1/articles/replica-fallback/")
            assert answer.status_code == 200, answer.text
        assert service.client.get("/readyz").status_code == 200
    finally:
        service.pair.start_standby()
    # Back, and caught up, the standby serves again.
    assert wait_for(
        lambda: service.delivery("/api/v1/articles/replica-fallback/").status_code == 200,
        DELAY * 4,
    )
