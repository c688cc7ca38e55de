"""Health probes, the OpenAPI document and its docs pages, and errors outside any view."""

import json
import re
from typing import Any

import pytest
import yaml
from django.db import OperationalError, connections
from django.test import Client

from tests.problems import assert_problem

PROBLEM = "application/problem+json"

# Every management path and method of API.md, with its path parameters written as `{}`.
MANAGEMENT_OPERATIONS = [
    ("/api/v1/manage/articles/", "get"),
    ("/api/v1/manage/articles/", "post"),
    ("/api/v1/manage/articles/{}/", "get"),
    ("/api/v1/manage/articles/{}/revisions/", "get"),
    ("/api/v1/manage/articles/{}/revisions/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/", "get"),
    ("/api/v1/manage/articles/{}/revisions/{}/", "patch"),
    ("/api/v1/manage/articles/{}/revisions/{}/submit/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/approve/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/request-changes/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/publish/", "post"),
    ("/api/v1/manage/articles/{}/unpublish/", "post"),
    ("/api/v1/manage/articles/{}/certify-review/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/notes/", "get"),
    ("/api/v1/manage/articles/{}/revisions/{}/notes/", "post"),
    ("/api/v1/manage/articles/{}/revisions/{}/diff/", "get"),
    ("/api/v1/manage/articles/{}/history/", "get"),
    ("/api/v1/manage/topics/", "get"),
    ("/api/v1/manage/topics/", "post"),
    ("/api/v1/manage/topics/{}/", "patch"),
]


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations_of(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (re.sub(r"\{[^}]+\}", "{}", path), method)
        for path, item in schema["paths"].items()
        for method in item
    }


# ------------------------------------------------------------------------------
# Health probes
# ------------------------------------------------------------------------------
def test_healthz_is_200(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def no_database(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("connection refused")


def test_healthz_needs_no_database(db, monkeypatch):
    # Undone before the test's own database teardown, which needs a cursor.
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", no_database)
        response = Client().get("/healthz")

    assert response.status_code == 200


def test_readyz_is_200_with_the_database_up(db):
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_readyz_is_503_when_the_database_does_not_answer(db, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", no_database)
        response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] != "ok"


def test_probes_need_no_credentials(db):
    client = Client(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


# ------------------------------------------------------------------------------
# The OpenAPI document
# ------------------------------------------------------------------------------
def test_schema_is_openapi_3_yaml_by_default(db):
    response = Client().get("/api/schema/")

    assert response.status_code == 200
    assert "yaml" in response["Content-Type"] or "openapi" in response["Content-Type"]
    assert "json" not in response["Content-Type"]
    document = yaml.safe_load(response.content)
    assert str(document["openapi"]).startswith("3.")
    assert document["info"]["title"]
    assert document["paths"]


def test_schema_as_json_is_the_same_document(db, schema):
    yaml_document = yaml.safe_load(Client().get("/api/schema/").content)

    response = Client().get("/api/schema/", {"format": "json"})
    assert "json" in response["Content-Type"]
    assert str(schema["openapi"]).startswith("3.")
    assert schema == json.loads(json.dumps(yaml_document))


@pytest.mark.parametrize(
    ("path", "method"), MANAGEMENT_OPERATIONS, ids=[f"{m} {p}" for p, m in MANAGEMENT_OPERATIONS]
)
def test_schema_documents_every_management_operation_of_the_contract(schema, path, method):
    assert (path, method) in operations_of(schema), sorted(operations_of(schema))


def test_schema_documents_problem_json_errors_and_token_auth(schema):
    components = schema["components"]
    assert "StaffToken" in components["securitySchemes"]
    create = schema["paths"]["/api/v1/manage/articles/"]["post"]
    assert {"400", "401", "403"} <= set(create["responses"])
    assert "application/json" in create["responses"]["201"]["content"]


# ------------------------------------------------------------------------------
# The docs pages, served from this service with no CDN
# ------------------------------------------------------------------------------
ASSET_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_is_html_with_only_local_static_assets(db, path):
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = ASSET_REFERENCE.findall(html)
    assert assets, html
    # Static files, and Swagger UI's start-up script served by the docs view itself.
    local = [a for a in assets if a.startswith("/static/") or a.startswith(f"{path}?script")]
    assert local == assets, assets
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE), (
        "the page loads something from another host"
    )
    if "?script" in html:  # Swagger UI: the schema URL is in its start-up script
        html = Client().get(path, {"script": ""}).content.decode()
    assert "/api/schema/" in html


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_assets_are_served(db, path):
    html = Client().get(path).content.decode()
    scripts = [a for a in ASSET_REFERENCE.findall(html) if a.endswith(".js")]

    assert scripts
    for script in scripts:
        response = Client().get(script)
        assert response.status_code == 200, script
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000, script


# ------------------------------------------------------------------------------
# Errors that no view raises
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/no-such-page", "/api/v1/nothing-here/", "/api/v1/manage/nothing-here/"]
)
def test_an_unknown_url_is_a_404_problem(db, path):
    response = Client().get(path)

    body = assert_problem(response, 404)
    assert body["code"] == "not-found"


def test_an_unknown_article_is_a_404_problem(api, editor):
    response = api(editor).get("/api/v1/manage/articles/987654/")

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/manage/articles/"),
        ("put", "/api/v1/manage/articles/"),
        ("patch", "/api/v1/manage/articles/"),
        ("delete", "/api/v1/manage/topics/"),
    ],
)
def test_a_wrong_method_is_a_405_problem(api, editor, method, path):
    response = getattr(api(editor), method)(path, {}, format="json")

    body = assert_problem(response, 405)
    assert body["code"] == "method-not-allowed"
    assert method.upper() not in response["Allow"]
    assert "GET" in response["Allow"]


def test_a_wrong_method_on_an_article_is_a_405_problem(api, editor, article):
    response = api(editor).delete(f"/api/v1/manage/articles/{article.pk}/")

    assert_problem(response, 405)
    assert article.__class__.objects.filter(pk=article.pk).exists()
