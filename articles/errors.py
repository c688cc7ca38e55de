"""Errors the article domain raises; each carries its HTTP status and a machine-readable code."""

from contentapi.errors import Conflict, NotAllowed, PreconditionFailed, ValidationFailed

__all__ = [
    "InvalidTransition",
    "NotAllowed",
    "RevisionChanged",
    "StaleRevision",
    "ValidationFailed",
]


class InvalidTransition(Conflict):
    code = "invalid-transition"


class StaleRevision(Conflict):
    code = "stale-revision"


class RevisionChanged(PreconditionFailed):
    """The revision moved on since the version the edit was made to."""
