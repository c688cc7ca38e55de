"""The pages that problem `type` URIs point at: what each error means and what to do."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from contentapi.exception_handler import not_found_response
from contentapi.problems import PROBLEM_TYPES, problem_type


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def problem_type_list(request: HttpRequest) -> HttpResponse:
    types = [(code, t.title, t.description) for code, t in sorted(PROBLEM_TYPES.items())]
    if _wants_json(request):
        return JsonResponse(
            {
                "results": [
                    {"type": problem_type(code), "code": code, "title": title, "description": t}
                    for code, title, t in types
                ]
            }
        )
    return render(request, "contentapi/problems.html", {"types": types})


def problem_type_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code not in PROBLEM_TYPES:
        return not_found_response()
    title, description = PROBLEM_TYPES[code].title, PROBLEM_TYPES[code].description
    if _wants_json(request):
        return JsonResponse(
            {"type": problem_type(code), "code": code, "title": title, "description": description}
        )
    context = {"code": code, "title": title, "description": description, "index": "./"}
    return render(request, "contentapi/problem.html", context)
