"""The publishers' page: approved revisions waiting to go live, what is scheduled and when,
and taking a live article down. Every change goes through `articles.workflow`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contentapi.models import Role
from review.access import role_required


@require_GET
@role_required(Role.PUBLISHER)
def publisher(request: HttpRequest) -> HttpResponse:
    return render(request, "review/publisher.html", {"nav": "publisher"})
