"""The review and publication workflow: the transition table and one function per transition.

Every function here follows the same order: check who may act, lock (the changes feed first
when delivery changes, then the article row), read the state from the locked row (never from
the object the caller holds), check the table, change state, and write exactly one audit
event, all in one transaction. Locking the article serialises every transition of one
article, so of two concurrent requests exactly one wins and the other sees the new state and
gets 409. Transitions that change what readers see also write the delivery document and one
change event in the same transaction, so delivery, feed and write side never disagree.
"""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from articles import publishing
from articles.authorship import (
    Contributor,
    contribution_of,
    revision_contributors,
    revisions_phrase,
)
from articles.errors import InvalidTransition, NotAllowed, ValidationFailed
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    ChangeEvent,
    Review,
    ReviewDecision,
    Revision,
    RevisionState,
)
from contentapi.models import Role, User

logger = logging.getLogger(__name__)

S = RevisionState
A = ArticleStatus


class FourEyes(enum.Enum):
    """Whom a transition excludes from acting on a revision, admins included."""

    # The revision's own author.
    AUTHOR = "author"
    # Everyone who wrote part of its text (see `articles.authorship`).
    CONTRIBUTORS = "contributors"


@dataclass(frozen=True)
class Transition:
    """A row of the workflow table: from which states, to which, who, and what is audited.

    `sources` and `target` are revision states for revision transitions and article
    statuses for article transitions (unpublish, certify-review).
    """

    name: str
    sources: frozenset[str]
    target: str
    # Empty for the steps the clock takes (a scheduled revision going live).
    roles: tuple[Role, ...]
    action: AuditAction
    # Who may not take this step on a revision (the live one for article transitions).
    four_eyes: FourEyes | None = None
    comment_required: bool = False
    # Changes what readers see: takes the feed lock and writes a change event.
    touches_delivery: bool = False
    # The actor becomes the reviewer named to readers, so needs a name and credentials.
    signs_review: bool = False


SUBMIT = Transition(
    "submit", frozenset({S.DRAFT}), S.IN_REVIEW, (Role.EDITOR,), AuditAction.SUBMITTED
)
APPROVE = Transition(
    "approve",
    frozenset({S.IN_REVIEW}),
    S.APPROVED,
    (Role.REVIEWER,),
    AuditAction.APPROVED,
    four_eyes=FourEyes.CONTRIBUTORS,
    signs_review=True,
)
REQUEST_CHANGES = Transition(
    "request-changes",
    frozenset({S.IN_REVIEW}),
    S.CHANGES_REQUESTED,
    (Role.REVIEWER,),
    AuditAction.CHANGES_REQUESTED,
    four_eyes=FourEyes.AUTHOR,
    comment_required=True,
)
PUBLISH = Transition(
    "publish",
    frozenset({S.APPROVED, S.SCHEDULED}),
    S.PUBLISHED,
    (Role.PUBLISHER,),
    AuditAction.PUBLISHED,
    touches_delivery=True,
)
SCHEDULE = Transition(
    "schedule",
    frozenset({S.APPROVED, S.SCHEDULED}),
    S.SCHEDULED,
    (Role.PUBLISHER,),
    AuditAction.SCHEDULED,
)
GO_LIVE = Transition(
    "go live",
    frozenset({S.SCHEDULED}),
    S.PUBLISHED,
    (),
    AuditAction.PUBLISHED,
    touches_delivery=True,
)
UNPUBLISH = Transition(
    "unpublish",
    frozenset({A.PUBLISHED}),
    A.UNPUBLISHED,
    (Role.PUBLISHER,),
    AuditAction.UNPUBLISHED,
    touches_delivery=True,
)
CERTIFY_REVIEW = Transition(
    "certify-review",
    frozenset({A.PUBLISHED}),
    A.PUBLISHED,
    (Role.REVIEWER,),
    AuditAction.REVIEW_CERTIFIED,
    four_eyes=FourEyes.CONTRIBUTORS,
    touches_delivery=True,
    signs_review=True,
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        SUBMIT,
        APPROVE,
        REQUEST_CHANGES,
        PUBLISH,
        SCHEDULE,
        GO_LIVE,
        UNPUBLISH,
        CERTIFY_REVIEW,
    )
}


