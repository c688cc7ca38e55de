"""The read side: live documents, their search and link rows, and the changes feed.

`delivery_change()` is its one door. It opens the transaction, takes the feed lock, and
hands out a `DeliveryChange`, which locks the articles a change touches (after the feed
lock, always) and is the only writer of documents and change events. So everything that
changes what readers see (a transition, a topic rename, a re-render) locks in the same
order, and every change event commits in id order: a portal following the feed never
skips one. The feed is the only outbox: subscribers (webhooks) follow it with cursors of their
own, outside the feed lock; this module knows none of them. On PostgreSQL every commit that
adds events notifies `FEED_CHANNEL`, so a follower waiting on it wakes at once.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles import cache_tags, locking
from articles.models import (
    Article,
    ChangeEvent,
    ChangeKind,
    PublishedCode,
    PublishedDocument,
    PublishedSearch,
    PublishedTopic,
    Revision,
)
from articles.rendering import (
    DocumentSource,
    RenderedDocument,
    TopicRef,
    document_render,
    html_to_text,
    markdown_to_html,
    search_config,
)
from contentapi.models import User

# The PostgreSQL notification channel of the feed: sent in each transaction that appends
# events, delivered at its commit (and only if it commits).
FEED_CHANNEL = "delivery_changes"


# ------------------------------------------------------------------------------
# What a document shows, read from the write side (no locks needed)
# ------------------------------------------------------------------------------
def translations_of(articles: Iterable[Article]) -> dict[int, tuple[tuple[str, str], ...]]:
    """The live translations (locale, slug) of each article, from one query for them all."""
    articles = list(articles)
    groups: dict[Any, list[tuple[int, str, str]]] = defaultdict(list)
    rows = PublishedDocument.objects.filter(
        article__translation_group__in={a.translation_group for a in articles}
    ).values_list("article__translation_group", "article_id", "locale", "slug")
    for group, article_id, locale, slug in rows:
        groups[group].append((article_id, locale, slug))
    return {
        a.pk: tuple(
            (locale, slug)
            for other, locale, slug in sorted(groups[a.translation_group], key=lambda r: r[1])
            if other != a.pk
        )
        for a in articles
    }


def document_source(
    article: Article,
    revision: Revision | None = None,
    *,
    reviewer: User | None,
    translations: tuple[tuple[str, str], ...] | None = None,
) -> DocumentSource:
    """What the delivery document of `revision` (default: the live one) shows.

    `reviewer` is who readers are told reviewed it (for live content, whoever last approved
    or re-certified it). `revision` (topics and codes prefetched) and `translations` may come
    from a caller that read them for many articles at once.
    """
    if revision is None:
        revision = Revision.objects.prefetch_related("topics", "codes").get(
            pk=article.live_revision_id
        )
    if translations is None:
        translations = translations_of([article])[article.pk]
    return DocumentSource(
        article_id=article.pk,
        slug=article.slug,
        locale=article.locale,
        revision=revision.number,
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        editor_note=revision.editor_note,
        topics=tuple(TopicRef(t.pk, t.slug, t.name) for t in revision.topics.all()),
        codes=tuple((c.system, c.code, c.display) for c in revision.codes.all()),
        sources=tuple(revision.sources),
        authors=tuple(revision.authors),
        reading_grade=revision.reading_grade,
        reviewer=(reviewer.public_name, reviewer.credentials) if reviewer else None,
        first_published_at=article.first_published_at,
        last_updated_at=article.last_updated_at,
        last_reviewed_at=article.last_reviewed_at,
        next_review_due=article.next_review_due,
        translations=translations,
    )


def live_document_render(article: Article) -> RenderedDocument:
    """Render the article's live revision as it stands (reads only, no locks)."""
    return document_render(document_source(article, reviewer=article.last_reviewed_by))


def stored_etags(article_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        PublishedDocument.objects.filter(article_id__in=list(article_ids)).values_list(
            "article_id", "etag"
        )
    )


