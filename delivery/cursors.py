"""Positions in the changes feed, as clients see them: `c1.<event id>`.

Clients treat a cursor as opaque. The schema states its pattern, so every cursor that
matches it is one the feed can resume from (18 digits stay below the largest event id the
database can hold). The feed and the webhooks hand out the same cursors.
"""

CURSOR_PATTERN = r"^c1\.[0-9]{1,18}$"


def encode_cursor(event_id: int) -> str:
    return f"c1.{event_id}"


def decode_cursor(cursor: str) -> int:
    """The event id of a cursor that matched CURSOR_PATTERN."""
    return int(cursor.removeprefix("c1."))
