"""What the review pages compose for a reviewer: the queue, the articles due for
re-certification, and the revision a reviewer compares another with. Reads only; the refusals
are the workflow's own (`articles.workflow.refusal`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import diffs
from articles.authorship import words_remembered
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionState,
)
from articles.workflow import refusal
from contentapi.models import User
from delivery.readability import above_plain_language_target

# Live articles whose clinical review falls due within this many days are listed for
# re-certification (overdue ones first).
REVIEW_DUE_WITHIN_DAYS = 30


@dataclass(frozen=True)
class QueueItem:
    """A revision waiting in review, and whether this reviewer may approve it."""

    revision: Revision
    grade_flagged: bool
    # Why this reviewer may not approve it (the workflow's own words), or "".
    approve_refusal: str


def review_queue(actor: User) -> list[QueueItem]:
    """Every revision in review, oldest submission first, each with the actor's refusal."""
    revisions = (
        Revision.objects.filter(state=RevisionState.IN_REVIEW)
        .select_related("article", "author")
        .order_by("submitted_at", "pk")
    )
    with words_remembered():
        return [
            QueueItem(
                revision=revision,
                grade_flagged=above_plain_language_target(revision.reading_grade),
                approve_refusal=refusal("approve", actor=actor, revision=revision) or "",
            )
            for revision in revisions
        ]


@dataclass(frozen=True)
class DueItem:
    """A live article whose clinical review is due, and whether this reviewer may re-certify."""

    article: Article
    overdue: bool
    certify_refusal: str


def review_due(actor: User, *, within_days: int = REVIEW_DUE_WITHIN_DAYS) -> list[DueItem]:
    """Live articles due for review within `within_days` (or overdue), most overdue first."""
    now = timezone.now()
    articles = (
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED,
            next_review_due__lte=now + timedelta(days=within_days),
        )
        .select_related("live_revision", "last_reviewed_by")
        .order_by("next_review_due", "pk")
    )
    with words_remembered():
        return [
            DueItem(
                article=article,
                overdue=article.next_review_due < now,
                certify_refusal=refusal(
                    "certify-review", actor=actor, revision=article.live_revision
                )
                or "",
            )
            for article in articles
        ]


def review_base(revision: Revision) -> Revision | None:
    """What a reviewer compares `revision` with: the live revision, or else the newest
    earlier revision a reviewer approved; None for an article with neither (all new)."""
    article = revision.article
    earlier = Revision.objects.filter(article=article, number__lt=revision.number)
    if article.live_revision_id and article.live_revision_id != revision.pk:
        base = earlier.filter(pk=article.live_revision_id)
    else:
        base = earlier.filter(approved_by__isnull=False).order_by("-number")
    return base.prefetch_related("topics", "codes").first()


def topic_renames_unreviewed(revision: Revision, base: Revision | None) -> list[AuditEvent]:
    """Renames of the revision's topics since its base was approved: names no reviewer saw
    (a publisher may rename a topic that approved or live content uses)."""
    since = base.approved_at if base is not None else None
    if since is None:
        return []
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.TOPIC_RENAMED,
            topic__in=[topic.pk for topic in revision.topics.all()],
            at__gt=since,
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def revision_for_review(article_id: int, number: int) -> Revision:
    """One revision with its article, author, topics and codes (404 if there is none)."""
    return get_object_or_404(
        Revision.objects.select_related(
            "author", "approved_by", "article", "article__last_reviewed_by"
        ).prefetch_related("topics", "codes"),
        article_id=article_id,
        number=number,
    )


@dataclass(frozen=True)
class TranslationView:
    """A translation beside the source revision it translates, and what changed in the
    source since the text it replaces was translated."""

    # The source revision this translation names.
    source: Revision
    # The source article's live revision now (its latest if it was never live).
    current: Revision
    # The source revision the review base (the translation it replaces) was made from; the
    # revision's own source when it has no base or the base named none.
    made_from: Revision
    # (translation HTML, source HTML) per section, aligned by headings.
    sections: list[tuple[str, str]]
    # The source's word diff from `made_from` to `current`, and its unchanged fields.
    changes: list[diffs.FieldDiff]
    unchanged: list[str]

    @property
    def names_current(self) -> bool:
        """Whether it translates the source as it reads now."""
        return self.source.pk == self.current.pk


def translation_view(revision: Revision, base: Revision | None) -> TranslationView | None:
    """`revision` beside the source it translates; None if it translates nothing."""
    if revision.source_revision_id is None:
        return None
    sources = Revision.objects.select_related("article").prefetch_related("topics", "codes")
    source = sources.get(pk=revision.source_revision_id)
    article = source.article
    current = sources.get(pk=article.live_revision_id or article.latest_revision_id)
    made_from = source
    if base is not None and base.source_revision_id not in (None, source.pk):
        made_from = sources.get(pk=base.source_revision_id)
    changes, unchanged = diffs.review_diff(made_from, current)
    return TranslationView(
        source=source,
        current=current,
        made_from=made_from,
        sections=diffs.aligned_sections(revision.body, source.body),
        changes=changes,
        unchanged=unchanged,
    )


def outdated_translations() -> list[Article]:
    """Live translations whose source has since put live a change of meaning, the longest
    outdated first: with the revision each translates and the source's live revision."""
    return list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED, outdated_since__isnull=False)
        .select_related(
            "live_revision",
            "latest_revision",
            "live_revision__source_revision__article__live_revision",
        )
        .order_by("outdated_since", "pk")
    )
