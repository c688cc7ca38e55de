"""Liveness and readiness probes for load balancers and orchestrators."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse

from contentapi.cache import cache_state
from contentapi.exception_handler import problem_response


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the process runs."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not. The cache is reported,
    not required: while Redis is away the service answers, degraded (`status: degraded`,
    rate limits not enforced)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return problem_response(
            503,
            code="database-unavailable",
            detail=f"The database does not answer ({type(exc).__name__}).",
        )
    cache = cache_state()
    status = "degraded" if cache == "unavailable" else "ok"
    return JsonResponse({"status": status, "database": "ok", "cache": cache})
