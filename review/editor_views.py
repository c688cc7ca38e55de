"""The editors' pages: their start page, writing an article or a revision with a preview
that renders as delivery will, submitting it, and answering notes. Every change goes through
`articles.services` and `articles.workflow`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contentapi.models import Role
from review.access import role_required


@require_GET
@role_required(Role.EDITOR)
def editor(request: HttpRequest) -> HttpResponse:
    return render(request, "review/editor.html", {"nav": "editor"})
