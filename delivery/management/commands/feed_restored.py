"""Run once after restoring the database from a backup, before the service starts again.

The events written after the backup was taken are gone, but portals and webhook receivers
saw them, under positions (cursors, webhook ids) that new events would otherwise take again:
a portal would then skip the new ones, a receiver that de-duplicates by webhook id would drop
them. This command makes the feed's numbering jump by `--gap` (a billion by default, far more
events than any backup can be behind) and records the gap, so every position after the
backup answers `400 cursor-ahead` and its holder resynchronises (docs/operations.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from delivery.cursors import encode_cursor
from delivery.door import delivery_change
from delivery.models import ChangeEvent, FeedGap
from delivery.selectors import feed_head

DEFAULT_GAP = 1_000_000_000


class Command(BaseCommand):
    help = "After a restore: void the feed positions the backup lost (see docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gap", type=int, default=DEFAULT_GAP)

    def handle(self, *args: Any, gap: int, **options: Any) -> None:
        with delivery_change():  # the feed lock: no event is written meanwhile
            head = feed_head()
            last_gap = FeedGap.objects.order_by("-resumes_at").first()
            resumes_at = max(head, last_gap.resumes_at if last_gap else 0) + gap
            with transaction.atomic():
                FeedGap.objects.create(
                    restored_head=head, resumes_at=resumes_at, restored_at=timezone.now()
                )
                _next_event_id_set(resumes_at)
        self.stdout.write(
            f"The feed resumes at {encode_cursor(resumes_at)}; cursors after "
            f"{encode_cursor(head)} now answer cursor-ahead."
        )


def _next_event_id_set(next_id: int) -> None:
    """Make the next change event's id `next_id`."""
    table = ChangeEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s, false)", [sequence, next_id])
        else:
            # SQLite's AUTOINCREMENT keeps the last id in sqlite_sequence.
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [next_id - 1, table]
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, next_id - 1]
                )
