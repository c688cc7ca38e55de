"""Lift the database's append-only triggers for a moment, as only a database superuser can.

Tests use it to play the attacker who gets past the triggers, and to let Django's test
runner empty the tables between transactional tests.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models


@contextmanager
def guards_lifted(using: str = "default") -> Iterator[None]:
    connection = connections[using]
    if connection.vendor == "postgresql":
        # Superuser only: ordinary triggers do not fire for a "replica" session.
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)


def record_rewrite(record: models.Model, **fields: Any) -> None:
    """Change a stored record's `fields` as someone past the triggers could; the model's own
    manager refuses updates, so this goes through a plain QuerySet."""
    with guards_lifted():
        models.QuerySet(type(record)).filter(pk=record.pk).update(**fields)
