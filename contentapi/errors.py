"""Errors as RFC 9457 problem details: the domain error classes and the problem body."""

import logging
from typing import Any

from django.http import JsonResponse
from rest_framework import exceptions, status

logger = logging.getLogger("contentapi.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://docs.patient-education.example/problems/"


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
        "type": PROBLEM_TYPE_BASE + code,
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
