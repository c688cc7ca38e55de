"""No surprises for a client author: unknown fields are refused, a missing slash loses no body."""

import pytest

from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import api_key, key_header

ARTICLES = "/api/v1/manage/articles/"


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"colour": "blue"}, "colour"),
        ({"stauts": "published"}, "stauts"),
        ({"codes": [{"system": "icd10cm", "code": "R92.8", "colour": "x"}]}, "codes[0].colour"),
    ],
)
def test_an_unknown_field_in_a_write_body_is_a_400_naming_it(
    api, editor, new_article_payload, extra, named
):
    response = api(editor).post(ARTICLES, {**new_article_payload, **extra})

    errors = field_errors(assert_problem(response, 400))
    assert errors[named]["code"] == "unknown_field"


def test_fields_the_server_sets_may_be_sent_back_and_change_nothing(
    api, editor, new_article_payload
):
    payload = {**new_article_payload, "status": "published", "author": "someone"}

    response = api(editor).post(ARTICLES, payload)

    assert response.status_code == 201
    assert response.json()["status"] == "draft"


def test_unknown_query_parameters_are_left_alone(api, editor):
    assert api(editor).get(ARTICLES, {"utm_source": "newsletter"}).status_code == 200


def test_a_post_without_its_trailing_slash_is_served_as_if_it_had_one(
    api, editor, new_article_payload
):
    response = api(editor).post(ARTICLES.rstrip("/"), new_article_payload)

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == new_article_payload["slug"]


def test_a_patch_without_its_trailing_slash_edits_the_draft(api, editor, article):
    client = api(editor)
    url = f"/api/v1/manage/articles/{article.pk}/revisions/1/"
    etag = client.get(url)["ETag"]

    response = client.patch(url.rstrip("/"), {"title": "A clearer title"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["title"] == "A clearer title"


def test_an_unknown_path_without_a_slash_is_still_404(api, editor):
    assert_problem(api(editor).post("/api/v1/manage/nothing-here", {}), 404)


def test_a_key_without_the_delivery_scope_is_told_which_scope_it_lacks(api):
    response = api().get("/api/v1/articles/", **key_header(api_key("preview")))

    assert (
        assert_problem(response, 403)["detail"] == "This needs an API key with the delivery scope."
    )


@pytest.mark.parametrize(
    ("path", "accepted"),
    [("/api/v1/articles/", "Api-Key <key>"), ("/api/v1/manage/articles/", "Token <token>")],
)
def test_a_wrong_auth_scheme_is_told_which_schemes_are_accepted(api, db, path, accepted):
    response = api().get(path, HTTP_AUTHORIZATION="Bearer abc.def")

    detail = assert_problem(response, 401)["detail"]
    assert "'Bearer' is not accepted" in detail
    assert f"Authorization: {accepted}" in detail


def test_no_credentials_at_all_says_what_to_send(api, db):
    detail = assert_problem(api().get(ARTICLES), 401)["detail"]

    assert detail == "Send 'Authorization: Token <token>'."


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/articles/", "locale"),
        ("/api/v1/articles/", "updated_since"),
        ("/api/v1/changes/", "since"),
        (ARTICLES, "status"),
    ],
)
def test_a_parameter_given_with_no_value_is_a_400_naming_it(api, admin, path, parameter):
    client = api(admin) if "manage" in path else api()
    headers = {} if "manage" in path else key_header(api_key("delivery"))

    response = client.get(f"{path}?{parameter}=", **headers)

    assert field_errors(assert_problem(response, 400))[parameter]["code"] == "blank"


@pytest.mark.parametrize(
    "path",
    [ARTICLES, "/api/v1/manage/topics/"],
)
@pytest.mark.parametrize(
    ("query", "named"),
    [("page=0", "page"), ("page=x", "page"), ("page_size=101", "page_size")],
)
def test_a_management_list_refuses_a_page_out_of_range_by_name(api, admin, path, query, named):
    response = api(admin).get(f"{path}?{query}")

    assert named in field_errors(assert_problem(response, 400))


def test_a_management_page_past_the_end_is_empty_and_still_counts(api, admin, topic):
    response = api(admin).get("/api/v1/manage/topics/?page=3&page_size=1")

    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["results"], body["next"]) == (1, [], None)
    assert body["previous"].endswith("/api/v1/manage/topics/?page_size=1")
