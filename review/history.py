"""An article's audit events as sentences a reviewer reads: who did what, when, and how."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from articles.authorship import revisions_phrase
from articles.models import AuditAction, AuditEvent

# What each action says after the actor's name; {revision} is "revision N".
ACTION_PHRASES = {
    AuditAction.ARTICLE_CREATED: "created the article with {revision}",
    AuditAction.REVISION_CREATED: "wrote {revision}",
    AuditAction.REVISION_EDITED: "edited the draft {revision}",
    AuditAction.SUBMITTED: "submitted {revision} for clinical review",
    AuditAction.APPROVED: "approved {revision}",
    AuditAction.CHANGES_REQUESTED: "requested changes to {revision}",
    AuditAction.PUBLISHED: "put {revision} live",
    AuditAction.SCHEDULED: "scheduled {revision}",
    AuditAction.UNPUBLISHED: "took the article off delivery",
    AuditAction.REVIEW_CERTIFIED: "re-certified the live {revision} as still right",
    AuditAction.SCHEDULE_CANCELLED: "cancelled the schedule of {revision}",
    AuditAction.TOPIC_RENAMED: "renamed a topic",
}


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    sentence: str
    revision: int | None
    comment: str
    facts: list[str]
    hash: str


def _facts(details: dict[str, Any]) -> list[str]:
    """The event's details as short sentences: where it came from, whom four-eyes excluded."""
    facts = []
    if details.get("via") == "web":
        facts.append("Done on the review pages.")
    elif details.get("via"):
        facts.append(f"Done through {details['via']}.")
    for contributor in details.get("contributors", []):
        facts.append(
            f"{contributor.get('username', '?')} wrote "
            f"{revisions_phrase(tuple(contributor.get('revisions', [])) or (0,))} "
            "and so could not approve it."
        )
    if details.get("cancelled_schedules"):
        facts.append(
            f"Cancelled the schedule of {revisions_phrase(tuple(details['cancelled_schedules']))}."
        )
    if "old_name" in details:
        facts.append(f"“{details['old_name']}” became “{details.get('new_name', '')}”.")
    return facts


def timeline(events: Any) -> list[TimelineEntry]:
    """Audit events (actor and revision selected), oldest first, as timeline entries."""
    entries = []
    for event in events:
        event: AuditEvent
        number = event.revision.number if event.revision_id else None
        phrase = ACTION_PHRASES.get(event.action, event.action.replace("_", " "))
        entries.append(
            TimelineEntry(
                seq=event.seq,
                at=event.at,
                actor=event.actor.public_name,
                action=event.action,
                sentence=phrase.format(revision=f"revision {number}" if number else "it"),
                revision=number,
                comment=event.comment,
                facts=_facts(event.details or {}),
                hash=event.hash,
            )
        )
    return entries
