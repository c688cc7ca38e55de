"""Staff reads of the write side: articles, revisions, notes, history, contributors and topics
for the management API, and a preview of any revision in the delivery shape."""

import uuid
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import authorship, publication
from articles.content import RevisionContent
from articles.models import (
    Article,
    ArticleStatus,
    AuditEvent,
    Note,
    Review,
    Revision,
    Topic,
)
from contentapi.models import User
from delivery.plain_language import passage_found
from delivery.rendering import (
    DocumentSource,
    TopicRef,
    document_fields,
    markdown_to_html,
    to_bytes,
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
        Revision.objects.select_related(
            "author", "approved_by", "article", "source_revision__article"
        ).prefetch_related(
            "topics",
            "codes",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        ),
        article_id=article_id,
        number=number,
    )


def article_contributors(article_id: int) -> dict[int, list[dict[str, Any]]]:
    """Who wrote part of each revision's text, by revision number (two queries)."""
    by_number = authorship.article_contributors(article_id)
    users = User.objects.in_bulk({c.user_id for found in by_number.values() for c in found})
    return {
        number: [
            {
                "username": c.username,
                "name": users[c.user_id].public_name,
                "revisions": sorted(c.revisions),
            }
            for c in found
        ]
        for number, found in by_number.items()
    }


def revision_notes(revision: Revision) -> QuerySet[Note]:
    return revision.notes.select_related("author").order_by("created_at", "id")


def article_history(article: Article) -> QuerySet[AuditEvent]:
    return article.audit_events.select_related("actor", "revision").order_by("seq")


def live_topics() -> QuerySet[Topic]:
    """The topics live articles name, each with how many: a topic an editor just made, or
    one no live article uses any more, is not shown to readers."""
    return (
        Topic.objects.select_related("parent")
        .annotate(live_articles=Count("live_links"))
        .filter(live_articles__gt=0)
        .order_by("slug")
    )


def revision_preview(revision: Revision) -> dict[str, Any]:
    """Any revision in the delivery shape, plus its state, for the web team's preview.

    The reviewer shown is who approved this revision (or, for the live one, who last
    approved or re-certified it).
    """
    article = revision.article
    is_live = article.live_revision_id == revision.pk
    reviewer = article.last_reviewed_by if is_live else revision.approved_by
    source = publication.document_source(article, revision, reviewer=reviewer)
    return {**document_fields(source), "state": revision.state}


def content_preview(
    content: RevisionContent, *, article: Article | None, slug: str, locale: str
) -> dict[str, Any]:
    """Content not saved yet (what an editor is writing) in the delivery shape, rendered by
    the same code as delivery: as it would read if it went live as the next revision of
    `article` (None: a new article). Topics that do not exist are left out."""
    topics = Topic.objects.filter(slug__in=content.topics).order_by("name")
    number = (article.latest_revision.number + 1) if article and article.latest_revision else 1
    source = DocumentSource(
        article_id=article.pk if article else 0,
        slug=slug,
        locale=locale,
        translation_group=article.translation_group if article else uuid.uuid4(),
        revision=number,
        title=content.title,
        summary=content.summary,
        body=content.body,
        editor_note=content.editor_note,
        topics=tuple(TopicRef(t.pk, t.slug, t.name) for t in topics),
        codes=tuple((c["system"], c["code"], c["display"]) for c in content.codes),
        sources=content.sources,
        authors=content.authors,
        reading_grade=None,
        reviewer=None,
        first_published_at=article.first_published_at if article else None,
        last_updated_at=article.last_updated_at if article else None,
        last_reviewed_at=article.last_reviewed_at if article else None,
        next_review_due=article.next_review_due if article else None,
        translations=(),
    )
    return document_fields(source)


# Seconds a rendered preview is reused. Its key names the revision's and the article's
# versions, which every change to either moves, so only the translations list (other
# articles going live) can be this much out of date.
PREVIEW_CACHE_SECONDS = 300


def revision_preview_bytes(revision: Revision) -> bytes:
    """The preview's JSON, rendered once per version of the revision and its article."""
    key = f"preview:{revision.pk}.{revision.version}:{revision.article.version}"
    body = cache.get(key)
    if body is None:
        body = to_bytes(revision_preview(revision))
        cache.set(key, body, timeout=PREVIEW_CACHE_SECONDS)
    return body


def revision_quotes(revision: Revision, passage: str) -> bool:
    """Whether `passage` is in what readers of `revision` read: its title, summary, body
    (as rendered) or editor's note."""
    rendered = markdown_to_html(revision.body)
    plain = " ".join((revision.title, revision.summary, revision.editor_note))
    return passage_found(rendered, passage) or " ".join(passage.split()) in " ".join(plain.split())
