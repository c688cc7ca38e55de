"""Answers that depend only on the request and the live set, kept until the live set changes.

An EHR asks for the same few codes all day (type 2 diabetes, hypertension). The Infobutton
answer to a query string is fixed until something readers see changes, and every such change
writes a change event (`delivery.door`): so the answer is cached under the query and the
newest change event's id, which one indexed read gives. A change makes every cached answer
unreachable at once (they expire by themselves after `ANSWER_CACHE_SECONDS`); nothing is
ever served that the live set no longer supports. With `CACHE_URL=redis://...` the processes
share the answers; with the default per-process cache each keeps its own, at most
`ANSWER_CACHE_ENTRIES` (1,000) of them. Values are kept small (bytes of an answer, ids,
counts), never whole documents.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from contentapi.replicas import read_connection
from delivery.models import ChangeEvent

T = TypeVar("T")

_CHANGE = ChangeEvent._meta.db_table


# The newest change event's id, as a column a query can add to its rows: a caller that reads
# the live set anyway learns the generation in the same round trip.
GENERATION_COLUMN = f"(SELECT id FROM {_CHANGE} ORDER BY id DESC LIMIT 1)"


def live_generation() -> int:
    """The newest change event's id (0 before the first): it moves with every change."""
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT {GENERATION_COLUMN}")
        return cursor.fetchone()[0] or 0


def cached_answer(
    kind: str, request_key: str, compute: Callable[[], T], *, generation: int | None = None
) -> T:
    """`compute()`'s answer to `request_key`, from the cache while the live set is unchanged.

    `compute` must depend on nothing but the request and the live set (and the settings).
    `generation` is the live set's, if the caller read it already (`GENERATION_COLUMN`).
    """
    if settings.ANSWER_CACHE_SECONDS <= 0:
        return compute()
    if generation is None:
        generation = live_generation()
    digest = hashlib.sha256(request_key.encode()).hexdigest()
    key = f"answer:{kind}:{digest}:{generation}"
    cache = caches["answers"]
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout=settings.ANSWER_CACHE_SECONDS)
    return answer
