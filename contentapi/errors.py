"""Errors as RFC 9457 problem details: the domain error classes and the problem body."""

import logging
from typing import Any

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions, status

logger = logging.getLogger("contentapi.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Every problem `type` this service answers with, and what it means: served as
# {PUBLIC_BASE_URL}/problems/{code}, the URI each problem document's `type` names.
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "validation-failed": (
        "The request has invalid fields",
        "One or more fields of the body or query string are wrong; `errors` lists each "
        "field, a message and a code. Fix them and send the request again.",
    ),
    "bad-request": ("Bad request", "The request could not be read (e.g. malformed JSON)."),
    "parse-error": ("Malformed request body", "The body is not valid JSON."),
    "not-authenticated": (
        "Authentication required",
        "Send `Authorization: Token <token>` (staff) or `Authorization: Api-Key <key>` "
        "(integrators), as the endpoint says.",
    ),
    "authentication-failed": (
        "Invalid credentials",
        "The token or API key is unknown, revoked or expired. Repeated failures from one "
        "address are rate limited.",
    ),
    "permission-denied": (
        "Forbidden",
        "The credentials are valid but lack the role or scope this needs; `detail` says which.",
    ),
    "not-allowed": (
        "You are not allowed to do this",
        "A rule of the workflow refuses this for you: a missing role, or four-eyes (nobody "
        "approves text they wrote). `detail` says which.",
    ),
    "not-found": ("Not found", "No such resource, or it is not live."),
    "method-not-allowed": ("Method not allowed", "This path does not take this HTTP method."),
    "not-acceptable": ("Not acceptable", "The service cannot answer in the media type asked."),
    "unsupported-media-type": (
        "Unsupported media type",
        "Send the body as `application/json`.",
    ),
    "conflict": ("Conflict with the current state", "The resource changed; read it again."),
    "invalid-transition": (
        "The revision's state does not allow this",
        "The workflow step needs another state (e.g. approve needs `in_review`). Nothing "
        "was changed.",
    ),
    "stale-revision": (
        "Your edit is based on an old revision",
        "`base_revision` is not the latest revision: read the latest, reapply your changes "
        "and send them again. Nothing was saved.",
    ),
    "precondition-failed": (
        "The resource has changed since you read it",
        "`If-Match` names an old version: read the resource again (GET gives its ETag) and "
        "reapply your edit.",
    ),
    "precondition-required": (
        "This request must be conditional",
        "Send `If-Match` with the ETag from GET, so that an edit never overwrites another.",
    ),
    "payload-too-large": ("Payload too large", "The body is larger than the service accepts."),
    "rate-limited": (
        "Too many requests",
        "Past the rate limit of this key, user or address; wait `Retry-After` seconds. "
        "`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` say where you stand.",
    ),
    "throttled": ("Too many requests", "Wait `Retry-After` seconds before trying again."),
    "database-unavailable": (
        "Service unavailable",
        "The database is not answering; the request changed nothing. Retry after "
        "`Retry-After` seconds.",
    ),
    "server-error": ("Server error", "Something failed on our side; it has been logged."),
}


def problem_type(code: str) -> str:
    """The URI a problem document's `type` names: this service's page for the code."""
    return f"{settings.PUBLIC_BASE_URL}/problems/{code}"


class DomainError(Exception):
    """An error the domain raises; its class says the HTTP status and a machine-readable code."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "error"
    title: str = "Request could not be completed"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, str]] | None = None):
        self.detail = detail or self.title
        self.errors = errors or []
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "validation-failed"
    title = "The request has invalid fields"

    @classmethod
    def on(cls, field: str, message: str, code: str = "invalid") -> "ValidationFailed":
        return cls(message, errors=[{"field": field, "message": message, "code": code}])


class NotAllowed(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "not-allowed"
    title = "You are not allowed to do this"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    title = "The request conflicts with the current state"


class PreconditionFailed(DomainError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    code = "precondition-failed"
    title = "The resource has changed since you read it"


class PreconditionRequired(DomainError):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    code = "precondition-required"
    title = "This request must be conditional"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this service accepts."
    default_code = "payload-too-large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is not answering; try again shortly."
    default_code = "database-unavailable"


# Every 404 says the same: a client cannot tell (and need not) whether the id was never
# used, the article is not live, or the path does not exist.
NOT_FOUND_DETAIL = "Not found: there is no such resource here, or it is not live."

# Seconds a client is asked to wait after a 503 (the database was away).
RETRY_AFTER_SECONDS = 5

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
    503: "Service unavailable",
}


def problem(
    status_code: int,
    *,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def flatten_validation_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into a flat list of {field, message, code}."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            if isinstance(key, int) or name.isdigit():
                field = f"{prefix}[{name}]"
            else:
                field = f"{prefix}.{name}" if prefix and name else (name or prefix)
            out.extend(flatten_validation_errors(value, field))
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                out.extend(flatten_validation_errors(item, prefix))
        else:
            for index, item in enumerate(detail):
                if item:
                    out.extend(flatten_validation_errors(item, f"{prefix}[{index}]"))
    else:
        code = getattr(detail, "code", "invalid") or "invalid"
        out.append({"field": prefix or "non_field_errors", "message": str(detail), "code": code})
    return out


def problem_response(
    status_code: int,
    *,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A problem+json response for plain Django views (404 and 500 outside DRF)."""
    return JsonResponse(
        problem(status_code, code=code, title=title, detail=detail),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def database_unavailable(request: Any, exc: Exception) -> JsonResponse:
    """503 with Retry-After for a request that failed because the database is away.

    One log line, no traceback: during an outage every request fails the same way, and a
    traceback each would bury the one line that says what happened.
    """
    logger.warning(
        "Database unavailable: %s %s answered 503 (%s)",
        request.method,
        request.path,
        type(exc).__name__,
    )
    response = problem_response(
        503,
        code=ServiceUnavailable.default_code,
        title=TITLES[503],
        detail=str(ServiceUnavailable.default_detail),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
    response._has_been_logged = True  # this line is its log; Django need not add another
    return response