# PostgreSQL: the weighted tsvector (title A, summary B, body C) in the locale's language,
# and the title-and-summary one that ranking reads.
_SEARCH_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C')"
)
_RANK_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B')"
)


def search_vectors(rendered: RenderedDocument) -> tuple[str, str] | None:
    """PostgreSQL's search and rank vectors for a document (None elsewhere).

    Turning a long body into a tsvector is the slowest part of saving a document, so a
    caller computes them before it takes the feed lock.
    """
    return _vectors(rendered.locale, rendered.title, rendered.summary, rendered.body_text)


def _vectors(locale: str, title: str, summary: str, body_text: str) -> tuple[str, str] | None:
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


def prepare(revision: Revision, locale: str) -> tuple[str, str] | None:
    """Do the slow part of putting `revision` live before any lock is taken.

    Renders its body (remembered by `markdown_to_html`, so the render under the feed lock
    finds it done) and returns its search vectors (PostgreSQL) for `go_live` to store.
    A submitted revision's content never changes, so both stay right until it goes live.
    """
    body_text = html_to_text(markdown_to_html(revision.body))
    return _vectors(locale, revision.title, revision.summary, body_text)


# ------------------------------------------------------------------------------
# Writing (private: only a DeliveryChange calls these)
# ------------------------------------------------------------------------------
_DOCUMENT_FIELDS = [
    "slug", "locale", "revision_number", "title", "summary", "search_text",
    "last_updated_at", "rendered_at", "body", "list_item", "etag", "cache_tags",
]  # fmt: skip


