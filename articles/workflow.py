"""The review and publication workflow: the transition table and one function per transition.

Every function here follows the same order: check who may act, lock (through the read
side's door when delivery changes: the feed, then the article row), read the state from the
locked row (never from the object the caller holds), check the table, change state, and
write exactly one audit event, all in one transaction. Locking the article serialises every
transition of one article, so of two concurrent requests exactly one wins and the other sees
the new state and gets 409. Transitions that change what readers see also write the delivery
document and one change event in the same transaction, so delivery, feed and write side
never disagree.
"""

import enum
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone

from articles import locking
from articles.authorship import (
    Contributor,
    contribution_of,
    copied_from,
    revision_contributors,
    revisions_phrase,
)
from articles.content import RevisionContent
from articles.errors import InvalidTransition, NotAllowed, ValidationFailed
from articles.explain import article_refusal, revision_refusal
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    Review,
    ReviewDecision,
    Revision,
    RevisionState,
)
from articles.publication import Publication, prepare, publication
from articles.translations import (
    language_label,
    languages_needed,
    outdated,
    source_reference,
)
from contentapi.models import Role, User
from delivery.rendering import iso

logger = logging.getLogger(__name__)


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
    "submit",
    frozenset({RevisionState.DRAFT}),
    RevisionState.IN_REVIEW,
    (Role.EDITOR,),
    AuditAction.SUBMITTED,
)
APPROVE = Transition(
    "approve",
    frozenset({RevisionState.IN_REVIEW}),
    RevisionState.APPROVED,
    (Role.REVIEWER,),
    AuditAction.APPROVED,
    four_eyes=FourEyes.CONTRIBUTORS,
    signs_review=True,
)
REQUEST_CHANGES = Transition(
    "request-changes",
    frozenset({RevisionState.IN_REVIEW}),
    RevisionState.CHANGES_REQUESTED,
    (Role.REVIEWER,),
    AuditAction.CHANGES_REQUESTED,
    four_eyes=FourEyes.AUTHOR,
    comment_required=True,
)
PUBLISH = Transition(
    "publish",
    frozenset({RevisionState.APPROVED, RevisionState.SCHEDULED}),
    RevisionState.PUBLISHED,
    (Role.PUBLISHER,),
    AuditAction.PUBLISHED,
    touches_delivery=True,
)
SCHEDULE = Transition(
    "schedule",
    frozenset({RevisionState.APPROVED, RevisionState.SCHEDULED}),
    RevisionState.SCHEDULED,
    (Role.PUBLISHER,),
    AuditAction.SCHEDULED,
)
GO_LIVE = Transition(
    "go live",
    frozenset({RevisionState.SCHEDULED}),
    RevisionState.PUBLISHED,
    (),
    AuditAction.PUBLISHED,
    touches_delivery=True,
)
UNPUBLISH = Transition(
    "unpublish",
    frozenset({ArticleStatus.PUBLISHED}),
    ArticleStatus.UNPUBLISHED,
    (Role.PUBLISHER,),
    AuditAction.UNPUBLISHED,
    touches_delivery=True,
)
CERTIFY_REVIEW = Transition(
    "certify-review",
    frozenset({ArticleStatus.PUBLISHED}),
    ArticleStatus.PUBLISHED,
    (Role.REVIEWER,),
    AuditAction.REVIEW_CERTIFIED,
    four_eyes=FourEyes.CONTRIBUTORS,
    touches_delivery=True,
    signs_review=True,
)

CANCEL_SCHEDULE = Transition(
    "cancel schedule",
    frozenset({RevisionState.SCHEDULED}),
    RevisionState.APPROVED,
    (),
    AuditAction.SCHEDULE_CANCELLED,
)
# A publisher's change of mind; CANCEL_SCHEDULE is the clock's, for what can never go live.
UNSCHEDULE = Transition(
    "cancel-schedule",
    frozenset({RevisionState.SCHEDULED}),
    RevisionState.APPROVED,
    (Role.PUBLISHER,),
    AuditAction.SCHEDULE_CANCELLED,
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
        CANCEL_SCHEDULE,
        UNSCHEDULE,
        UNPUBLISH,
        CERTIFY_REVIEW,
    )
}


class NeverLive(InvalidTransition):
    """An approved or scheduled revision that can never go live (older than the live one,
    or without an approval by a reviewer who wrote none of it)."""


