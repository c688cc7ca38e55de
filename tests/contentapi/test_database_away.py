"""When the database cannot be reached: 503 problem+json with Retry-After, one log line."""

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from contentapi.middleware import DatabaseUnavailableMiddleware
from tests.problems import assert_problem


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_request_during_an_outage_is_503_with_retry_after(
    api, delivery_headers, caplog, error
):
    failing = mock.patch(
        "delivery.selectors.published_document_get",
        side_effect=error("connection to server at 127.0.0.1 failed: Connection refused"),
    )
    with failing, caplog.at_level(logging.WARNING):
        response = api().get("/api/v1/articles/anything/", **delivery_headers)

    body = assert_problem(response, 503)
    assert body["code"] == "database-unavailable"
    assert response["Retry-After"] == "5"
    lines = [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].exc_info is None  # no traceback storm
    assert "Connection refused" not in lines[0].getMessage()
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_a_plain_django_view_that_finds_the_database_away_is_503_too():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/somewhere")

    response = middleware.process_exception(request, OperationalError("gone"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert middleware.process_exception(request, ValueError("a bug")) is None
