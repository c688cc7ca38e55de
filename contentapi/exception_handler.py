"""The one exception handler: every error leaves the API as application/problem+json."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from contentapi.errors import (
    NOT_FOUND_DETAIL,
    PROBLEM_CONTENT_TYPE,
    TITLES,
    DomainError,
    PayloadTooLarge,
    ValidationFailed,
    database_unavailable,
    flatten_validation_errors,
    problem,
)


def _code_for(exc: exceptions.APIException) -> str:
    return str(exc.default_code).replace("_", "-")


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
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        body = problem(
            exc.status_code,
            code=exc.code,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors if exc.errors or isinstance(exc, ValidationFailed) else None,
        )
        status_code = exc.status_code
    else:
        if isinstance(exc, RequestDataTooBig):
            exc = PayloadTooLarge()
        elif isinstance(exc, Http404):
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
            headers["Retry-After"] = str(int(exc.wait))
        title = TITLES.get(status_code, "Error")
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
                title="The request has invalid fields",
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
            body = problem(
                status_code, code=code, title=title, detail=str(exc.detail), errors=errors
            )
    set_rollback()
    response = Response(
        body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )
    return response
