"""Problem `type` URIs resolve: this service describes each error at /problems/{code}."""

import pytest
from django.test import Client
from django.utils.html import escape
from rest_framework import exceptions

from articles import errors as article_errors  # noqa: F401  (loads the domain's error classes)
from contentapi.errors import DomainError
from contentapi.problems import PROBLEM_TYPES
from contentapi.throttling import RateLimited


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def test_every_problem_code_the_service_can_answer_with_is_described():
    codes = {cls.code for cls in _subclasses(DomainError)}
    codes |= {
        str(cls.default_code).replace("_", "-")
        for cls in (
            exceptions.NotAuthenticated,
            exceptions.AuthenticationFailed,
            exceptions.PermissionDenied,
            exceptions.NotFound,
            exceptions.MethodNotAllowed,
            exceptions.NotAcceptable,
            exceptions.UnsupportedMediaType,
            exceptions.ParseError,
            exceptions.Throttled,
            RateLimited,
        )
    }

    assert codes - set(PROBLEM_TYPES) == set()


@pytest.mark.parametrize("code", sorted(PROBLEM_TYPES))
def test_each_problem_type_has_a_page(code):
    page = Client().get(f"/problems/{code}")
    described = Client().get(f"/problems/{code}", HTTP_ACCEPT="application/json")

    assert page.status_code == 200
    assert escape(PROBLEM_TYPES[code].title) in page.content.decode()
    assert described.json()["code"] == code


def test_an_error_names_a_type_under_the_public_base_url_that_resolves(api, editor, settings):
    response = api(editor).post("/api/v1/manage/articles/", {"slug": "Not A Slug"})

    problem_type = response.json()["type"]
    assert problem_type == f"{settings.PUBLIC_BASE_URL}/problems/validation-failed"
    path = problem_type.removeprefix(settings.PUBLIC_BASE_URL)
    assert Client().get(path).status_code == 200


def test_the_list_of_problem_types_links_every_one(db):
    html = Client().get("/problems/").content.decode()

    for code in PROBLEM_TYPES:
        assert f'href="{code}"' in html


def test_an_unknown_problem_type_is_a_404_problem(db):
    response = Client().get("/problems/no-such-problem")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_problem_is_titled_from_the_one_table_of_problem_types(api, editor, article):
    refusals = [
        api(editor).post(f"/api/v1/manage/articles/{article.pk}/revisions/1/approve/", {}),
        api().get("/api/v1/manage/articles/", HTTP_AUTHORIZATION="Token not-a-token"),
        api(editor).get("/api/v1/manage/articles/999999/"),
    ]

    for response in refusals:
        body = response.json()
        assert body["title"] == PROBLEM_TYPES[body["code"]].title
    assert [r.json()["code"] for r in refusals] == [
        "not-allowed",
        "authentication-failed",
        "not-found",
    ]
