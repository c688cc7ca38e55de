"""Reads of the write side for the management API, each a fixed number of queries."""

import difflib
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles.content import RevisionContent
from articles.models import Article, ArticleStatus, AuditEvent, Note, Review, Revision


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
