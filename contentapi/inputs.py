"""Request input (a body or a query string) parsed by a serializer into plain arguments."""

from typing import Any

from rest_framework import serializers


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated fields of `data`; a 400 problem naming each bad field otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
