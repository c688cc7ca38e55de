"""Why a step cannot be taken now, in words a clinician understands: what happened to the
revision (or article), who did it and when, and what to do next. The workflow refuses with
these words on the API and on the pages alike ("Dr. Okafor approved revision 2 on
3 December 2026 at 14:02 UTC; nothing is left to decide. A publisher can put it live.").

Only read when a step is refused: one query for the audit event that set the state.
"""

from django.utils import timezone

from articles.models import Article, ArticleStatus, AuditAction, AuditEvent, Revision, RevisionState

# The audit action that puts a revision in each state.
_STATE_ACTIONS = {
    RevisionState.IN_REVIEW: [AuditAction.SUBMITTED],
    RevisionState.APPROVED: [AuditAction.APPROVED, AuditAction.SCHEDULE_CANCELLED],
    RevisionState.CHANGES_REQUESTED: [AuditAction.CHANGES_REQUESTED],
    RevisionState.SCHEDULED: [AuditAction.SCHEDULED],
    RevisionState.PUBLISHED: [AuditAction.PUBLISHED],
}

# What each step needs, as a sentence.
NEEDS = {
    "submit": "Only a draft can be sent for review.",
    "approve": "Only a revision waiting in review can be approved.",
    "request-changes": "Only a revision waiting in review can be sent back.",
    "publish": "Only an approved revision can go live.",
    "schedule": "Only an approved revision can be scheduled.",
    "cancel-schedule": "Only a scheduled revision can have its schedule cancelled.",
    "unpublish": "Only a live article can be taken down.",
    "certify-review": "Only a live article can be re-certified.",
}

# What to do next, for the state a revision is in.
NEXT = {
    RevisionState.DRAFT: "Its editor sends it for review when it is ready.",
    RevisionState.IN_REVIEW: "It waits for a clinical reviewer's decision.",
    RevisionState.CHANGES_REQUESTED: "Its editor writes a new revision from it.",
    RevisionState.APPROVED: "Nothing is left to decide; a publisher can put it live.",
    RevisionState.SCHEDULED: "Nothing is left to decide; it goes live on time by itself.",
    RevisionState.PUBLISHED: "Nothing is left to decide: it is what readers see.",
    RevisionState.SUPERSEDED: "Nothing is left to decide: write a new revision to change it.",
}


def when(moment: object) -> str:
    """'3 December 2026 at 14:02 CST', in the hospital's time zone (TIME_ZONE)."""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    return f"{local.day} {local:%B %Y} at {local:%H:%M} {local.tzname()}"


def revision_story(revision: Revision) -> str:
    """What happened to `revision` last, who did it and when: one sentence."""
    number, state = revision.number, revision.state
    if state == RevisionState.DRAFT:
        return f"Revision {number} is a draft that has not been sent for review."
    if state == RevisionState.SUPERSEDED:
        return f"Revision {number} was replaced by a newer revision that went live."
    event = (
        AuditEvent.objects.filter(revision=revision, action__in=_STATE_ACTIONS.get(state, []))
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    if event is None:
        return f"Revision {number} is {revision.get_state_display().lower()}."
    who, at = event.actor.public_name if event.actor else "Someone", when(event.at)
    if state == RevisionState.IN_REVIEW:
        return f"{who} sent revision {number} for review on {at}."
    if state == RevisionState.CHANGES_REQUESTED:
        return f"{who} asked for changes to revision {number} on {at}."
    if state == RevisionState.SCHEDULED and revision.publish_at is not None:
        return (
            f"{who} scheduled revision {number} on {at} to go live on {when(revision.publish_at)}."
        )
    if event.action == AuditAction.SCHEDULE_CANCELLED:
        return f"Revision {number} is approved; its schedule was cancelled on {at}."
    if state == RevisionState.PUBLISHED:
        return f"{who} put revision {number} live on {at}."
    return f"{who} approved revision {number} on {at}."


def revision_refusal(step: str, revision: Revision) -> str:
    """Why `step` cannot be taken on `revision` now, and what to do instead."""
    return " ".join(
        part
        for part in (revision_story(revision), NEXT.get(revision.state, ""), NEEDS.get(step, ""))
        if part
    )


def article_refusal(step: str, article: Article) -> str:
    """Why `step` cannot be taken on `article` now (it is not live), and since when."""
    if article.status == ArticleStatus.UNPUBLISHED:
        event = (
            AuditEvent.objects.filter(article=article, action=AuditAction.UNPUBLISHED)
            .select_related("actor")
            .order_by("-seq")
            .first()
        )
        if event is not None:
            who = event.actor.public_name if event.actor else "Someone"
            story = f"{who} took the article down on {when(event.at)}."
        else:
            story = "The article was taken down."
    else:
        story = "The article has never been live."
    return f"{story} {NEEDS.get(step, '')}".strip()