def _document_save(rendered: RenderedDocument, vectors: tuple[str, str] | None) -> None:
    """Upsert a rendered document, its search row, and its topic and code links if changed."""
    PublishedDocument.objects.bulk_create(
        [
            PublishedDocument(
                article_id=rendered.article_id,
                slug=rendered.slug,
                locale=rendered.locale,
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
            )
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=_DOCUMENT_FIELDS,
    )
    vectors = vectors or search_vectors(rendered)
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
    _links_save(rendered)


def _links_save(rendered: RenderedDocument) -> None:
    document = rendered.article_id
    topic_links = PublishedTopic.objects.filter(document_id=document)
    if set(topic_links.values_list("topic_id", flat=True)) != rendered.topic_ids:
        topic_links.delete()
        PublishedTopic.objects.bulk_create(
            PublishedTopic(document_id=document, topic_id=pk) for pk in rendered.topic_ids
        )
    code_links = PublishedCode.objects.filter(document_id=document)
    if set(code_links.values_list("system", "code")) != rendered.codes:
        code_links.delete()
        PublishedCode.objects.bulk_create(
            PublishedCode(document_id=document, system=system, code=code)
            for system, code in rendered.codes
        )


def _feed_append(
    kind: ChangeKind, article: Article, *, at: datetime, detail_tags: str
) -> ChangeEvent:
    """The change event, with the cache tags it makes stale (`detail_tags`: those of the
    article's detail as readers saw it), announced to followers at commit."""
    event = ChangeEvent.objects.create(
        event=kind,
        article=article,
        slug=article.slug,
        locale=article.locale,
        revision_number=article.live_revision.number if article.live_revision_id else None,
        at=at,
        purge_keys=cache_tags.header_value(
            cache_tags.change_keys(detail_tags.split(), article.locale)
        ),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {FEED_CHANNEL}")
    return event


# ------------------------------------------------------------------------------
# The door
# ------------------------------------------------------------------------------
class DeliveryChange:
    """One transaction's change to what readers see. Only `delivery_change()` makes one.

    Every write here needs the article locked by this change first (`lock`), which is how
    the lock order (feed, then articles) holds for every caller.
    """

    def __init__(self, at: datetime) -> None:
        self.at = at
        self._locked: set[int] = set()

    def lock(self, article_id: int, *, skip_locked: bool = False) -> Article | None:
        """Lock an article this change touches (None if `skip_locked` and it is busy)."""
        if skip_locked:
            article = locking.article_lock_or_skip(article_id)
        else:
            article = locking.article_lock(article_id)
        if article is not None:
            self._locked.add(article.pk)
        return article

    def lock_many(self, articles: QuerySet[Article]) -> list[Article]:
        """Lock several articles, in id order so that two changes never deadlock."""
        locked = list(
            articles.select_for_update(of=("self",))
            .select_related("last_reviewed_by")
            .order_by("pk")
        )
        self._locked.update(a.pk for a in locked)
        return locked

    def _check_locked(self, article: Article) -> None:
        if article.pk not in self._locked:
            raise RuntimeError(f"Article {article.pk} must be locked by this change first.")

    def go_live(
        self,
        article: Article,
        *,
        was_live: bool,
        at: datetime,
        vectors: tuple[str, str] | None = None,
    ) -> None:
        """Store the article's new live document and announce it; translations list it.

        `at` is when it went live (a scheduled revision: its publication run's time);
        `vectors` are its search vectors from `prepare`, computed before the locks.
        """
        self._check_locked(article)
        self.at = at
        rendered = live_document_render(article)
        self._store(article, rendered, vectors)
        _feed_append(
            ChangeKind.UPDATED if was_live else ChangeKind.PUBLISHED,
            article,
            at=at,
            detail_tags=rendered.cache_tags,
        )
        if not was_live:
            self._refresh_translations(article)

    def certified(self, article: Article) -> None:
        """The live content was re-certified: its dates and reviewer changed."""
        self._check_locked(article)
        rendered = live_document_render(article)
        self._store(article, rendered)
        _feed_append(ChangeKind.UPDATED, article, at=self.at, detail_tags=rendered.cache_tags)

    def take_down(self, article: Article) -> None:
        """Remove the article from delivery (before its live revision is cleared)."""
        self._check_locked(article)
        document = PublishedDocument.objects.filter(article=article)
        tags = document.values_list("cache_tags", flat=True).first() or ""
        _feed_append(ChangeKind.UNPUBLISHED, article, at=self.at, detail_tags=tags)
        document.delete()
        self._refresh_translations(article)

    def refresh(
        self,
        article: Article,
        *,
        rendered: RenderedDocument | None = None,
        vectors: tuple[str, str] | None = None,
        force: bool = False,
    ) -> bool:
        """Re-render a live article; write and announce (`updated`) only if its bytes changed.

        The article's version moves with its public representation. `rendered` may come
        from before the locks, for this same article version, with its `vectors`; `force`
        writes the document even when its bytes are unchanged. Returns whether they changed.
        """
        self._check_locked(article)
        if rendered is None:
            rendered, vectors = live_document_render(article), None
        changed = rendered.etag != stored_etags([article.pk]).get(article.pk)
        if changed or force:
            self._store(article, rendered, vectors)
        if changed:
            article.version += 1
            article.save(update_fields=["version", "updated_at"])
            _feed_append(ChangeKind.UPDATED, article, at=self.at, detail_tags=rendered.cache_tags)
        return changed

    def refresh_all(self, articles: QuerySet[Article]) -> int:
        """Lock and re-render the live ones of `articles`; returns how many changed."""
        live = self.lock_many(articles.filter(live_revision__isnull=False))
        return sum(self.refresh(article) for article in live)

    def _refresh_translations(self, article: Article) -> None:
        """The live translations of `article` list it (or no longer do): re-render them."""
        self.refresh_all(
            Article.objects.filter(translation_group=article.translation_group).exclude(
                pk=article.pk
            )
        )

    def _store(
        self, article: Article, rendered: RenderedDocument, vectors: tuple[str, str] | None = None
    ) -> None:
        _document_save(rendered, vectors)


@contextmanager
def delivery_change() -> Iterator[DeliveryChange]:
    """The one door to the read side: a transaction holding the feed lock, and what it may do.

    Take it before any article lock (the change's `lock` takes those), never inside another
    transaction.
    """
    with transaction.atomic(durable=True):
        locking.feed_lock()
        yield DeliveryChange(at=timezone.now())