def check_role(actor: User, roles: tuple[Role, ...], doing: str) -> None:
    if roles and not any(actor.has_role(role) for role in roles):
        names = " or ".join(role.value for role in roles)
        raise NotAllowed(f"Only a user with the {names} role may {doing}.")


def lock_article(article_id: int) -> Article:
    """The article row, locked until the transaction ends."""
    return Article.objects.select_for_update().get(pk=article_id)


# Any constant shared by every process; names the PostgreSQL advisory lock of the feed.
FEED_LOCK_KEY = 0x5E_ED_0F_EE


def lock_feed() -> None:
    """Serialise every change to delivery until the transaction ends.

    Change events then commit in id order, so the changes feed never skips one. Always taken
    before any article lock, so it cannot deadlock. SQLite needs nothing: its IMMEDIATE
    transactions already admit one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


def audit(
    *,
    article: Article,
    actor: User,
    action: AuditAction,
    revision: Revision | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the article's audit chain; the caller holds the article lock."""
    return AuditEvent.append(
        chain=f"article:{article.pk}",
        article=article,
        revision=revision,
        actor=actor,
        action=action,
        comment=comment,
        details=details or {},
    )


def check_four_eyes(
    transition: Transition, actor: User, revision: Revision
) -> list[Contributor] | None:
    """Refuse `actor` if they wrote (part of) `revision`; returns the contributors checked."""
    if transition.four_eyes is FourEyes.AUTHOR:
        if revision.author_id == actor.pk:
            raise NotAllowed(
                f"You wrote revision {revision.number}: another reviewer must {transition.name} it."
            )
        return None
    if transition.four_eyes is FourEyes.CONTRIBUTORS:
        contributors = revision_contributors(revision)
        mine = contribution_of(actor, contributors)
        if mine is not None:
            raise NotAllowed(
                f"You wrote part of this text: {revisions_phrase(mine.revisions)}. Another "
                f"reviewer, who wrote none of it, must {transition.name} it."
            )
        return contributors
    return None


def contributors_record(contributors: list[Contributor]) -> list[dict[str, Any]]:
    """The contributors as an audit event stores them: who, and which revisions."""
    names = dict(
        User.objects.filter(pk__in=[c.user_id for c in contributors]).values_list("pk", "username")
    )
    return [
        {"user": c.user_id, "username": names.get(c.user_id, ""), "revisions": sorted(c.revisions)}
        for c in contributors
    ]


def _start(transition: Transition, actor: User, comment: str) -> None:
    check_role(actor, transition.roles, f"{transition.name} this")
    if transition.signs_review and not (actor.display_name.strip() and actor.credentials.strip()):
        # Readers are shown who reviewed the content and their credentials (DESIGN.md).
        raise NotAllowed(
            "Your staff profile needs a display name and credentials before you can sign off "
            "clinical content; ask an admin to add them."
        )
    if transition.comment_required and not comment.strip():
        raise ValidationFailed.on("comment", "A comment is required.", code="required")


RevisionEffect = Callable[[Article, Revision], str | None]


def _revision_transition(
    transition: Transition,
    *,
    actor: User,
    revision: Revision,
    comment: str = "",
    effect: RevisionEffect | None = None,
) -> Revision:
    """Run a revision transition; `effect` may return an extra audit comment."""
    _start(transition, actor, comment)
    with transaction.atomic(durable=True):
        if transition.touches_delivery:
            lock_feed()
        article = lock_article(revision.article_id)
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        contributors = check_four_eyes(transition, actor, locked)
        if locked.state not in transition.sources:
            allowed = " or ".join(sorted(transition.sources))
            raise InvalidTransition(
                f"Revision {locked.number} is {locked.state}; "
                f"{transition.name} needs it to be {allowed}."
            )
        note = effect(article, locked) if effect is not None else None
        locked.state = transition.target
        locked.version += 1
        locked.save()
        article.version += 1
        article.save()
        audit(
            article=article,
            actor=actor,
            action=transition.action,
            revision=locked,
            comment="\n".join(part for part in (comment, note) if part),
            details={"contributors": contributors_record(contributors)} if contributors else None,
        )
    return locked


ArticleEffect = Callable[[Article], None]


