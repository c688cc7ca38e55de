"""Structured logs carry the request id and never a token, a key or an article's text."""

import io
import json
import logging
import urllib.request
from unittest import mock

import pytest
from django.db import OperationalError

from contentapi.logs import JsonFormatter
from tests.servers import app_processes, database_url

SECRET_BODY = "Private words of an unpublished article"


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_line_is_json_with_the_request_id_that_is_also_returned(api, editor, log_lines):
    response = api(editor).get("/api/v1/manage/articles/999/")

    lines = log_lines()
    assert lines, "a 404 is logged"
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert all(line["level"] and line["logger"] and line["time"] for line in lines)


def test_a_callers_request_id_is_kept_if_it_is_a_plain_token(api, editor):
    given = api(editor).get("/api/v1/manage/articles/", HTTP_X_REQUEST_ID="portal-42.abc")
    hostile = api(editor).get("/api/v1/manage/articles/", HTTP_X_REQUEST_ID='x"\n{"forged": 1}')

    assert given["X-Request-ID"] == "portal-42.abc"
    assert hostile["X-Request-ID"] != 'x"\n{"forged": 1}'
    assert len(hostile["X-Request-ID"]) == 32


def test_no_token_key_or_body_reaches_the_logs(
    api, editor, delivery_headers, log_lines, new_article_payload
):
    client = api(editor)
    token = client._credentials["HTTP_AUTHORIZATION"]
    client.post("/api/v1/manage/articles/", {**new_article_payload, "title": "\x07"})
    client.post("/api/v1/manage/articles/999/revisions/", {"body": SECRET_BODY})
    api().get("/api/v1/articles/nope/", **delivery_headers)
    api().get("/api/v1/articles/", HTTP_AUTHORIZATION="Api-Key guessed.secret-value")
    with mock.patch(
        "delivery.selectors.published_document_get", side_effect=OperationalError("down")
    ):
        api().get("/api/v1/articles/x/", **delivery_headers)

    written = "\n".join(json.dumps(line) for line in log_lines())
    assert "Database unavailable" in written
    for secret in (token.split()[1], delivery_headers["HTTP_AUTHORIZATION"].split()[1]):
        assert secret not in written
    assert "secret-value" not in written
    assert SECRET_BODY not in written


def test_the_access_log_never_holds_a_query_string(tmp_path, db):
    """An Infobutton query carries a patient's diagnosis code, age and sex."""
    access_log = tmp_path / "access.log"
    env = {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "GUNICORN_ACCESS_LOG": str(access_log),
    }

    with app_processes(1, env) as (port,):
        urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz?mainSearchCriteria.v.c=F32.A&age.v.v=47", timeout=5
        ).read()

    logged = access_log.read_text()
    assert '"GET /healthz" 200' in logged
    assert "F32.A" not in logged
    assert "age.v.v" not in logged