class ArticleBusy(Exception):
    """Another transaction holds the article's lock (only when asked not to wait)."""


def check_role(actor: User, roles: tuple[Role, ...], doing: str) -> None:
    if roles and not any(actor.has_role(role) for role in roles):
        names = " or ".join(role.value for role in roles)
        raise NotAllowed(f"Only a user with the {names} role may {doing}.")


# Events that vouch for a revision's words: they record the hash of what was approved.
CONTENT_ACTIONS = frozenset(
    {AuditAction.APPROVED, AuditAction.REVIEW_CERTIFIED, AuditAction.PUBLISHED}
)


def attestation(actor: User, action: AuditAction, revision: Revision | None) -> dict[str, Any]:
    """What an audit event proves publicly: who by, with credentials (as they read at that
    moment), which revision, and for approvals, re-certifications and publications the
    hash of the words and the topics as the reviewer saw them."""
    attests: dict[str, Any] = {
        "by": {"name": actor.public_name, "credentials": actor.credentials},
        "revision": revision.number if revision is not None else None,
    }
    if revision is not None and revision.source_revision_id is not None:
        attests["translates"] = source_reference(revision)
        if revision.machine_translated:
            attests["machine_translated"] = True
    if revision is not None and action in CONTENT_ACTIONS:
        prefetch_related_objects([revision], "topics", "codes")
        attests["content_hash"] = RevisionContent.of(revision).content_hash
        attests["topics"] = [{"slug": t.slug, "name": t.name} for t in revision.topics.all()]
    return attests


