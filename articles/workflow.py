"""The review workflow: the transition table and one function per transition.

Every function here follows the same order: check who may act, lock the article row, read the
revision's state from the locked row (never from the object the caller holds), check the
table, change state, and write exactly one audit event, all in one transaction. Locking the
article serialises every transition of one article, so of two concurrent requests exactly one
wins and the other sees the new state and gets 409.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles.errors import InvalidTransition, NotAllowed, ValidationFailed
from articles.models import (
    Article,
    AuditAction,
    AuditEvent,
    Review,
    ReviewDecision,
    Revision,
    RevisionState,
)
from contentapi.models import Role, User

S = RevisionState


@dataclass(frozen=True)
class Transition:
    """A row of the workflow table: from which states, to which, who, and what is audited."""

    name: str
    sources: frozenset[RevisionState]
    target: RevisionState
    roles: tuple[Role, ...]
    action: AuditAction
    # Nobody may take this step on a revision they wrote, admins included.
    four_eyes: bool = False
    comment_required: bool = False


SUBMIT = Transition(
    name="submit",
    sources=frozenset({S.DRAFT}),
    target=S.IN_REVIEW,
    roles=(Role.EDITOR,),
    action=AuditAction.SUBMITTED,
)
APPROVE = Transition(
    name="approve",
    sources=frozenset({S.IN_REVIEW}),
    target=S.APPROVED,
    roles=(Role.REVIEWER,),
    action=AuditAction.APPROVED,
    four_eyes=True,
)
REQUEST_CHANGES = Transition(
    name="request-changes",
    sources=frozenset({S.IN_REVIEW}),
    target=S.CHANGES_REQUESTED,
    roles=(Role.REVIEWER,),
    action=AuditAction.CHANGES_REQUESTED,
    four_eyes=True,
    comment_required=True,
)

TRANSITIONS: dict[str, Transition] = {t.name: t for t in (SUBMIT, APPROVE, REQUEST_CHANGES)}


def check_role(actor: User, roles: tuple[Role, ...], doing: str) -> None:
    if not any(actor.has_role(role) for role in roles):
        names = " or ".join(role.value for role in roles)
        raise NotAllowed(f"Only a user with the {names} role may {doing}.")


def lock_article(article_id: int) -> Article:
    """The article row, locked until the transaction ends."""
    return Article.objects.select_for_update().get(pk=article_id)


def audit(
    *,
    article: Article,
    actor: User,
    action: AuditAction,
    revision: Revision | None = None,
    comment: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        article=article, revision=revision, actor=actor, action=action, comment=comment
    )


Effect = Callable[[Article, Revision], None]


def _transition(
    transition: Transition,
    *,
    actor: User,
    revision: Revision,
    comment: str = "",
    effect: Effect | None = None,
) -> Revision:
    check_role(actor, transition.roles, f"{transition.name} a revision")
    if transition.comment_required and not comment.strip():
        raise ValidationFailed.on("comment", "A comment is required.", code="required")
    with transaction.atomic(durable=True):
        article = lock_article(revision.article_id)
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        if transition.four_eyes and locked.author_id == actor.pk:
            raise NotAllowed(
                f"You wrote revision {locked.number}: another reviewer must {transition.name} it."
            )
        if locked.state not in transition.sources:
            allowed = ", ".join(sorted(transition.sources))
            raise InvalidTransition(
                f"Revision {locked.number} is {locked.state}; "
                f"{transition.name} needs it to be {allowed}."
            )
        if effect is not None:
            effect(article, locked)
        locked.state = transition.target
        locked.version += 1
        locked.save()
        article.version += 1
        article.save(update_fields=["version", "updated_at"])
        audit(
            article=article,
            actor=actor,
            action=transition.action,
            revision=locked,
            comment=comment,
        )
    return locked


def revision_submit(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """Send a draft to clinical review; from now on its content is frozen."""

    def stamp(article: Article, locked: Revision) -> None:
        locked.submitted_at = timezone.now()

    return _transition(SUBMIT, actor=actor, revision=revision, comment=comment, effect=stamp)


def revision_approve(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """A clinical reviewer other than the author approves the revision."""

    def record(article: Article, locked: Revision) -> None:
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        Review.objects.create(
            revision=locked, reviewer=actor, decision=ReviewDecision.APPROVED, comment=comment
        )

    return _transition(APPROVE, actor=actor, revision=revision, comment=comment, effect=record)


def revision_request_changes(*, actor: User, revision: Revision, comment: str) -> Revision:
    """A clinical reviewer sends the revision back to its editor with a comment."""

    def record(article: Article, locked: Revision) -> None:
        Review.objects.create(
            revision=locked,
            reviewer=actor,
            decision=ReviewDecision.CHANGES_REQUESTED,
            comment=comment,
        )

    return _transition(
        REQUEST_CHANGES, actor=actor, revision=revision, comment=comment, effect=record
    )
