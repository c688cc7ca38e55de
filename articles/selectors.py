"""Reads: the write side for the management API, and live documents for portals."""

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import publishing
from articles.content import RevisionContent, normalize_code
from articles.models import (
    Article,
    ArticleStatus,
    AuditEvent,
    ChangeEvent,
    Note,
    PublishedDocument,
    Review,
    Revision,
    Topic,
)


def managed_article_list(
    *, status: str | None = None, review_overdue: bool | None = None, q: str | None = None
) -> QuerySet[Article]:
    """All articles, any status, most recently changed first."""
    qs = Article.objects.select_related("latest_revision", "live_revision")
    if status:
        qs = qs.filter(status=status)
    if review_overdue is not None:
        overdue = Q(status=ArticleStatus.PUBLISHED, next_review_due__lt=timezone.now())
        qs = qs.filter(overdue) if review_overdue else qs.exclude(overdue)
    if q:
        qs = qs.filter(Q(slug__icontains=q) | Q(latest_revision__title__icontains=q))
    return qs.order_by("-updated_at", "-id")


def managed_article_get(article_id: int) -> Article:
    return get_object_or_404(
        Article.objects.select_related("latest_revision", "live_revision"), pk=article_id
    )


def revision_list(article: Article) -> QuerySet[Revision]:
    return article.revisions.select_related("author").order_by("-number")


def revision_get(article_id: int, number: int) -> Revision:
    """One revision with everything its detail shows, in a fixed number of queries."""
    return get_object_or_404(
        Revision.objects.select_related("author", "approved_by", "article").prefetch_related(
            "topics",
            "codes",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        ),
        article_id=article_id,
        number=number,
    )


def revision_notes(revision: Revision) -> QuerySet[Note]:
    return revision.notes.select_related("author").order_by("created_at", "id")


def article_history(article: Article) -> QuerySet[AuditEvent]:
    return article.audit_events.select_related("actor", "revision").order_by("at", "id")


DIFF_FIELDS = ("title", "summary", "editor_note", "topics", "codes", "sources", "authors")


def revision_diff(base: Revision, revision: Revision) -> dict[str, Any]:
    """What changed from `base` to `revision`: each changed field, and a line diff of the body."""
    before, after = RevisionContent.of(base), RevisionContent.of(revision)
    changed = [
        {
            "field": name,
            "before": _plain(getattr(before, name)),
            "after": _plain(getattr(after, name)),
        }
        for name in (*DIFF_FIELDS, "body")
        if getattr(before, name) != getattr(after, name)
    ]
    body_diff = list(
        difflib.unified_diff(
            before.body.splitlines(),
            after.body.splitlines(),
            fromfile=f"revision {base.number}",
            tofile=f"revision {revision.number}",
            lineterm="",
        )
    )
    return {
        "base": base.number,
        "revision": revision.number,
        "changed": changed,
        "body_diff": body_diff,
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ------------------------------------------------------------------------------
# The read side: live documents for portals. Each read is one indexed query.
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredDocument:
    body: bytes
    etag: str
    rendered_at: datetime


def published_document_get(*, slug: str, locale: str) -> StoredDocument | None:
    row = (
        PublishedDocument.objects.filter(slug=slug, locale=locale)
        .values_list("body", "etag", "rendered_at")
        .first()
    )
    return StoredDocument(bytes(row[0]), row[1], row[2]) if row else None


def published_list_items(
    *,
    offset: int,
    limit: int,
    locale: str | None = None,
    topic: str | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
    code: tuple[str, str] | None = None,
) -> list[bytes]:
    """Stored list items of live articles, newest first (best match first with `q`)."""
    qs = PublishedDocument.objects.all()
    if locale:
        qs = qs.filter(locale=locale)
    if topic:
        qs = qs.filter(topic_links__topic__slug=topic)
    if updated_since:
        qs = qs.filter(last_updated_at__gt=updated_since)
    if code:
        system, value = code
        qs = qs.filter(code_links__system=system, code_links__code=normalize_code(system, value))
    ordering: list[Any] = ["-last_updated_at", "-article_id"]
    if q:
        qs, rank = _search(qs, q, locale)
        if rank is not None:
            ordering = ["-rank", *ordering]
            qs = qs.annotate(rank=rank)
    return [
        bytes(item)
        for item in qs.order_by(*ordering).values_list("list_item", flat=True)[
            offset : offset + limit
        ]
    ]


def _search(qs: QuerySet[PublishedDocument], q: str, locale: str | None) -> tuple[QuerySet, Any]:
    if connection.vendor == "postgresql":
        configs = [publishing.search_config(locale)] if locale else ["english", "spanish"]
        query = None
        for config in configs:
            part = SearchQuery(q, config=config, search_type="websearch")
            query = part if query is None else query | part
        return qs.filter(search_vector=query), SearchRank(F("search_vector"), query)
    for word in q.split():
        qs = qs.filter(search_text__icontains=word)
    return qs, None


def live_topics() -> QuerySet[Topic]:
    """Every topic with how many live articles name it."""
    return (
        Topic.objects.select_related("parent")
        .annotate(live_articles=Count("live_links"))
        .order_by("slug")
    )


def changes_after(after_id: int, *, limit: int) -> list[ChangeEvent]:
    return list(ChangeEvent.objects.filter(id__gt=after_id).order_by("id")[:limit])
