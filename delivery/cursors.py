"""Positions in the changes feed, as clients see them: `c1.<event id>`.

Clients treat a cursor as opaque. The schema states its pattern, so every cursor that
matches it is one the feed can resume from (18 digits stay below the largest event id the
database can hold), unless it lies past the feed's newest event: that one was never given
out by the feed as it is now (`CursorAhead`). The feed and the webhooks hand out the same
cursors.
"""

from contentapi.errors import ValidationFailed

CURSOR_PATTERN = r"^c1\.[0-9]{1,18}$"


def encode_cursor(event_id: int) -> str:
    return f"c1.{event_id}"


def decode_cursor(cursor: str) -> int:
    """The event id of a cursor that matched CURSOR_PATTERN."""
    return int(cursor.removeprefix("c1."))


class CursorAhead(ValidationFailed):
    """A cursor past the feed's newest event, which happens when the database was restored
    from a backup taken before the client read that far."""

    code = "cursor-ahead"

    def __init__(self, cursor: str, head: int) -> None:
        detail = (
            f"The cursor {cursor} is past the newest event of this feed ({encode_cursor(head)}). "
            "The service's database may have been restored from a backup: the events you read "
            "after it are gone, and new events may take their positions. Resynchronise: "
            "follow the feed again from the start (no `since`), then drop every article it "
            "did not leave live."
        )
        super().__init__(detail, errors=[{"field": "since", "message": detail, "code": self.code}])
