"""The hottest live documents and lists, kept in each process: answered with no query.

How it stays right, in short:

1. Each process keeps up to HOT_DOCUMENTS_MB of detail documents and patient pages by
   (slug, asked locale), least recently used out first, and `position`: the changes feed's
   event id they are all known to be current at.
2. Before it answers, if it last looked at the feed more than HOT_DOCUMENTS_FRESH_MS ago, it
   reads the feed's head on the primary; if the head moved, it drops the documents the new
   events name and moves `position` there. It never answers from a look older than that.
3. A document read from the database enters only if that read saw the feed at `position` or
   later (the read carries the feed's head), so nothing older than `position` is kept.
4. A request whose `min_cursor` lies past `position` makes it look at the feed at once, and
   is not answered from it unless the look reached that far. A list's
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
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from delivery import selectors
from delivery.models import ChangeEvent
from delivery.selectors import StoredDocument

_CHANGE = ChangeEvent._meta.db_table
# More new events than this since the last look: drop everything rather than read them all.
MAX_EVENTS_READ = 1000

# What a kept entry is: "document" (a detail's stored bytes) or "page" (the patient page made
# from one: a StoredDocument whose body is the page's HTML, with the document's ETag), and
# for which slug and locale asked (None: the slug asked without a locale).
Key = tuple[str, str, str | None]
KINDS = ("document", "page")


@dataclass(frozen=True)
class KeptList:
    """A list's answer, kept by its URL (`("list", url, None)`) until the feed moves."""

    body: bytes
    etag: str
    generation: int | None
    cache_tags: str = ""


Entry = StoredDocument | KeptList


class HotDocuments:
    def __init__(self) -> None:
        # One LRU of documents, pages and lists; the lists' keys also apart, since every
        # list is dropped whenever the feed moves.
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._lists: set[Key] = set()
        self._bytes = 0
        self.position: int | None = None  # unknown until the first look at the feed
        self._looked_at = float("-inf")
        self._primary_away_until = float("-inf")
        self._lock = threading.Lock()

    def current(self, min_event: int | None = None) -> bool:
        """Whether it may answer now: it looked at the feed within the bound (looking now if
        not), and is at least at `min_event`."""
        started = time.monotonic()
        # A client told of a change this process has not seen makes it look at once.
        behind = min_event is not None and (self.position or 0) < min_event
        if behind or started - self._looked_at > settings.HOT_DOCUMENTS_FRESH_MS / 1000:
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

    def get(self, slug: str, locale: str | None, kind: str = "document") -> StoredDocument | None:
        entry = self._get((kind, slug, locale))
        return entry if isinstance(entry, StoredDocument) else None

    def keep(
        self, slug: str, locale: str | None, entry: StoredDocument, kind: str = "document"
    ) -> None:
        """Keep a document or page read (or made from a read) at its generation."""
        self._keep((kind, slug, locale), entry)

    def answer(self, url: str) -> KeptList | None:
        """A list's answer kept for this URL (scheme, host, path and query)."""
        entry = self._get(("list", url, None))
        return entry if isinstance(entry, KeptList) else None

    def keep_answer(self, url: str, body: bytes, etag: str, generation: int | None) -> None:
        """Keep a list's answer, read at feed position `generation`, until the feed moves."""
        self._keep(("list", url, None), KeptList(body, etag, generation))

    def _get(self, key: Key) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _keep(self, key: Key, entry: Entry) -> None:
        """Keep an entry if it was read no older than the position (and is not too large)."""
        size = _size(entry)
        with self._lock:
            if (
                self.position is None
                or entry.generation is None
                or entry.generation < self.position
                or size > settings.HOT_DOCUMENTS_MB * 1024 * 1024 / 4
            ):
                return
            self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            if key[0] == "list":
                self._lists.add(key)
            self._fit()

    def forget(self) -> None:
        """Empty, and unsure of the feed again (as a new process starts)."""
        with self._lock:
            self._empty()
            self.position = None
            self._looked_at = self._primary_away_until = float("-inf")

    def __len__(self) -> int:
        return len(self._entries)

    def _fit(self) -> None:
        """Drop the least recently used until within the budget (with the lock held)."""
        limit = settings.HOT_DOCUMENTS_MB * 1024 * 1024
        while self._bytes > limit and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: Key) -> None:
        """(With the lock held.)"""
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= _size(entry)
            self._lists.discard(key)

    def _empty(self) -> None:
        """(With the lock held.)"""
        self._entries.clear()
        self._lists.clear()
        self._bytes = 0

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
            for key in list(self._lists):  # any list may have changed
                self._drop(key)
            if named is None or len(named) > MAX_EVENTS_READ:
                # The first look, a restored (shorter) feed, or too much at once: start empty.
                self._empty()
            else:
                for slug, locale in named:
                    # The slug asked without a locale may now mean another document.
                    for kind in KINDS:
                        self._drop((kind, slug, locale))
                        self._drop((kind, slug, None))
            self.position = head


def _size(entry: Entry) -> int:
    return len(entry.body) + len(entry.cache_tags) + 200


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
