"""Waking the webhook worker as soon as there is something to send, on PostgreSQL.

Two kinds of commit concern it: one that appends to the changes feed (the read side sends
`NOTIFY` on the feed's channel) and one that queues deliveries by hand (a replay or a
redelivery, `announce`). PostgreSQL delivers a notification when (and only if) its
transaction commits; the worker, between passes, waits on its connection for either instead
of sleeping, so a webhook leaves within milliseconds of the change rather than within a
poll interval. The poll interval stays as the fallback (and is all there is on SQLite): a
notification that arrives while the connection is being replaced is lost, and the next pass
finds the work anyway.
"""

import time

from django.conf import settings
from django.db import connection, connections

from contentapi.workers import connections_drop, is_transient
from delivery.door import FEED_CHANNEL

CHANNEL = "webhook_deliveries"


def announce() -> None:
    """Called in a transaction that queued deliveries; delivered at its commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def wait_for_deliveries(seconds: float) -> bool:
    """Wait up to `seconds`; True as soon as a change or queued deliveries are committed."""
    if connection.vendor != "postgresql":
        time.sleep(seconds)
        return False
    # Past a pooler in transaction mode a LISTEN is lost between transactions: the worker
    # then listens on a connection of its own to the database (DATABASE_DIRECT_URL).
    direct = connections["direct"] if settings.DATABASE_DIRECT_URL else connection
    try:
        direct.ensure_connection()
        listener = direct.connection
        # Idempotent; the connection may be new.
        listener.execute(f"LISTEN {FEED_CHANNEL}")
        listener.execute(f"LISTEN {CHANNEL}")
        for _ in listener.notifies(timeout=seconds, stop_after=1):
            return True
        return False
    except Exception as exc:
        if not is_transient(exc):  # psycopg raises its own errors here, not Django's
            raise
        # The pass that follows reports the outage and backs off; this connection is done
        # (Django does not know that psycopg found it broken).
        connections_drop()
        time.sleep(seconds)
        return False
