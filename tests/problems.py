"""Assertions about RFC 9457 problem responses, shared by the API tests."""

from typing import Any

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`; returns its body."""
    assert response.status_code == status, response.content[:2000]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert isinstance(body, dict), body
    assert body["status"] == status
    for member in ("type", "title", "detail", "code"):
        assert isinstance(body[member], str), body
        assert body[member], body
    assert body["type"].startswith("http")
    if status == 400:
        assert isinstance(body["errors"], list), body
    return body


def field_errors(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The `errors` of a 400 problem, keyed by field; each is {field, message, code}."""
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "message", "code"}
        assert error["message"]
        assert error["code"]
    return {error["field"]: error for error in body["errors"]}


def problem_code(response: Any, status: int) -> str:
    """The machine-readable `code` of a problem response with `status`."""
    return assert_problem(response, status)["code"]
