"""The project's URLs plus `/bench/raw/<slug>/`, the plain-Django floor of the benchmark.

That view is the least Django can do for a delivery read: no authentication, no DRF, one
indexed query for one stored row, and its bytes as the response.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import handler404, handler500
from delivery.models import PublishedDocument

__all__ = ["handler404", "handler500", "urlpatterns"]


def raw_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored delivery bytes of the English article `slug`."""
    body = (
        PublishedDocument.objects.filter(slug=slug, locale="en")
        .values_list("body", flat=True)
        .first()
    )
    if body is None:
        raise Http404(slug)
    return HttpResponse(body, content_type="application/json")


urlpatterns = [
    path("bench/raw/<slug:slug>/", raw_document, name="bench-raw-document"),
    path("", include("config.urls")),
]
