"""What the review pages compose for a reviewer: the queue, the articles due for
re-certification, and the revision a reviewer compares another with. Reads only; the refusals
are the workflow's own (`articles.workflow.refusal`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import diffs
from articles.authorship import words_remembered
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    Note,
    Review,
    ReviewDecision,
    Revision,
    RevisionCode,
    RevisionState,
)
from articles.selectors import revision_quotes
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


def due_soon(article: Article, *, now: datetime, within_days: int) -> bool:
    """Whether a live article's review is overdue or falls due soon: within `within_days`,
    or within half its review interval if that is shorter (so an article reviewed every few
    days, once re-certified, leaves the list until its next review nears)."""
    window = min(timedelta(days=within_days), timedelta(days=article.review_interval_days) / 2)
    return article.next_review_due <= now + window


def review_due(actor: User, *, within_days: int = REVIEW_DUE_WITHIN_DAYS) -> list[DueItem]:
    """Live articles overdue or due soon (`due_soon`), most overdue first."""
    now = timezone.now()
    candidates = (
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED,
            next_review_due__lte=now + timedelta(days=within_days),
        )
        .select_related("live_revision", "last_reviewed_by")
        .order_by("next_review_due", "pk")
    )
    articles = [a for a in candidates if due_soon(a, now=now, within_days=within_days)]
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


@dataclass(frozen=True)
class DeskItem:
    """One of an editor's revisions, with what they need to see first."""

    revision: Revision
    # For one sent back: the reviewer's request (the latest), else None.
    request: Review | None = None
    # Notes by others on it, and when the newest was written.
    others_notes: int = 0
    latest_note_at: datetime | None = None


@dataclass(frozen=True)
class Desk:
    """An editor's start page: what waits on them, then what waits on others."""

    changes_requested: list[DeskItem]
    drafts: list[DeskItem]
    in_review: list[DeskItem]


def editor_desk(editor: User) -> Desk:
    """The editor's revisions sent back (the request first), drafts, and those in review
    with the notes others wrote on them; each list oldest first. Three queries."""
    mine = (
        Revision.objects.filter(
            author=editor,
            state__in=[
                RevisionState.CHANGES_REQUESTED,
                RevisionState.DRAFT,
                RevisionState.IN_REVIEW,
            ],
        )
        .select_related("article")
        .annotate(
            others_notes=Count("notes", filter=~Q(notes__author=editor)),
            latest_note_at=Max("notes__created_at", filter=~Q(notes__author=editor)),
        )
        .order_by("updated_at", "pk")
    )
    revisions = list(mine)
    requests: dict[int, Review] = {}
    sent_back = [r.pk for r in revisions if r.state == RevisionState.CHANGES_REQUESTED]
    for review in (
        Review.objects.filter(revision__in=sent_back, decision=ReviewDecision.CHANGES_REQUESTED)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    ):
        requests[review.revision_id] = review  # the latest wins
    items = {
        state: [
            DeskItem(r, requests.get(r.pk), r.others_notes, r.latest_note_at)
            for r in revisions
            if r.state == state
        ]
        for state in (RevisionState.CHANGES_REQUESTED, RevisionState.DRAFT, RevisionState.IN_REVIEW)
    }
    return Desk(
        changes_requested=items[RevisionState.CHANGES_REQUESTED],
        drafts=items[RevisionState.DRAFT],
        in_review=items[RevisionState.IN_REVIEW],
    )


def articles_to_revise(query: str, *, limit: int = 20) -> list[Article]:
    """Articles whose title or slug holds `query`, to start a new revision of, newest change
    first; at most `limit` (one more is read, to say there are more)."""
    return list(
        Article.objects.filter(
            Q(slug__icontains=query) | Q(latest_revision__title__icontains=query)
        )
        .select_related("latest_revision", "live_revision")
        .order_by("-updated_at", "-pk")[: limit + 1]
    )


def sent_back_base(revision: Revision) -> Revision | None:
    """The revision `revision` was written from, if a reviewer sent that one back: what the
    editor answered, to compare with."""
    if revision.base_revision is None:
        return None
    return (
        Revision.objects.filter(
            article_id=revision.article_id,
            number=revision.base_revision,
            state=RevisionState.CHANGES_REQUESTED,
        )
        .prefetch_related("topics", "codes")
        .first()
    )


@dataclass(frozen=True)
class CarriedNote:
    """A note on the revision this one was written from, with the passage it quotes."""

    note: Note
    # Whether the quoted passage is still in this revision's text.
    still_there: bool


def carried_notes(revision: Revision) -> list[CarriedNote]:
    """The notes that quote a passage of the revision `revision` was written from (notes
    stay on their revision; their questions carry over), and whether each passage is still
    in `revision`."""
    if revision.base_revision is None:
        return []
    notes = (
        Note.objects.filter(
            revision__article_id=revision.article_id,
            revision__number=revision.base_revision,
            reply_to__isnull=True,
        )
        .exclude(quote="")
        .select_related("author", "revision")
        .order_by("created_at", "pk")
    )
    return [CarriedNote(note, revision_quotes(revision, note.quote)) for note in notes]


def known_codes(query: str, *, limit: int = 10) -> list[dict[str, str]]:
    """Codes the library already uses, with their display names, whose code starts with
    `query` or whose name holds it: what an editor picks from while typing a code."""
    query = query.strip()
    if len(query) < 2:
        return []
    rows = (
        RevisionCode.objects.filter(Q(code__istartswith=query) | Q(display__icontains=query))
        .exclude(display="")
        .values("system", "code", "display")
        .order_by("system", "code", "display")
        .distinct()[: limit * 4]
    )
    seen: set[tuple[str, str]] = set()
    found = []
    for row in rows:
        if (row["system"], row["code"]) in seen:
            continue  # one name per code: the first
        seen.add((row["system"], row["code"]))
        found.append(row)
        if len(found) == limit:
            break
    return found
