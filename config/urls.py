"""The URL root: the API, its documentation, and the health probes."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import include, path, register_converter
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from contentapi.audit_api import CheckpointList, PublicKeyList
from contentapi.exception_handler import not_found_response, problem_response
from contentapi.health import healthz, readyz
from contentapi.metrics import metrics_view
from contentapi.middleware import REVIEW_PREFIX
from contentapi.problem_pages import problem_type_detail, problem_type_list
from contentapi.staff_api import StaffDetail, StaffList, StaffMe
from contentapi.status import OperatorStatus
from delivery.pages import LocaleConverter, handout, patient_page

register_converter(LocaleConverter, "locale")


def root(request: HttpRequest) -> HttpResponse:
    """A browser (Accept preferring text/html) goes to the review pages; API clients get the
    problem+json 404 that any unknown path gets."""
    preferred = request.get_preferred_type(["application/json", "text/html"])
    if preferred == "text/html":
        return redirect("review:queue")
    return handler404(request)


urlpatterns = [
    path("api/v1/manage/webhooks/", include("webhooks.urls")),
    path("", root, name="root"),
    path("review/", include("review.urls")),
    path("api/v1/manage/status/", OperatorStatus.as_view(), name="manage-status"),
    path("api/v1/manage/users/", StaffList.as_view(), name="manage-user-list"),
    path("api/v1/manage/users/<str:username>/", StaffDetail.as_view(), name="manage-user-detail"),
    path("api/v1/manage/me/", StaffMe.as_view(), name="manage-me"),
    path("api/v1/manage/", include("articles.api.urls")),
    path("api/v1/audit/checkpoints/", CheckpointList.as_view(), name="audit-checkpoints"),
    path("api/v1/audit/keys/", PublicKeyList.as_view(), name="audit-keys"),
    path("api/v1/", include("delivery.api.urls")),
    path("api/v1/", include("articles.api.portal_urls")),
    path("", include("ehr.urls")),
    path("<locale:locale>/<slug:slug>/", patient_page, name="patient-page"),
    path("<locale:locale>/<slug:slug>.pdf", handout, name="patient-handout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), so the page
    # needs no inline script under the content security policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="contentapi/redoc.html"),
        name="redoc",
    ),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("problems/", problem_type_list, name="problem-type-list"),
    path("problems/<slug:code>", problem_type_detail, name="problem-type"),
]


def handler400(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return problem_response(413, detail=str(exception))
    return problem_response(400, detail="Bad request.")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(REVIEW_PREFIX):
        return render(request, "review/not_found.html", status=404)
    return not_found_response()


def handler500(request: HttpRequest) -> JsonResponse:
    return problem_response(500, detail="The error has been logged.")
