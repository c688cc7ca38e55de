"""The URL root: the API, its documentation, and the health probes."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from contentapi.errors import problem_response
from contentapi.health import healthz, readyz

urlpatterns = [
    path("api/v1/manage/", include("articles.api.urls")),
    path("api/v1/", include("articles.api.delivery_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]


def handler404(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(404, code="not-found", title="Not found", detail="No such resource.")


def handler500(request: HttpRequest) -> JsonResponse:
    return problem_response(
        500, code="server-error", title="Server error", detail="The error has been logged."
    )
