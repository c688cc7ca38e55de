"""Waking the webhook worker as soon as a delivery is committed, on PostgreSQL.

The transaction that writes deliveries sends `NOTIFY webhook_deliveries`, which PostgreSQL
delivers when (and only if) it commits; the worker, between passes, waits on its connection
for that notification instead of sleeping, so a webhook leaves within milliseconds of the
change rather than within a poll interval. The poll interval stays as the fallback (and is all
there is on SQLite): a notification that arrives while the connection is being replaced is
lost, and the next pass finds the delivery anyway.
"""

import time

from django.db import DatabaseError, connection

CHANNEL = "webhook_deliveries"


def announce() -> None:
    """Called in the transaction that wrote deliveries; delivered at its commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def wait_for_deliveries(seconds: float) -> bool:
    """Wait up to `seconds`; True as soon as a transaction with new deliveries commits."""
    if connection.vendor != "postgresql":
        time.sleep(seconds)
        return False
    try:
        connection.ensure_connection()
        listener = connection.connection
        listener.execute(f"LISTEN {CHANNEL}")  # idempotent; the connection may be new
        for _ in listener.notifies(timeout=seconds, stop_after=1):
            return True
        return False
    except DatabaseError:
        time.sleep(seconds)  # the pass that follows reports the outage and backs off
        return False