def audit(
    *,
    article: Article,
    actor: User,
    action: AuditAction,
    revision: Revision | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one signed event to the article's audit chain; the caller holds the lock."""
    return AuditEvent.append(
        chain=f"article:{article.pk}",
        article=article,
        revision=revision,
        actor=actor,
        action=action,
        comment=comment,
        details=details or {},
        attests=attestation(actor, action, revision),
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
        mine = contribution_of(actor.pk, contributors)
        if mine is not None:
            raise NotAllowed(
                f"You wrote part of this text: {revisions_phrase(mine.revisions)}. Another "
                f"reviewer, who wrote none of it, must {transition.name} it."
            )
        # Their words copied into another article or a translation, out of lineage's sight.
        copied = copied_from(actor.pk, revision)
        if copied is not None:
            raise NotAllowed(
                f"{copied.reason} Another reviewer, who wrote none of it, must "
                f"{transition.name} it."
            )
        return contributors
    return None


def check_languages(transition: Transition, actor: User, revision: Revision) -> None:
    """Refuse a sign-off of words in a language `actor` is not qualified to review (their
    `review_languages`), admins included; a machine translation needs its source's too."""
    if not transition.signs_review:
        return
    needed = languages_needed(revision)
    qualified = actor.review_languages
    missing = [code for code in needed if code not in qualified]
    if not missing:
        return
    yours = ", ".join(language_label(code) for code in qualified)
    if len(needed) > 1:
        raise NotAllowed(
            f"Revision {revision.number} was machine translated from "
            f"{language_label(needed[0])}: only a reviewer qualified in both "
            f"{' and '.join(language_label(code) for code in needed)} may "
            f"{transition.name} it. You review {yours}."
        )
    raise NotAllowed(
        f"Revision {revision.number} is in {language_label(missing[0])}, and you review "
        f"{yours}: a reviewer qualified in {language_label(missing[0])} must "
        f"{transition.name} it. An admin can add languages to your profile."
    )


def check_may_act(
    transition: Transition, actor: User, revision: Revision
) -> list[Contributor] | None:
    """Every check of who may take `transition` on `revision` (for article transitions, the
    live one): four eyes, then the reviewer's languages; returns the contributors checked."""
    contributors = check_four_eyes(transition, actor, revision)
    check_languages(transition, actor, revision)
    return contributors


def contributors_record(contributors: list[Contributor]) -> list[dict[str, Any]]:
    """The contributors as an audit event stores them: who, and which revisions."""
    names = dict(
        User.objects.filter(pk__in=[c.user_id for c in contributors]).values_list("pk", "username")
    )
    return [
        {"user": c.user_id, "username": names.get(c.user_id, ""), "revisions": sorted(c.revisions)}
        for c in contributors
    ]


def _check_actor(transition: Transition, actor: User) -> None:
    check_role(actor, transition.roles, f"{transition.name} this")
    if transition.signs_review and not (actor.display_name.strip() and actor.credentials.strip()):
        # Readers are shown who reviewed the content and their credentials.
        raise NotAllowed(
            "Your staff profile needs a display name and credentials before you can sign off "
            "clinical content; ask an admin to add them."
        )


def _start(transition: Transition, actor: User, comment: str) -> None:
    _check_actor(transition, actor)
    if transition.comment_required and not comment.strip():
        raise ValidationFailed.on("comment", "A comment is required.", code="required")


def _via(via: str | None) -> dict[str, Any]:
    """Where a request came from (`web` for the review pages), for the audit event."""
    return {"via": via} if via else {}


def refusal(name: str, *, actor: User, revision: Revision) -> str | None:
    """Why `actor` may not take transition `name` on `revision` now, or None if they may.

    The same checks, in the same order and with the same messages, as the transition itself
    (without its lock: the transition checks again under it). For pages that show what a
    user may do before they try. For article transitions, `revision` is the live one.
    """
    transition = TRANSITIONS[name]
    try:
        _check_actor(transition, actor)
        check_may_act(transition, actor, revision)
    except NotAllowed as refused:
        return refused.detail
    if transition in (UNPUBLISH, CERTIFY_REVIEW):
        return None  # their sources are article statuses, checked by the transition
    return _wrong_state(transition, revision)


def _wrong_state(transition: Transition, revision: Revision) -> str | None:
    """Why `transition` cannot be taken on `revision` in its state: what happened, who did
    it and when, what to do next (`articles.explain`); None if it can."""
    if revision.state in transition.sources:
        return None
    return revision_refusal(transition.name, revision)


@contextmanager
def _locked(
    transition: Transition, article_id: int, *, skip_locked: bool = False
) -> Iterator[tuple[Article, Publication | None]]:
    """One transaction holding the article's lock; through the read side's door (feed lock
    first) when the transition changes what readers see."""
    if transition.touches_delivery:
        with publication() as change:
            article = change.lock(article_id, skip_locked=skip_locked)
            if article is None:
                raise ArticleBusy(article_id)
            yield article, change
        return
    with transaction.atomic(durable=True):
        if skip_locked:
            article = locking.article_lock_or_skip(article_id)
        else:
            article = locking.article_lock(article_id)
        if article is None:
            raise ArticleBusy(article_id)
        yield article, None


def _delivery(change: Publication | None) -> Publication:
    if change is None:
        raise RuntimeError("This transition changes delivery but has no Publication.")
    return change


# What transitions may change on a revision.
REVISION_WORKFLOW_FIELDS = [
    "state", "version", "updated_at", "submitted_at", "approved_by", "approved_at",
    "publish_at", "scheduled_by", "published_at",
]  # fmt: skip

RevisionEffect = Callable[[Article, Revision, Publication | None], str | None]


def _revision_transition(
    transition: Transition,
    *,
    actor: User | None,
    revision: Revision,
    comment: str = "",
    effect: RevisionEffect | None = None,
    skip_locked: bool = False,
    via: str | None = None,
) -> Revision:
    """Run a revision transition; `effect` may return an extra audit comment.

    `actor` None is the clock, acting for whoever scheduled the revision (read from the
    locked row).
    """
    if actor is not None:
        _start(transition, actor, comment)
    elif transition.roles:
        raise NotAllowed(f"Only a person may {transition.name} a revision.")
    with _locked(transition, revision.article_id, skip_locked=skip_locked) as (article, change):
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        locked.article = article
        contributors = check_may_act(transition, actor, locked) if actor else None
        wrong_state = _wrong_state(transition, locked)
        if wrong_state:
            raise InvalidTransition(wrong_state)
        note = effect(article, locked, change) if effect is not None else None
        locked.state = transition.target
        locked.version += 1
        # Never the content columns: a submitted revision's words are frozen (the database
        # refuses any statement that writes them), and rewriting them would cost the time.
        locked.save(update_fields=REVISION_WORKFLOW_FIELDS)
        article.version += 1
        article.save()
        audit(
            article=article,
            actor=actor or locked.scheduled_by,
            action=transition.action,
            revision=locked,
            comment="\n".join(part for part in (comment, note) if part),
            details={
                **({"contributors": contributors_record(contributors)} if contributors else {}),
                **_via(via),
            },
        )
    return locked


# An article transition's effect may return what else its audit event should record.
ArticleEffect = Callable[[Article, Publication | None], dict[str, Any] | None]


def _article_transition(
    transition: Transition,
    *,
    actor: User,
    article: Article,
    comment: str = "",
    effect: ArticleEffect,
    via: str | None = None,
) -> Article:
    _start(transition, actor, comment)
    with _locked(transition, article.pk) as (locked, change):
        if locked.status not in transition.sources:
            raise InvalidTransition(article_refusal(transition.name, locked))
        live = locked.live_revision
        if live is not None:
            live.article = locked
        contributors = check_may_act(transition, actor, live) if live is not None else None
        recorded = effect(locked, change) or {}
        locked.status = transition.target
        locked.version += 1
        locked.save()
        audit(
            article=locked,
            actor=actor,
            action=transition.action,
            revision=live,
            comment=comment,
            details={
                **({"contributors": contributors_record(contributors)} if contributors else {}),
                **recorded,
                **_via(via),
            },
        )
    return locked


# ------------------------------------------------------------------------------
# Review
# ------------------------------------------------------------------------------
def revision_submit(
    *, actor: User, revision: Revision, comment: str = "", via: str | None = None
) -> Revision:
    """Send a draft to clinical review; from now on its content is frozen."""

    def stamp(article: Article, locked: Revision, change: Publication | None) -> None:
        locked.submitted_at = timezone.now()

    return _revision_transition(
        SUBMIT, actor=actor, revision=revision, comment=comment, effect=stamp, via=via
    )


def revision_approve(
    *, actor: User, revision: Revision, comment: str = "", via: str | None = None
) -> Revision:
    """A clinical reviewer who wrote none of the revision's text approves it.

    `via` names where the request came from (`web`: the review pages), for the audit event.
    """

    def record(article: Article, locked: Revision, change: Publication | None) -> None:
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        Review.objects.create(
            revision=locked, reviewer=actor, decision=ReviewDecision.APPROVED, comment=comment
        )

    return _revision_transition(
        APPROVE, actor=actor, revision=revision, comment=comment, effect=record, via=via
    )


def revision_request_changes(
    *, actor: User, revision: Revision, comment: str, via: str | None = None
) -> Revision:
    """A clinical reviewer sends the revision back to its editor with a comment."""

    def record(article: Article, locked: Revision, change: Publication | None) -> None:
        Review.objects.create(
            revision=locked,
            reviewer=actor,
            decision=ReviewDecision.CHANGES_REQUESTED,
            comment=comment,
        )

    return _revision_transition(
        REQUEST_CHANGES, actor=actor, revision=revision, comment=comment, effect=record, via=via
    )


# ------------------------------------------------------------------------------
# Going live and coming down
# ------------------------------------------------------------------------------
def _check_can_go_live(article: Article, revision: Revision) -> None:
    """Raise NeverLive unless `revision` could replace what readers see now."""
    # Invariant 3, checked again here because it is the rule that protects readers.
    approver = revision.approved_by_id
    if approver is None or contribution_of(approver, revision_contributors(revision)):
        raise NeverLive(
            f"Revision {revision.number} has no approval by a reviewer who wrote none of it."
        )
    live = article.live_revision
    if live is not None and live.number > revision.number:
        raise NeverLive(
            f"Revision {revision.number} is older than the live revision {live.number}."
        )


def _go_live(
    article: Article,
    revision: Revision,
    change: Publication,
    *,
    actor: User,
    now: datetime,
    vectors: tuple[str, str] | None = None,
) -> None:
    """Make `revision` the live revision of `article`: dates, document, feed, translations.

    A translation is current, or outdated, by the revision it translates; a revision that
    changes meaning makes the live translations of older revisions of it outdated.
    """
    _check_can_go_live(article, revision)
    # The old live revision, and any approved or scheduled one older than this, can never
    # go live now: they are superseded (a pending schedule must not linger, due forever).
    Revision.objects.filter(
        article=article,
        number__lt=revision.number,
        state__in=[RevisionState.PUBLISHED, RevisionState.APPROVED, RevisionState.SCHEDULED],
    ).update(
        state=RevisionState.SUPERSEDED,
        publish_at=None,
        version=F("version") + 1,
        updated_at=now,
    )
    review = (
        Review.objects.filter(
            revision=revision,
            decision__in=[ReviewDecision.APPROVED, ReviewDecision.RECERTIFIED],
        )
        .select_related("reviewer")
        .latest("created_at", "id")
    )
    was_live = article.status == ArticleStatus.PUBLISHED
    article.status = ArticleStatus.PUBLISHED
    article.live_revision = revision
    article.first_published_at = article.first_published_at or now
    article.last_updated_at = now
    article.last_reviewed_at = review.created_at
    article.last_reviewed_by = review.reviewer
    article.next_review_due = review.created_at + timedelta(days=article.review_interval_days)
    revision.published_at = now
    revision.publish_at = None
    if outdated(revision):
        article.outdated_since = article.outdated_since or now
    else:
        article.outdated_since = None
    change.go_live(article, was_live=was_live, at=now, vectors=vectors)
    if revision.meaning_changed:
        _translations_outdate(article, revision, change, actor=actor, now=now)


def _translations_outdate(
    source: Article, revision: Revision, change: Publication, *, actor: User, now: datetime
) -> None:
    """Mark outdated, in this transaction, each live translation of an older revision of
    `source`: its document says so, the feed and webhooks announce it, its trail records it."""
    stale = Article.objects.filter(
        translation_group=source.translation_group,
        status=ArticleStatus.PUBLISHED,
        outdated_since__isnull=True,
        live_revision__source_revision__article=source,
        live_revision__source_revision__number__lt=revision.number,
    )
    for translation in change.lock_many(stale):
        translation.outdated_since = now
        translation.version += 1
        translation.save(update_fields=["outdated_since", "version", "updated_at"])
        audit(
            article=translation,
            actor=actor,
            action=AuditAction.TRANSLATION_OUTDATED,
            revision=translation.live_revision,
            details={"source": {"slug": source.slug, "locale": source.locale}},
            comment=f"{source.slug} ({source.locale}) revision {revision.number} went live "
            "and changes meaning.",
        )
        change.outdated(translation)


def revision_publish(
    *,
    actor: User,
    revision: Revision,
    comment: str = "",
    publish_at: datetime | None = None,
    via: str | None = None,
) -> Revision:
    """Put an approved (or scheduled) revision live now, or schedule it for `publish_at`."""
    if publish_at is not None:
        return revision_schedule(
            actor=actor, revision=revision, publish_at=publish_at, comment=comment, via=via
        )

    # The slow part (rendering, search vectors) happens here, before the feed lock that
    # every other change to delivery waits for.
    vectors = prepare(revision, revision.article.locale)

    def go_live(article: Article, locked: Revision, change: Publication | None) -> None:
        _go_live(
            article, locked, _delivery(change), actor=actor, now=timezone.now(), vectors=vectors
        )

    return _revision_transition(
        PUBLISH, actor=actor, revision=revision, comment=comment, effect=go_live, via=via
    )


def revision_schedule(
    *,
    actor: User,
    revision: Revision,
    publish_at: datetime,
    comment: str = "",
    via: str | None = None,
) -> Revision:
    """Schedule an approved revision to go live at `publish_at`, with nobody acting then."""
    if publish_at <= timezone.now():
        raise ValidationFailed.on(
            "publish_at", "Must be in the future; leave it out to publish now.", "past"
        )

    def schedule(article: Article, locked: Revision, change: Publication | None) -> str:
        _check_can_go_live(article, locked)
        locked.publish_at = publish_at
        locked.scheduled_by = actor
        return f"Scheduled to go live at {iso(publish_at)}."

    return _revision_transition(
        SCHEDULE, actor=actor, revision=revision, comment=comment, effect=schedule, via=via
    )


def revision_unschedule(
    *, actor: User, revision: Revision, comment: str = "", via: str | None = None
) -> Revision:
    """A publisher cancels a revision's schedule: it is approved again, and goes live only
    when someone publishes or schedules it anew."""

    def unschedule(article: Article, locked: Revision, change: Publication | None) -> str:
        was = locked.publish_at
        locked.publish_at = None
        return f"Was scheduled to go live at {iso(was)}." if was else ""

    return _revision_transition(
        UNSCHEDULE, actor=actor, revision=revision, comment=comment, effect=unschedule, via=via
    )


class GoLive(enum.Enum):
    """What became of one due scheduled revision."""

    PUBLISHED = "published"
    # Another process published, rescheduled or took it down first, or holds the article now.
    TAKEN = "taken"
    # It can never go live: back to approved, with an audit event and a log line.
    CANCELLED = "cancelled"


def scheduled_go_live(revision: Revision, *, now: datetime) -> GoLive:
    """Publish one due scheduled revision, or say why not."""
    vectors = prepare(revision, revision.article.locale)

    def go_live(article: Article, locked: Revision, change: Publication | None) -> str:
        if locked.publish_at is None or locked.publish_at > now:
            raise InvalidTransition("Rescheduled meanwhile.")
        _go_live(
            article, locked, _delivery(change), actor=locked.scheduled_by, now=now, vectors=vectors
        )
        return "Scheduled publication went live."

    try:
        _revision_transition(
            GO_LIVE,
            actor=None,
            revision=revision,
            effect=go_live,
            skip_locked=True,
        )
    except NeverLive as never:
        return _cancel_schedule(revision, reason=str(never))
    except (InvalidTransition, ArticleBusy):
        return GoLive.TAKEN
    return GoLive.PUBLISHED


def _cancel_schedule(revision: Revision, *, reason: str) -> GoLive:
    def unschedule(article: Article, locked: Revision, change: Publication | None) -> None:
        locked.publish_at = None

    try:
        _revision_transition(
            CANCEL_SCHEDULE,
            actor=None,
            revision=revision,
            comment=f"Scheduled publication cancelled: {reason}",
            effect=unschedule,
        )
    except InvalidTransition:
        return GoLive.TAKEN  # someone acted on it meanwhile
    logger.warning(
        "Scheduled revision %s of article %s can never go live and is approved again: %s",
        revision.number,
        revision.article_id,
        reason,
    )
    return GoLive.CANCELLED


def scheduled_publish_due(*, now: datetime | None = None) -> list[Revision]:
    """Publish every scheduled revision whose time has come; returns those published."""
    return scheduled_run(now=now)[GoLive.PUBLISHED]


def scheduled_run(*, now: datetime | None = None) -> dict[GoLive, list[Revision]]:
    """Publish every scheduled revision whose time has come; safe in several processes at once.

    Each revision is claimed by its own transaction (its article's lock, skipped if another
    process holds it; then its state is checked), so two workers never publish one twice,
    and one failure never stops the rest. Returns the due revisions by outcome.
    """
    now = now or timezone.now()
    due = list(
        Revision.objects.filter(state=RevisionState.SCHEDULED, publish_at__lte=now).order_by(
            "publish_at", "pk"
        )
    )
    outcomes: dict[GoLive, list[Revision]] = {outcome: [] for outcome in GoLive}
    for revision in due:
        try:
            outcome = scheduled_go_live(revision, now=now)
        except Exception:
            logger.exception("Scheduled publication of revision %s failed", revision.pk)
            continue
        outcomes[outcome].append(revision)
    return outcomes


def article_unpublish(
    *, actor: User, article: Article, reason: str = "", via: str | None = None
) -> Article:
    """Take the article off delivery at once; pending schedules are cancelled too."""

    def take_down(locked: Article, change: Publication | None) -> dict[str, Any] | None:
        now = timezone.now()
        live = locked.live_revision
        live.state = RevisionState.APPROVED
        live.version += 1
        live.save(update_fields=["state", "version", "updated_at"])
        scheduled = Revision.objects.filter(article=locked, state=RevisionState.SCHEDULED)
        cancelled = sorted(scheduled.values_list("number", flat=True))
        scheduled.update(
            state=RevisionState.APPROVED, publish_at=None, version=F("version") + 1, updated_at=now
        )
        _delivery(change).take_down(locked)
        locked.live_revision = None
        # The unpublished event says which schedules it cancelled, so the trail shows why
        # a scheduled revision never went live.
        return {"cancelled_schedules": cancelled} if cancelled else None

    return _article_transition(
        UNPUBLISH, actor=actor, article=article, comment=reason, effect=take_down, via=via
    )


def article_certify_review(
    *, actor: User, article: Article, comment: str = "", via: str | None = None
) -> Article:
    """A reviewer confirms the live content is still right: last_reviewed_at becomes now."""

    def certify(locked: Article, change: Publication | None) -> None:
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
        _delivery(change).certified(locked)

    return _article_transition(
        CERTIFY_REVIEW, actor=actor, article=article, comment=comment, effect=certify, via=via
    )
