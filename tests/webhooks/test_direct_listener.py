"""Behind a pooler in transaction mode the webhook worker LISTENs on DATABASE_DIRECT_URL.

A pooler such as PgBouncer hands each transaction whichever server connection is free, so a
`LISTEN` made on one is not there at the next wait. The worker's wait therefore uses a
connection of its own to the database when DATABASE_DIRECT_URL names one. Here the worker's
wait runs in a process of its own with that setting, its direct connection marked by its
`application_name`, and a commit on the feed wakes it.
"""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.publishing_helpers import make_live
from tests.servers import database_url

WAIT = """
import django, time
django.setup()
from webhooks.wakeup import wait_for_deliveries
wait_for_deliveries(0.01)
print("listening", flush=True)
started = time.monotonic()
print(wait_for_deliveries(20), round(time.monotonic() - started, 1), flush=True)
"""


def _wait_in_a_process(**env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WAIT],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_listens_on_the_direct_connection(staff):
    if connection.vendor != "postgresql":
        # No notifications on SQLite, and no direct connection beside it: refused at start.
        refused = _wait_in_a_process(DATABASE_DIRECT_URL="postgres://postgres@127.0.0.1/x")
        _, errors = refused.communicate(timeout=60)
        assert refused.returncode != 0
        assert "DATABASE_DIRECT_URL: it and DATABASE_URL must be PostgreSQL" in errors
        return
    name = f"listener-{uuid.uuid4().hex[:8]}"
    worker = _wait_in_a_process(
        DATABASE_URL=database_url(), DATABASE_DIRECT_URL=f"{database_url()}?application_name={name}"
    )
    try:
        assert worker.stdout.readline().strip() == "listening"
        with psycopg.connect(database_url()) as observer:
            listening = observer.execute(
                "SELECT query FROM pg_stat_activity WHERE application_name = %s", [name]
            ).fetchall()
        assert any("LISTEN" in query for (query,) in listening), listening

        make_live(**staff, slug="direct-wake")
        woken, seconds = worker.stdout.readline().split()

        assert woken == "True"
        assert float(seconds) < 5
    finally:
        worker.kill()
        worker.communicate(timeout=10)
