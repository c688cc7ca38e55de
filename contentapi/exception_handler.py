"""The one place errors become application/problem+json: DRF's exception handler, and the
problem responses of plain Django views (404, 500, the probes, the 503 middleware)."""

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from contentapi.cache import CacheUnavailable
from contentapi.errors import (
    RETRY_AFTER_SECONDS,
    DatabaseUnavailable,
    DomainError,
    PayloadTooLarge,
    ValidationFailed,
)
from contentapi.problems import (
    CODE_FOR_STATUS,
    NOT_FOUND_DETAIL,
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TYPES,
    problem,
)

logger = logging.getLogger("contentapi.errors")


def _code_for(exc: exceptions.APIException) -> str:
    """The problem code of a DRF exception: its own, or else its status's."""
    code = str(exc.default_code).replace("_", "-")
    return code if code in PROBLEM_TYPES else CODE_FOR_STATUS.get(exc.status_code, "bad-request")


# Errors that mean the database cannot be reached (or is too busy to answer), not a bug.
DATABASE_AWAY = (OperationalError, InterfaceError)


def _permission_messages(permission: Any) -> list[str]:
    """The `message` of each permission a view requires, through `|` and `&` compositions."""
    parts = [getattr(permission, name, None) for name in ("op1", "op2")]
    if any(parts):
        return [m for part in parts if part is not None for m in _permission_messages(part)]
    message = getattr(permission, "message", None)
    return [str(message)] if message else []


def _explained(exc: exceptions.APIException, context: dict[str, Any]) -> exceptions.APIException:
    """Say what is missing instead of DRF's generic 401 and 403 wording."""
    view, request = context.get("view"), context.get("request")
    if view is None or request is None:
        return exc
    if isinstance(exc, exceptions.NotAuthenticated):
        accepted = " or ".join(
            f"'Authorization: {a.keyword} <{'key' if a.keyword == 'Api-Key' else 'token'}>'"
            for a in view.get_authenticators()
            if getattr(a, "keyword", None)
        )
        given = request.headers.get("Authorization", "").split(" ", 1)[0]
        keywords = {getattr(a, "keyword", "").lower() for a in view.get_authenticators()}
        if given and given.lower() in keywords:
            return exceptions.NotAuthenticated(
                f"The Authorization header names '{given}' but carries no credential; "
                f"send {accepted}."
            )
        if given:
            return exceptions.NotAuthenticated(
                f"The Authorization scheme '{given}' is not accepted here; send {accepted}."
            )
        return exceptions.NotAuthenticated(f"Send {accepted}.")
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) == str(
        exceptions.PermissionDenied.default_detail
    ):
        messages = [m for p in view.get_permissions() for m in _permission_messages(p)]
        if messages:
            return exceptions.PermissionDenied(" Or: ".join(messages))
    return exc


def problem_exception_handler(
    exc: Exception, context: dict[str, Any]
) -> Response | HttpResponse | None:
    """DRF's exception handler: every error leaves as application/problem+json."""
    if isinstance(exc, DATABASE_AWAY):
        set_rollback()
        # The same finished 503 every other view gets (DRF passes a plain response through).
        return database_unavailable(context["request"], exc)
    if isinstance(exc, CacheUnavailable):
        # Only what truly needs the shared cache raises it (e.g. a JWT's replay check).
        return problem_response(
            503,
            code="cache-unavailable",
            detail="This needs the shared cache (Redis), which does not answer; nothing was "
            "changed. Retry after Retry-After seconds.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    headers: dict[str, str] = {}
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, DomainError):
        body = problem(
            exc.status_code,
            code=exc.code,
            detail=exc.detail,
            errors=exc.errors if exc.errors or isinstance(exc, ValidationFailed) else None,
        )
        status_code = exc.status_code
        if status_code == 503:
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(NOT_FOUND_DETAIL)
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied()
        if not isinstance(exc, exceptions.APIException):
            return None
        if isinstance(exc, exceptions.NotFound):
            exc = exceptions.NotFound(NOT_FOUND_DETAIL)
        explained = _explained(exc, context)
        explained.auth_header = getattr(exc, "auth_header", None)  # DRF sets it on the original
        exc = explained
        status_code = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(math.ceil(exc.wait))  # never shorter than the wait
        if isinstance(exc, exceptions.ValidationError):
            errors = flatten_validation_errors(exc.detail)
            detail = "; ".join(
                f"{e['field']}: {e['message']}"
                if e["field"] != "non_field_errors"
                else e["message"]
                for e in errors[:5]
            )
            body = problem(
                status_code,
                code="validation-failed",
                detail=detail or "Invalid input.",
                errors=errors,
            )
        else:
            code = _code_for(exc)
            # Every 400 carries `errors`, so clients can always read the same shape.
            errors = (
                [{"field": "non_field_errors", "message": str(exc.detail), "code": code}]
                if status_code == 400
                else None
            )
            body = problem(status_code, code=code, detail=str(exc.detail), errors=errors)
    set_rollback()
    response = Response(
        body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )
    return response


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
    code: str | None = None,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A problem+json response for plain Django views; `code` defaults to the status's."""
    return JsonResponse(
        problem(
            status_code, code=code or CODE_FOR_STATUS[status_code], detail=detail, errors=errors
        ),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def not_found_response() -> JsonResponse:
    return problem_response(404, detail=NOT_FOUND_DETAIL)


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
    unavailable = DatabaseUnavailable()
    response = problem_response(
        unavailable.status_code,
        code=unavailable.code,
        detail=unavailable.detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
    response._has_been_logged = True  # this line is its log; Django need not add another
    return response
