"""Domain errors: what a rule refuses, with the HTTP status and problem code its class carries.

Nothing here knows HTTP beyond the status number: the domain raises these, and
`contentapi.exception_handler` is the one place that turns them into problem+json (titles
from the one table, `contentapi.problems`).
"""

from http import HTTPStatus

from contentapi.problems import NOT_FOUND_DETAIL, title_of

# Seconds a client is asked to wait after a 503 (the database was away).
RETRY_AFTER_SECONDS = 5


class DomainError(Exception):
    """An error the domain raises; its class says the HTTP status and a machine-readable code."""

    status_code: int = HTTPStatus.BAD_REQUEST
    code: str = "bad-request"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, str]] | None = None):
        self.detail = detail or self.title
        self.errors = errors or []
        super().__init__(self.detail)

    @property
    def title(self) -> str:
        return title_of(self.code)


class ValidationFailed(DomainError):
    status_code = HTTPStatus.BAD_REQUEST
    code = "validation-failed"

    @classmethod
    def on(cls, field: str, message: str, code: str = "invalid") -> "ValidationFailed":
        return cls(message, errors=[{"field": field, "message": message, "code": code}])


class NotAllowed(DomainError):
    status_code = HTTPStatus.FORBIDDEN
    code = "not-allowed"


class NotFound(DomainError):
    """What was asked for is gone (or never was): e.g. deleted by a concurrent request."""

    status_code = HTTPStatus.NOT_FOUND
    code = "not-found"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or NOT_FOUND_DETAIL)


class Conflict(DomainError):
    status_code = HTTPStatus.CONFLICT
    code = "conflict"


class PreconditionFailed(DomainError):
    status_code = HTTPStatus.PRECONDITION_FAILED
    code = "precondition-failed"


class PreconditionRequired(DomainError):
    status_code = HTTPStatus.PRECONDITION_REQUIRED
    code = "precondition-required"


class PayloadTooLarge(DomainError):
    status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "payload-too-large"

    def __init__(self, detail: str = "The request body is larger than this service accepts."):
        super().__init__(detail)


class DatabaseUnavailable(DomainError):
    """The database did not answer; nothing changed (a client retries after a while)."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    code = "database-unavailable"

    def __init__(self, detail: str = "The database is not answering; try again shortly."):
        super().__init__(detail)
