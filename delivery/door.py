"""The one door to the read side: the only writer of published documents and change events.

`delivery_change()` opens the transaction, takes the feed lock and hands out a
`DeliveryChange`. Everything that changes what readers see (a publication, a take-down, a
re-certification, a topic rename, a re-render) goes through it, so such transactions run one
at a time and every change event commits in id order: a portal following the feed never
skips one, and a follower that has seen id N never later finds an event below N.

The door takes what readers will see as plain data (`delivery.rendering.RenderedDocument`);
which article goes live, and when, is the write side's business (`articles.publication`),
which locks its rows after the feed lock, always. The feed is the only outbox: subscribers
(webhooks) follow it with cursors of their own, outside the feed lock; this module knows
none of them. On PostgreSQL every commit that adds events notifies `FEED_CHANNEL`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from delivery import cache_tags
from delivery.models import (
    ChangeEvent,
    ChangeKind,
    PublishedCode,
    PublishedDocument,
    PublishedSearch,
    PublishedTopic,
)
from delivery.rendering import RenderedDocument, search_config

# The PostgreSQL notification channel of the feed: sent in each transaction that appends
# events, delivered at its commit (and only if it commits).
FEED_CHANNEL = "delivery_changes"

# Any constant shared by every process; names the PostgreSQL advisory lock of the feed.
FEED_LOCK_KEY = 0x5E_ED_0F_EE


def _feed_lock() -> None:
    """Serialise every change to delivery until the transaction ends. SQLite needs nothing:
    its IMMEDIATE transactions already admit one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


# ------------------------------------------------------------------------------
# Search vectors (PostgreSQL)
# ------------------------------------------------------------------------------
# The weighted tsvector (title A, summary B, body C) in the locale's language, and the
# title-and-summary one that ranking reads.
_SEARCH_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C')"
)
_RANK_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B')"
)

Vectors = tuple[str, str]


def search_vectors(locale: str, title: str, summary: str, body_text: str) -> Vectors | None:
    """PostgreSQL's search and rank vectors for a document's text (None elsewhere).

    Turning a long body into a tsvector is the slowest part of saving a document, so a
    caller computes them before it enters the door.
    """
    if connection.vendor != "postgresql":
        return None
    config = search_config(locale)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({_SEARCH_VECTOR})::text, ({_RANK_VECTOR})::text",
            [
                *(config, title, config, summary, config, body_text),
                *(config, title, config, summary),
            ],
        )
        search, rank = cursor.fetchone()
    return search, rank


# ------------------------------------------------------------------------------
# The door
# ------------------------------------------------------------------------------
_DOCUMENT_FIELDS = [
    "slug", "locale", "translation_group", "revision_number", "title", "summary",
    "search_text", "last_updated_at", "rendered_at", "body", "list_item", "etag", "cache_tags",
    "outdated_since",
]  # fmt: skip


class DeliveryChange:
    """One transaction's change to what readers see. Only `delivery_change()` makes one."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def store(self, rendered: RenderedDocument, vectors: Vectors | None = None) -> None:
        """Upsert a rendered document, its search row, and its topic and code links if they
        changed. `vectors` may come from before the door (`search_vectors`)."""
        PublishedDocument.objects.bulk_create(
            [
                PublishedDocument(
                    article_id=rendered.article_id,
                    slug=rendered.slug,
                    locale=rendered.locale,
                    translation_group=rendered.translation_group,
                    revision_number=rendered.revision_number,
                    title=rendered.title,
                    summary=rendered.summary,
                    search_text=rendered.search_text,
                    last_updated_at=rendered.last_updated_at,
                    rendered_at=timezone.now(),
                    body=rendered.body,
                    list_item=rendered.list_item,
                    etag=rendered.etag,
                    cache_tags=rendered.cache_tags,
                    outdated_since=rendered.outdated_since,
                )
            ],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=_DOCUMENT_FIELDS,
        )
        vectors = vectors or search_vectors(
            rendered.locale, rendered.title, rendered.summary, rendered.body_text
        )
        if vectors is not None:
            PublishedSearch.objects.bulk_create(
                [
                    PublishedSearch(
                        document_id=rendered.article_id,
                        locale=rendered.locale,
                        last_updated_at=rendered.last_updated_at,
                        search_vector=vectors[0],
                        rank_vector=vectors[1],
                    )
                ],
                update_conflicts=True,
                unique_fields=["document"],
                update_fields=["locale", "last_updated_at", "search_vector", "rank_vector"],
            )
        self._links_store(rendered)

    @staticmethod
    def _links_store(rendered: RenderedDocument) -> None:
        document = rendered.article_id
        topic_links = PublishedTopic.objects.filter(document_id=document)
        if set(topic_links.values_list("topic_id", "slug")) != rendered.topics:
            topic_links.delete()
            PublishedTopic.objects.bulk_create(
                PublishedTopic(document_id=document, topic_id=pk, slug=slug)
                for pk, slug in rendered.topics
            )
        code_links = PublishedCode.objects.filter(document_id=document)
        if set(code_links.values_list("system", "code")) != rendered.codes:
            code_links.delete()
            PublishedCode.objects.bulk_create(
                PublishedCode(document_id=document, system=system, code=code)
                for system, code in rendered.codes
            )

    def remove(self, article_id: int) -> str:
        """Delete an article's document (and with it its search and link rows); returns the
        cache tags it was served with ("" if it had none)."""
        document = PublishedDocument.objects.filter(article_id=article_id)
        tags = document.values_list("cache_tags", flat=True).first() or ""
        document.delete()
        return tags

    @staticmethod
    def stored_etag(article_id: int) -> str | None:
        """The ETag of the article's stored document, if it has one."""
        return (
            PublishedDocument.objects.filter(article_id=article_id)
            .values_list("etag", flat=True)
            .first()
        )

    def announce(
        self,
        kind: ChangeKind,
        *,
        article_id: int,
        slug: str,
        locale: str,
        revision_number: int | None,
        detail_tags: str,
        at: datetime | None = None,
    ) -> ChangeEvent:
        """Append the change event, with the cache tags it makes stale (`detail_tags`: those
        of the article's detail as readers saw it), announced to followers at commit."""
        event = ChangeEvent.objects.create(
            event=kind,
            article_id=article_id,
            slug=slug,
            locale=locale,
            revision_number=revision_number,
            at=at or self.at,
            purge_keys=cache_tags.header_value(cache_tags.change_keys(detail_tags.split(), locale)),
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"NOTIFY {FEED_CHANNEL}")
        return event


@contextmanager
def delivery_change() -> Iterator[DeliveryChange]:
    """A transaction holding the feed lock, and what it may change on the read side.

    Enter it before taking any row lock, never inside another transaction.
    """
    with transaction.atomic(durable=True):
        _feed_lock()
        yield DeliveryChange(at=timezone.now())
