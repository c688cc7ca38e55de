"""Ids and numbers a column cannot hold are 404 (paths) or 400 (inputs) on every backend."""

import pytest

from tests.problems import assert_problem

HUGE_ID = 2**63  # one past the largest BigAutoField id
HUGE_NUMBER = 2**31  # one past the largest revision number


def _article_paths(article: int) -> list[str]:
    return [
        f"/api/v1/manage/articles/{article}/{action}"
        for action in ("", "history/", "revisions/", "unpublish/", "certify-review/")
    ]


def _revision_paths(article: int, number: int) -> list[str]:
    revision = f"/api/v1/manage/articles/{article}/revisions/{number}/"
    return [
        revision,
        *(revision + action + "/" for action in ("submit", "approve", "request-changes")),
        *(revision + action + "/" for action in ("publish", "notes", "diff")),
        f"/api/v1/preview/articles/{article}/revisions/{number}/",
    ]


@pytest.mark.parametrize(
    "path",
    [
        *_article_paths(HUGE_ID),
        *_article_paths(10**30),
        *_revision_paths(HUGE_ID, 1),
        *_revision_paths(1, HUGE_NUMBER),
        *_revision_paths(10**30, 10**30),
    ],
)
def test_a_path_id_out_of_range_is_not_found(api, admin, path):
    client = api(admin)

    for response in (client.get(path), client.post(path, {})):
        assert_problem(response, 404)


@pytest.mark.parametrize("value", [HUGE_ID, 10**30])
def test_a_changes_cursor_out_of_range_is_a_400(api, delivery_headers, value):
    cursor = f"c1.{value}"

    response = api().get("/api/v1/changes/", {"since": cursor}, **delivery_headers)

    assert_problem(response, 400)


@pytest.mark.parametrize(
    ("field", "value"),
    [("base_revision", HUGE_NUMBER), ("translation_of", HUGE_ID)],
)
def test_an_id_out_of_range_in_a_body_is_a_400(api, editor, article, field, value):
    url = (
        f"/api/v1/manage/articles/{article.pk}/revisions/"
        if field == "base_revision"
        else "/api/v1/manage/articles/"
    )
    body = {
        "slug": "x",
        "locale": "es",
        "title": "T",
        "summary": "S",
        "body": "B",
        "topics": [],
        field: value,
    }
    if field == "base_revision":
        body = {"base_revision": value}

    problem = assert_problem(api(editor).post(url, body), 400)

    assert field in {error["field"] for error in problem["errors"]}


def test_a_note_reply_to_out_of_range_is_a_400(api, editor, article):
    url = f"/api/v1/manage/articles/{article.pk}/revisions/1/notes/"

    problem = assert_problem(api(editor).post(url, {"body": "Hi", "reply_to": HUGE_ID}), 400)

    assert problem["errors"][0]["field"] == "reply_to"


def test_a_diff_against_out_of_range_is_a_400(api, editor, article):
    url = f"/api/v1/manage/articles/{article.pk}/revisions/1/diff/"

    assert_problem(api(editor).get(url, {"against": HUGE_NUMBER}), 400)
