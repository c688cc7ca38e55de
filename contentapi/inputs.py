"""Request input (a body or a query string) parsed by a serializer into plain arguments."""

import functools
from typing import Any

from django.http import QueryDict
from rest_framework import serializers

# Fields the server sets and shows. The API contract lets a client send them back with what
# it read (they change nothing, and are ignored); anything else a body names is refused.
SERVER_SET_FIELDS = frozenset(
    {
        "id", "url", "article", "number", "state", "status", "author", "contributors",
        "base_revision", "approved_by", "approved_at", "submitted_at", "published_at",
        "created_at", "updated_at", "reviews", "plain_language", "latest_revision",
        "live_revision", "translation_group", "first_published_at", "last_updated_at",
        "last_reviewed_at", "next_review_due",
    }
)  # fmt: skip


def _unknown_fields(serializer: serializers.Serializer, data: Any, prefix: str = "") -> list[str]:
    """Names in a JSON body that the serializer does not take, nested ones included."""
    if not isinstance(data, dict) or isinstance(data, QueryDict):
        return []
    unknown = [
        f"{prefix}{name}"
        for name in data
        if name not in serializer.fields and not (not prefix and name in SERVER_SET_FIELDS)
    ]
    for name, field in serializer.fields.items():
        value = data.get(name)
        if isinstance(field, serializers.Serializer):
            unknown += _unknown_fields(field, value, f"{prefix}{name}.")
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.Serializer
        ):
            for index, item in enumerate(value if isinstance(value, list) else []):
                unknown += _unknown_fields(field.child, item, f"{prefix}{name}[{index}].")
    return unknown


def _empty_parameters(serializer: serializers.Serializer, data: Any) -> list[str]:
    """Query parameters given with no value (`?locale=`), which DRF would treat as absent.

    A client that sends `?locale=` meant some locale; answering as if it sent nothing would
    hide its bug. Parameters that may be blank say so (`allow_blank`), as the schema does.
    """
    if not isinstance(data, QueryDict):
        return []
    return [
        name
        for name, field in serializer.fields.items()
        if name in data and "" in data.getlist(name) and not getattr(field, "allow_blank", False)
    ]


def _refuse(names: list[str], message: str, *, code: str) -> None:
    """A 400 naming each of `names` with the same message, if there are any."""
    if names:
        raise serializers.ValidationError(
            {name: serializers.ErrorDetail(message, code=code) for name in names}
        )


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated fields of `data`; a 400 problem naming each bad field otherwise.

    A JSON body may name only fields the endpoint takes, or fields the server sets (which
    change nothing): a misspelt or unknown field is refused rather than silently ignored.
    Query strings may carry other parameters (caches and trackers add them), but not an
    empty value for one the endpoint takes.
    """
    serializer = serializer_class(data=data)
    _refuse(
        _unknown_fields(serializer, data),
        "Unknown field: this endpoint does not take it.",
        code="unknown_field",
    )
    _refuse(
        _empty_parameters(serializer, data),
        "Empty: give it a value, or leave the parameter out.",
        code="blank",
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def validated_query(
    serializer_class: type[serializers.Serializer], query: QueryDict
) -> dict[str, Any]:
    """`validated()` for a query string that a serializer parses as a pure function of it
    (no database, no request): each distinct query string is parsed once per process.

    A DRF serializer deep-copies its declared fields for every instance: for a delivery list,
    a seventh of the request (bench/profile_list.py). Portals ask the same few query strings
    all day. A bad one is not kept: it is refused with the same 400 every time.
    """
    key = tuple((name, tuple(values)) for name, values in query.lists())
    return dict(_parsed_query(serializer_class, key))


@functools.lru_cache(maxsize=1024)
def _parsed_query(
    serializer_class: type[serializers.Serializer], key: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[tuple[str, Any], ...]:
    query = QueryDict(mutable=True)
    for name, values in key:
        query.setlist(name, list(values))
    return tuple(validated(serializer_class, query).items())
