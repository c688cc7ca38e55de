"""The hottest live documents and lists, kept in each process: answered with no query.

How it stays right, in short:

1. Each process keeps up to HOT_DOCUMENTS_MB of detail documents by (slug, asked locale),
   least recently used out first, and `position`: the changes feed's event id they are all
   known to be current at.
2. Before it answers, if it last looked at the feed more than HOT_DOCUMENTS_FRESH_MS ago, it
   reads the feed's head on the primary; if the head moved, it drops the documents the new
   events name and moves `position` there. It never answers from a look older than that.
3. A document read from the database enters only if that read saw the feed at `position` or
   later (the read carries the feed's head), so nothing older than `position` is kept.
4. A request whose `min_cursor` lies past `position` is not answered from it. A list's
   answer (any filter, page or cursor) is kept by its URL until the feed moves at all.
5. Every change to a document's bytes writes a change event (`delivery.door`), and events
   commit in id order (the feed lock): a head read on the primary covers every change to it.
   A head that went back (a restored database) empties it. If the primary does not answer,
   the request reads from a replica as it would without the cache (or, with none, is the
   503 it would have been).
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from delivery import selectors
from delivery.models import ChangeEvent
from delivery.selectors import StoredDocument

_CHANGE = ChangeEvent._meta.db_table
# More new events than this since the last look: drop everything rather than read them all.
MAX_EVENTS_READ = 1000

Key = tuple[str, str | None]


class HotDocuments:
    def __init__(self) -> None:
        self._documents: OrderedDict[Key, StoredDocument] = OrderedDict()
        self._pages: dict[Key, tuple[str, bytes]] = {}  # patient pages: (document ETag, HTML)
        # Lists' answers (body, ETag) by request, all dropped whenever the feed moves.
        self._answers: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._answers_bytes = 0
        self._bytes = 0
        self.position: int | None = None  # unknown until the first look at the feed
        self._looked_at = float("-inf")
        self._primary_away_until = float("-inf")
        self._lock = threading.Lock()

    def current(self, min_event: int | None = None) -> bool:
        """Whether it may answer now: it looked at the feed within the bound (looking now if
        not), and is at least at `min_event`."""
        started = time.monotonic()
        if started - self._looked_at > settings.HOT_DOCUMENTS_FRESH_MS / 1000:
            if started < self._primary_away_until:
                return False
            try:
                self._catch_up()
            except DatabaseError:
                if not settings.DATABASE_REPLICA_URLS:
                    raise  # the read would go to the same primary: a 503 now, not later
                # A replica may still serve the request; the primary is not asked again
                # for a while (each attempt may wait DATABASE_CONNECT_TIMEOUT).
                self._primary_away_until = started + settings.REPLICA_RETRY_SECONDS
                return False
            self._looked_at = started  # what it knows is as of before the look began
        return self.position is not None and (min_event is None or self.position >= min_event)

    def page(self, slug: str, locale: str, etag: str) -> bytes | None:
        """The patient page made from the kept document with this ETag, if one was kept."""
        kept = self._pages.get((slug, locale))
        return kept[1] if kept is not None and kept[0] == etag else None

    def keep_page(self, slug: str, locale: str, etag: str, html: bytes) -> None:
        """Keep a patient page beside its document (made from it; dropped with it)."""
        with self._lock:
            document = self._documents.get((slug, locale))
            if document is None or document.etag != etag or (slug, locale) in self._pages:
                return
            self._pages[(slug, locale)] = (etag, html)
            self._bytes += len(html)
            self._fit()

    def answer(self, request_key: str) -> tuple[bytes, str] | None:
        """A list's body and ETag kept for this request (scheme, host, path and query)."""
        with self._lock:
            kept = self._answers.get(request_key)
            if kept is not None:
                self._answers.move_to_end(request_key)
            return kept

    def keep_answer(self, request_key: str, body: bytes, etag: str, generation: int | None) -> None:
        """Keep a list's answer, read at feed position `generation`, until the feed moves."""
        size = len(body) + len(request_key) + 200
        with self._lock:
            if (
                self.position is None
                or generation is None
                or generation < self.position
                or size > settings.HOT_DOCUMENTS_MB * 1024 * 1024 / 4
                or request_key in self._answers
            ):
                return
            self._answers[request_key] = (body, etag)
            self._answers_bytes += size
            self._bytes += size
            self._fit()

    def get(self, slug: str, locale: str | None) -> StoredDocument | None:
        with self._lock:
            document = self._documents.get((slug, locale))
            if document is not None:
                self._documents.move_to_end((slug, locale))
            return document

    def keep(self, slug: str, locale: str | None, document: StoredDocument) -> None:
        """Keep a document read with its generation, if that read was no older than it."""
        size = _size(document)
        limit = settings.HOT_DOCUMENTS_MB * 1024 * 1024
        with self._lock:
            if (
                self.position is None
                or document.generation is None
                or document.generation < self.position
                or size > limit / 4
            ):
                return
            self._drop((slug, locale))
            self._documents[(slug, locale)] = document
            self._bytes += size
            self._fit()

    def _fit(self) -> None:
        """Drop the least recently used until within the budget (with the lock held): lists
        first while they hold more than a quarter of it, then documents."""
        limit = settings.HOT_DOCUMENTS_MB * 1024 * 1024
        while self._bytes > limit and (self._documents or self._answers):
            if self._answers and (self._answers_bytes > limit / 4 or not self._documents):
                key, (body, _) = self._answers.popitem(last=False)
                size = len(body) + len(key) + 200
                self._answers_bytes -= size
                self._bytes -= size
            else:
                self._drop(next(iter(self._documents)))

    def _drop_answers(self) -> None:
        """Every list may have changed (with the lock held)."""
        self._answers.clear()
        self._bytes -= self._answers_bytes
        self._answers_bytes = 0

    def _drop(self, key: Key) -> None:
        """Drop a document and the page made from it (with the lock held)."""
        document = self._documents.pop(key, None)
        if document is not None:
            self._bytes -= _size(document)
        page = self._pages.pop(key, None)
        if page is not None:
            self._bytes -= len(page[1])

    def forget(self) -> None:
        """Empty, and unsure of the feed again (as a new process starts)."""
        with self._lock:
            self._documents.clear()
            self._pages.clear()
            self._answers.clear()
            self._bytes = self._answers_bytes = 0
            self.position = None
            self._looked_at = self._primary_away_until = float("-inf")

    def __len__(self) -> int:
        return len(self._documents)

    def _catch_up(self) -> None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {_CHANGE}")
            head = cursor.fetchone()[0] or 0
            if head == self.position:
                return
            named: list[tuple[str, str]] | None = None
            if self.position is not None and self.position < head:
                cursor.execute(
                    f"SELECT slug, locale FROM {_CHANGE} WHERE id > %s AND id <= %s LIMIT %s",
                    [self.position, head, MAX_EVENTS_READ + 1],
                )
                named = cursor.fetchall()
        with self._lock:
            self._drop_answers()
            if named is None or len(named) > MAX_EVENTS_READ:
                # The first look, a restored (shorter) feed, or too much at once: start empty.
                self._documents.clear()
                self._pages.clear()
                self._bytes = 0
            else:
                for slug, locale in named:
                    # The slug asked without a locale may now mean another document.
                    self._drop((slug, locale))
                    self._drop((slug, None))
            self.position = head


def _size(document: StoredDocument) -> int:
    return len(document.body) + len(document.cache_tags) + 200


# One per process (each gunicorn worker has its own after the fork).
hot_documents = HotDocuments()


def kept_or_read(
    *, slug: str, locale: str | None, min_event: int | None = None
) -> StoredDocument | None:
    """A live document from the hot documents if they may answer, else read whole from the
    database with the feed position the read saw, and kept (for HOT_DOCUMENTS_MB > 0)."""
    if hot_documents.current(min_event):
        document = hot_documents.get(slug, locale)
        if document is not None:
            return document
    document = selectors.published_document_get(slug=slug, locale=locale, with_generation=True)
    if document is not None:
        hot_documents.keep(slug, locale, document)
    return document
