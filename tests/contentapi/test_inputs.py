"""Query strings parsed by a serializer, and kept per process when the parse is pure."""

from typing import Any

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from contentapi import inputs
from delivery.api.serializers import ListQuerySerializer


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[QueryDict]:
    """Every query string the serializer really parses, from a cache emptied first."""
    inputs._parsed_query.cache_clear()
    seen: list[QueryDict] = []
    original = inputs.validated

    def counted(serializer_class: Any, data: Any) -> dict[str, Any]:
        seen.append(data)
        return original(serializer_class, data)

    monkeypatch.setattr(inputs, "validated", counted)
    yield seen
    inputs._parsed_query.cache_clear()


def test_each_query_string_is_parsed_once_and_answered_alike(parses: list[QueryDict]) -> None:
    query = QueryDict("locale=es&topic=diabetes&page=2")

    first = inputs.validated_query(ListQuerySerializer, query)
    first.pop("page")  # a caller takes what it needs out of its copy
    again = inputs.validated_query(ListQuerySerializer, query)
    other = inputs.validated_query(ListQuerySerializer, QueryDict("locale=en"))

    assert again == {
        "locale": "es",
        "topic": "diabetes",
        "cursor": None,
        "page": 2,
        "page_size": 20,
    }
    assert other["locale"] == "en"
    assert len(parses) == 2  # the repeated query string was not parsed again


@pytest.mark.parametrize("query", ["page_size=0", "locale=", "locale=xx", "page=abc"])
def test_a_bad_query_string_is_refused_every_time(parses: list[QueryDict], query: str) -> None:
    for _ in range(2):
        with pytest.raises(ValidationError):
            inputs.validated_query(ListQuerySerializer, QueryDict(query))

    assert len(parses) == 2  # never kept
