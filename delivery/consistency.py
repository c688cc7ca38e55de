"""Delivery reads no older than a portal was told: `?min_cursor=` (and the feed's `since`).

A portal that follows the changes feed or a webhook knows a cursor (`c1.<event id>`): the
change it heard about is that event. Every change event is written in the transaction that
changed the read side, under the feed lock (`delivery.door`), so events commit in id order:
a database that holds an event at or past the cursor's id holds every change up to it. A
replica that does not is passed over for the primary (`contentapi.replicas`), so a refetch
after a notification is never stale, and a feed read from one replica never goes back before
a cursor another one gave.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest

from contentapi.replicas import CaughtUp, replica_reads
from delivery.cursors import CURSOR_PATTERN, decode_cursor
from delivery.models import ChangeEvent

MIN_CURSOR_HELP = (
    "A changes-feed cursor (`c1.<n>`, from the feed or a webhook): the answer is never older "
    "than that change, whichever database serves it."
)

_CURSOR = re.compile(CURSOR_PATTERN)
_CHANGE = ChangeEvent._meta.db_table


def replayed_through(event_id: int) -> CaughtUp:
    """A test of a database: whether it holds the change event `event_id` (or a later one)."""

    def caught_up(connection: BaseDatabaseWrapper) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {_CHANGE} WHERE id >= %s LIMIT 1", [event_id])
            return cursor.fetchone() is not None

    return caught_up


def requested_position(request: HttpRequest, names: tuple[str, ...]) -> int | None:
    """The furthest feed position among the query parameters `names`, if any names one.

    A value that is not a cursor counts as none here: the view's own validation refuses it
    with a 400 before it reads anything."""
    positions = [
        decode_cursor(value)
        for name in names
        if (value := request.GET.get(name)) and _CURSOR.match(value)
    ]
    return max(positions, default=None)


@contextmanager
def delivery_reads(
    request: HttpRequest, names: tuple[str, ...] = ("min_cursor",)
) -> Iterator[None]:
    """This request's reads of the published content go to a replica that has replayed as
    far as the cursors in `names` ask (or to the primary)."""
    position = requested_position(request, names)
    with replica_reads(None if not position else replayed_through(position)):
        yield
