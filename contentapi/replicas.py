"""Which database a read goes to: the primary, or a replica for a request that may use one.

Everything reads and writes the primary (`default`) unless the code that handles a request
opened `replica_reads()` (the delivery and EHR views do; staff views, previews, workers and
commands never do). Inside it, reads of the published content (`READ_SIDE_APPS`) go to one
replica, chosen at the request's first such read, so a request that is answered from a cache
touches no database at all:

* a replica that fails to answer is left alone for REPLICA_RETRY_SECONDS, in this process,
  and the primary serves its reads meanwhile (a replica that goes away costs no request once
  it is known to be away; the request that finds it so is served by the next one or the
  primary);
* with a `caught_up` test (a portal's `min_cursor`, `delivery.consistency`), a replica that
  has not replayed that far is passed over, and the primary answers: a read is never older
  than what the client was told. When the primary is away as well, `StaleReplica` (503,
  Retry-After) rather than an old answer.

Writes always go to the primary, and so do reads of everything else (keys, tokens, users,
handouts, the audit trail): a key revoked on the primary must stop working at once, not when
a replica catches up.

Why not django-multidb-router's pinning router: it sends every read to a replica unless a
view opts out (a forgotten staff view would read stale data), pins by a cookie after a
write (read-your-writes for browsers, not a feed position), and keeps choosing a replica
that is down.
"""

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from contentapi.errors import DatabaseUnavailable

logger = logging.getLogger(__name__)

# The apps whose tables are published content: what a replica may serve.
READ_SIDE_APPS = frozenset({"delivery", "articles", "ehr"})

CaughtUp = Callable[[BaseDatabaseWrapper], bool]


class StaleReplica(DatabaseUnavailable):
    """No replica has replayed as far as the client asked, and the primary does not answer."""

    code = "replica-behind"

    def __init__(self) -> None:
        super().__init__(
            "No database that answers has the changes up to the cursor you asked for "
            "(min_cursor); nothing older is served. Retry after Retry-After seconds."
        )


def replica_aliases() -> list[str]:
    """The replicas' database aliases, in the order DATABASE_REPLICA_URLS names them."""
    return [f"replica{number}" for number in range(1, len(settings.DATABASE_REPLICA_URLS) + 1)]


# Replicas that failed to answer in this process, and when each may be tried again.
_resting_until: dict[str, float] = {}


def replica_rests(alias: str) -> None:
    """Leave a replica that failed alone for REPLICA_RETRY_SECONDS (in this process)."""
    _resting_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    logger.warning(
        "Replica %s did not answer; the primary serves its reads for %s s",
        alias,
        settings.REPLICA_RETRY_SECONDS,
    )
    with contextlib.suppress(DatabaseError):  # already broken; the next use connects afresh
        connections[alias].close()


def available_replicas() -> list[str]:
    """The replicas not resting after a failure, in a random order (to spread the reads)."""
    now = time.monotonic()
    ready = [alias for alias in replica_aliases() if _resting_until.get(alias, 0.0) <= now]
    random.shuffle(ready)
    return ready


def _answers(connection: BaseDatabaseWrapper) -> None:
    """Raise DatabaseError unless the database answers. A kept connection is checked (once a
    request, CONN_HEALTH_CHECKS) when a cursor is opened, not by ensure_connection()."""
    connection.cursor().close()


class ReadPlan:
    """Where one request's reads of the read side go; decided at the first of them."""

    def __init__(self, caught_up: CaughtUp | None) -> None:
        self.caught_up = caught_up
        self._alias: str | None = None

    @property
    def alias(self) -> str:
        if self._alias is None:
            self._alias = self._choose()
        return self._alias

    def _choose(self) -> str:
        behind = False
        for alias in available_replicas():
            replica = connections[alias]
            try:
                _answers(replica)
                if self.caught_up is None or self.caught_up(replica):
                    return alias
                behind = True
            except DatabaseError:
                replica_rests(alias)
        if behind:
            # The primary has what the client was told about; if it is away too, say so
            # rather than serve an older answer.
            try:
                _answers(connections[DEFAULT_DB_ALIAS])
            except DatabaseError as exc:
                raise StaleReplica() from exc
        return DEFAULT_DB_ALIAS


_plan: ContextVar[ReadPlan | None] = ContextVar("replica_read_plan", default=None)


@contextmanager
def replica_reads(caught_up: CaughtUp | None = None) -> Iterator[None]:
    """Reads of the published content inside go to a replica (if any is configured and
    answers, and `caught_up(connection)` holds for it), else to the primary."""
    if not settings.DATABASE_REPLICA_URLS:
        yield
        return
    token = _plan.set(ReadPlan(caught_up))
    try:
        yield
    finally:
        _plan.reset(token)


def read_alias() -> str:
    """The database this request reads the published content from."""
    plan = _plan.get()
    return DEFAULT_DB_ALIAS if plan is None else plan.alias


def read_connection() -> BaseDatabaseWrapper:
    """The connection for raw SQL reads of the published content."""
    return connections[read_alias()]


class ReplicaRouter:
    """Django's database router (DATABASE_ROUTERS, set when there are replicas)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        plan = _plan.get()
        if plan is None or model._meta.app_label not in READ_SIDE_APPS:
            return DEFAULT_DB_ALIAS
        return plan.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, copied: every object is on the primary too

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas replay the primary's migrations
