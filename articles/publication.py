"""Putting revisions in front of readers: what a live article shows, handed to the read side.

The write side's half of the read side's door. `publication()` enters the door
(`delivery.door.delivery_change`: a transaction holding the feed lock) and hands out a
`Publication`, which locks the articles a change touches (after the feed lock, always, in id
order when several), renders what each shows (its live revision, its reviewer and dates, its
live translations) and gives the rendered document and the change event to the door. So
every change to what readers see locks in the same order, and the write side decides what
goes live while the read side alone stores it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db.models import QuerySet

from articles import locking
from articles.models import Article, Revision
from contentapi.models import User
from delivery.door import DeliveryChange, Vectors, delivery_change, search_vectors
from delivery.models import ChangeKind
from delivery.rendering import (
    DocumentSource,
    RenderedDocument,
    TopicRef,
    TranslationLineage,
    document_render,
    html_to_text,
    markdown_to_html,
)
from delivery.selectors import live_translations


# ------------------------------------------------------------------------------
# What a document shows, read from the write side (no locks needed)
# ------------------------------------------------------------------------------
def translations_of(articles: Iterable[Article]) -> dict[int, tuple[tuple[str, str], ...]]:
    """The live translations (locale, slug) of each article, from one query for them all."""
    articles = list(articles)
    groups = live_translations({a.translation_group for a in articles})
    return {
        a.pk: tuple(
            (locale, slug)
            for other, locale, slug in groups.get(a.translation_group, [])
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
        revision = (
            Revision.objects.select_related("source_revision__article")
            .prefetch_related("topics", "codes")
            .get(pk=article.live_revision_id)
        )
    if translations is None:
        translations = translations_of([article])[article.pk]
    return DocumentSource(
        article_id=article.pk,
        slug=article.slug,
        locale=article.locale,
        translation_group=article.translation_group,
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
        translation=_lineage(article, revision),
    )


def _lineage(article: Article, revision: Revision) -> TranslationLineage | None:
    """What a translation's document says of the source it translates, and if it is current."""
    source = revision.source_revision
    if source is None:
        return None
    return TranslationLineage(
        source_locale=source.article.locale,
        source_revision=source.number,
        outdated_since=article.outdated_since,
    )


def live_document_render(article: Article) -> RenderedDocument:
    """Render the article's live revision as it stands (reads only, no locks)."""
    return document_render(document_source(article, reviewer=article.last_reviewed_by))


def prepare(revision: Revision, locale: str) -> Vectors | None:
    """Do the slow part of putting `revision` live before any lock is taken.

    Renders its body (remembered by `markdown_to_html`, so the render under the feed lock
    finds it done) and returns its search vectors (PostgreSQL) for `go_live` to store.
    A submitted revision's content never changes, so both stay right until it goes live.
    """
    body_text = html_to_text(markdown_to_html(revision.body))
    return search_vectors(locale, revision.title, revision.summary, body_text)


# ------------------------------------------------------------------------------
# Changing what readers see
# ------------------------------------------------------------------------------
class Publication:
    """One transaction's change to what readers see, as the write side makes it. Only
    `publication()` makes one.

    Every change here needs the article locked by this publication first (`lock`), which
    is how the lock order (feed, then articles) holds for every caller.
    """

    def __init__(self, change: DeliveryChange) -> None:
        self.change = change
        self._locked: set[int] = set()

    @property
    def at(self) -> datetime:
        return self.change.at

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

    def _announce(self, kind: ChangeKind, article: Article, *, tags: str) -> None:
        self.change.announce(
            kind,
            article_id=article.pk,
            slug=article.slug,
            locale=article.locale,
            revision_number=article.live_revision.number if article.live_revision_id else None,
            detail_tags=tags,
        )

    def go_live(
        self,
        article: Article,
        *,
        was_live: bool,
        at: datetime,
        vectors: Vectors | None = None,
    ) -> None:
        """Store the article's new live document and announce it; translations list it.

        `at` is when it went live (a scheduled revision: its publication run's time);
        `vectors` are its search vectors from `prepare`, computed before the locks.
        """
        self._check_locked(article)
        self.change.at = at
        rendered = live_document_render(article)
        self.change.store(rendered, vectors)
        kind = ChangeKind.UPDATED if was_live else ChangeKind.PUBLISHED
        self._announce(kind, article, tags=rendered.cache_tags)
        if not was_live:
            self._refresh_translations(article)

    def certified(self, article: Article) -> None:
        """The live content was re-certified: its dates and reviewer changed."""
        self._check_locked(article)
        rendered = live_document_render(article)
        self.change.store(rendered)
        self._announce(ChangeKind.UPDATED, article, tags=rendered.cache_tags)

    def outdated(self, article: Article) -> None:
        """A live translation became outdated: its document says so, and the feed."""
        self._check_locked(article)
        rendered = live_document_render(article)
        self.change.store(rendered)
        self._announce(ChangeKind.TRANSLATION_OUTDATED, article, tags=rendered.cache_tags)

    def take_down(self, article: Article) -> None:
        """Remove the article from delivery (before its live revision is cleared)."""
        self._check_locked(article)
        tags = self.change.remove(article.pk)
        self._announce(ChangeKind.UNPUBLISHED, article, tags=tags)
        self._refresh_translations(article)

    def refresh(
        self,
        article: Article,
        *,
        rendered: RenderedDocument | None = None,
        vectors: Vectors | None = None,
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
        changed = rendered.etag != self.change.stored_etag(article.pk)
        if changed or force:
            self.change.store(rendered, vectors)
        if changed:
            article.version += 1
            article.save(update_fields=["version", "updated_at"])
            self._announce(ChangeKind.UPDATED, article, tags=rendered.cache_tags)
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


@contextmanager
def publication() -> Iterator[Publication]:
    """Through the read side's door: a transaction holding the feed lock, and what the write
    side may change of what readers see. Enter it before any article lock, never inside
    another transaction."""
    with delivery_change() as change:
        yield Publication(change)
