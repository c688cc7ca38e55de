"""Middleware that keeps every answer a problem document, whatever fails underneath."""

import re
from collections.abc import Callable

from corsheaders import middleware as cors
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import is_valid_path

from contentapi.exception_handler import DATABASE_AWAY, database_unavailable


class DatabaseUnavailableMiddleware:
    """503 problem+json with Retry-After, never a 500, when a view finds the database away.

    DRF views answer so through the exception handler; this covers every other view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_AWAY):
            return database_unavailable(request, exception)
        return None


class RateLimitHeadersMiddleware:
    """`RateLimit-Limit`, `-Remaining` and `-Reset` on every response a limit counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        decision = getattr(request, "rate_limit", None)
        if decision is not None:
            for name, value in decision.headers().items():
                response[name] = value
        return response


# Scripts only from this service (Swagger UI's start-up script is a file of its own, so no
# inline script is needed); inline styles are allowed because Swagger UI and ReDoc set
# them at run time; ReDoc parses the schema in a worker it starts from a blob.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The review pages (review/) are this service's own templates: stylesheets and scripts from
# this service only, no inline script or style at all, no images from elsewhere, and forms
# that post back here only.
REVIEW_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
REVIEW_PREFIX = "/review/"


class ContentSecurityPolicyMiddleware:
    """A content security policy on every HTML page (the API documentation, the review
    pages); the review pages get the stricter one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            review = request.path.startswith(REVIEW_PREFIX)
            policy = REVIEW_CONTENT_SECURITY_POLICY if review else CONTENT_SECURITY_POLICY
            response.setdefault("Content-Security-Policy", policy)
        return response


class SlashlessWriteMiddleware:
    """A POST, PUT, PATCH or DELETE to a path without its trailing slash is served as if the
    slash were there. (Django's APPEND_SLASH would redirect, and the body would be lost.)"""

    WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method in self.WRITES and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)


class CorsMiddleware(cors.CorsMiddleware):
    """django-cors-headers, whose preflight answers also allow POST on the paths
    CORS_POST_URLS_REGEX names (services that read a body and change nothing): every other
    path keeps CORS_ALLOW_METHODS."""

    def add_response_headers(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().add_response_headers(request, response)
        allowed = response.get(cors.ACCESS_CONTROL_ALLOW_METHODS)
        if allowed and re.match(settings.CORS_POST_URLS_REGEX, request.path_info):
            response[cors.ACCESS_CONTROL_ALLOW_METHODS] = f"{allowed}, POST"
        return response
