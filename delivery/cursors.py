"""Positions in the changes feed, as clients see them: `c1.<event id>`; and in a delivery
list, `l1.<…>` (below).

Clients treat a cursor as opaque. The schema states its pattern, so every cursor that
matches it is one the feed can resume from (18 digits stay below the largest event id the
database can hold), unless it lies past the feed's newest event: that one was never given
out by the feed as it is now (`CursorAhead`). The feed and the webhooks hand out the same
cursors.
"""

import base64
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime

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


# ------------------------------------------------------------------------------
# Positions in a delivery list: `next` and `previous` links carry `cursor=l1.<…>`
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListKey:
    """Where an item stands in a list's order: newest `last_updated_at` first, then the
    higher article id; in a search, the better rank before both."""

    last_updated_at: datetime
    article_id: int
    rank: float | None = None


@dataclass(frozen=True)
class ListCursor:
    """The items after `key` (`after`, the next page) or before it (the previous page)."""

    key: ListKey
    after: bool


LIST_CURSOR_PATTERN = r"^l1\.[A-Za-z0-9_-]{1,300}$"


def encode_list_cursor(key: ListKey, *, after: bool) -> str:
    fields = ["a" if after else "b", key.last_updated_at.isoformat(), key.article_id, key.rank]
    packed = json.dumps(fields, separators=(",", ":")).encode()
    return "l1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list_cursor(cursor: str) -> ListCursor:
    """The position a list cursor names; ValueError for one no list gave out."""
    if not re.fullmatch(LIST_CURSOR_PATTERN, cursor):
        raise ValueError(cursor)
    text = cursor.removeprefix("l1.")
    try:
        direction, at, article_id, rank = json.loads(
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        )
        when = datetime.fromisoformat(at)
    except (ValueError, TypeError) as exc:
        raise ValueError(cursor) from exc
    if (
        direction not in ("a", "b")
        or when.tzinfo is None
        or type(article_id) is not int
        or article_id < 1
        or not (rank is None or (type(rank) in (int, float) and math.isfinite(rank)))
    ):
        raise ValueError(cursor)
    return ListCursor(ListKey(when, article_id, rank), after=direction == "a")