def _article_transition(
    transition: Transition,
    *,
    actor: User,
    article: Article,
    comment: str = "",
    effect: ArticleEffect,
) -> Article:
    _start(transition, actor, comment)
    with transaction.atomic(durable=True):
        if transition.touches_delivery:
            lock_feed()
        locked = lock_article(article.pk)
        if locked.status not in transition.sources:
            raise InvalidTransition(
                f"The article is {locked.status}; {transition.name} needs it to be "
                f"{' or '.join(sorted(transition.sources))}."
            )
        live = locked.live_revision
        contributors = check_four_eyes(transition, actor, live) if live is not None else None
        effect(locked)
        locked.status = transition.target
        locked.version += 1
        locked.save()
        audit(
            article=locked,
            actor=actor,
            action=transition.action,
            revision=live,
            comment=comment,
            details={"contributors": contributors_record(contributors)} if contributors else None,
        )
    return locked


# ------------------------------------------------------------------------------
# Review
# ------------------------------------------------------------------------------
def revision_submit(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """Send a draft to clinical review; from now on its content is frozen."""

    def stamp(article: Article, locked: Revision) -> None:
        locked.submitted_at = timezone.now()

    return _revision_transition(
        SUBMIT, actor=actor, revision=revision, comment=comment, effect=stamp
    )


def revision_approve(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """A clinical reviewer other than the author approves the revision."""

    def record(article: Article, locked: Revision) -> None:
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        Review.objects.create(
            revision=locked, reviewer=actor, decision=ReviewDecision.APPROVED, comment=comment
        )

    return _revision_transition(
        APPROVE, actor=actor, revision=revision, comment=comment, effect=record
    )


def revision_request_changes(*, actor: User, revision: Revision, comment: str) -> Revision:
    """A clinical reviewer sends the revision back to its editor with a comment."""

    def record(article: Article, locked: Revision) -> None:
        Review.objects.create(
            revision=locked,
            reviewer=actor,
            decision=ReviewDecision.CHANGES_REQUESTED,
            comment=comment,
        )

    return _revision_transition(
        REQUEST_CHANGES, actor=actor, revision=revision, comment=comment, effect=record
    )


# ------------------------------------------------------------------------------
# Publication
# ------------------------------------------------------------------------------
def _go_live(article: Article, revision: Revision, *, now: datetime) -> None:
    """Make `revision` the live revision of `article`: dates, document, feed, translations."""
    # Invariant 3, checked again here because it is the rule that protects readers.
    approver = revision.approved_by
    if approver is None or contribution_of(approver, revision_contributors(revision)):
        raise InvalidTransition(
            f"Revision {revision.number} has no approval by a reviewer who wrote none of it."
        )
    previous = article.live_revision
    if previous is not None and previous.number > revision.number:
        raise InvalidTransition(
            f"Revision {revision.number} is older than the live revision {previous.number}."
        )
    # The old live revision, and any approved or scheduled one older than this, can never
    # go live now: they are superseded (a pending schedule must not linger, due forever).
    Revision.objects.filter(
        article=article,
        number__lt=revision.number,
        state__in=[S.PUBLISHED, S.APPROVED, S.SCHEDULED],
    ).update(state=S.SUPERSEDED, publish_at=None, version=F("version") + 1, updated_at=now)
    review = (
        Review.objects.filter(
            revision=revision,
            decision__in=[ReviewDecision.APPROVED, ReviewDecision.RECERTIFIED],
        )
        .select_related("reviewer")
        .latest("created_at", "id")
    )
    was_live = article.status == A.PUBLISHED
    article.status = A.PUBLISHED
    article.live_revision = revision
    article.first_published_at = article.first_published_at or now
    article.last_updated_at = now
    article.last_reviewed_at = review.created_at
    article.last_reviewed_by = review.reviewer
    article.next_review_due = review.created_at + timedelta(days=article.review_interval_days)
    revision.published_at = now
    revision.publish_at = None
    publishing.document_store(article)
    kind = ChangeEvent.Kind.UPDATED if was_live else ChangeEvent.Kind.PUBLISHED
    publishing.feed_append(kind, article, at=now)
    if not was_live:
        publishing.translations_refresh(article, at=now)


def revision_publish(
    *,
    actor: User,
    revision: Revision,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Revision:
    """Put an approved (or scheduled) revision live now, or schedule it for `publish_at`."""
    if publish_at is not None:
        return revision_schedule(
            actor=actor, revision=revision, publish_at=publish_at, comment=comment
        )

    def go_live(article: Article, locked: Revision) -> None:
        _go_live(article, locked, now=timezone.now())

    return _revision_transition(
        PUBLISH, actor=actor, revision=revision, comment=comment, effect=go_live
    )


def revision_schedule(
    *, actor: User, revision: Revision, publish_at: datetime, comment: str = ""
) -> Revision:
    """Schedule an approved revision to go live at `publish_at`, with nobody acting then."""
    if publish_at <= timezone.now():
        raise ValidationFailed.on(
            "publish_at", "Must be in the future; leave it out to publish now.", "past"
        )

    def schedule(article: Article, locked: Revision) -> str:
        live = article.live_revision
        if live is not None and live.number > locked.number:
            raise InvalidTransition(
                f"Revision {locked.number} is older than the live revision {live.number}."
            )
        locked.publish_at = publish_at
        locked.scheduled_by = actor
        return f"Scheduled to go live at {publishing.iso(publish_at)}."

    return _revision_transition(
        SCHEDULE, actor=actor, revision=revision, comment=comment, effect=schedule
    )


def scheduled_go_live(revision: Revision, *, now: datetime) -> Revision | None:
    """Publish one due scheduled revision; None if another process got there first."""

    def go_live(article: Article, locked: Revision) -> str:
        if locked.publish_at is None or locked.publish_at > now:
            raise InvalidTransition("Rescheduled meanwhile.")
        _go_live(article, locked, now=now)
        return "Scheduled publication went live."

    try:
        return _revision_transition(
            GO_LIVE, actor=revision.scheduled_by, revision=revision, effect=go_live
        )
    except InvalidTransition:
        return None


def scheduled_publish_due(*, now: datetime | None = None) -> list[Revision]:
    """Publish every scheduled revision whose time has come; safe in several processes at once.

    Each revision is claimed by its own transaction (the article lock, then its state is
    checked), so two workers never publish one twice, and one failure never stops the rest.
    """
    now = now or timezone.now()
    due = list(
        Revision.objects.filter(state=S.SCHEDULED, publish_at__lte=now)
        .select_related("scheduled_by")
        .order_by("publish_at", "pk")
    )
    published = []
    for revision in due:
        try:
            done = scheduled_go_live(revision, now=now)
        except Exception:
            logger.exception("Scheduled publication of revision %s failed", revision.pk)
            continue
        if done is not None:
            published.append(done)
    return published


def article_unpublish(*, actor: User, article: Article, reason: str = "") -> Article:
    """Take the article off delivery at once; pending schedules are cancelled too."""

    def take_down(locked: Article) -> None:
        now = timezone.now()
        live = locked.live_revision
        live.state = S.APPROVED
        live.version += 1
        live.save(update_fields=["state", "version", "updated_at"])
        Revision.objects.filter(article=locked, state=S.SCHEDULED).update(
            state=S.APPROVED, publish_at=None, version=F("version") + 1, updated_at=now
        )
        publishing.feed_append(ChangeEvent.Kind.UNPUBLISHED, locked, at=now)
        publishing.document_remove(locked)
        locked.live_revision = None
        publishing.translations_refresh(locked, at=now)

    return _article_transition(
        UNPUBLISH, actor=actor, article=article, comment=reason, effect=take_down
    )


def article_certify_review(*, actor: User, article: Article, comment: str = "") -> Article:
    """A reviewer confirms the live content is still right: last_reviewed_at becomes now."""

    def certify(locked: Article) -> None:
        now = timezone.now()
        Review.objects.create(
            revision=locked.live_revision,
            reviewer=actor,
            decision=ReviewDecision.RECERTIFIED,
            comment=comment,
        )
        locked.last_reviewed_at = now
        locked.last_reviewed_by = actor
        locked.next_review_due = now + timedelta(days=locked.review_interval_days)
        publishing.document_store(locked)
        publishing.feed_append(ChangeEvent.Kind.UPDATED, locked, at=now)

    return _article_transition(
        CERTIFY_REVIEW, actor=actor, article=article, comment=comment, effect=certify
    )
