"""Serializer fields stricter than DRF's defaults, so a wrong JSON type is a 400, not a guess."""

import re
import unicodedata
from typing import Any

from django.core.validators import URLValidator
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A CharField that accepts only JSON strings (DRF would turn 123 or 1.5 into text)."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An IntegerField that refuses strings, floats and booleans."""

    default_error_messages = {"invalid": "Must be an integer."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A BooleanField that takes only JSON true and false (DRF would take "yes", 1, "on")."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


# Control characters, and the Unicode controls that reorder or hide text (bidirectional
# overrides and isolates, zero-width joiners aside), which can make a title read differently
# from what it says.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
_LINE_BREAKS = "\n\r\t"


def _has_control(value: str, allowed: str) -> bool:
    return any(
        (unicodedata.category(char) == "Cc" and char not in allowed) or char in _BIDI_CONTROLS
        for char in value
    )


def without_controls(value: str) -> str:
    """`value` with control characters, text-direction overrides and the characters XML
    cannot carry (surrogates, U+FFFE, U+FFFF) dropped."""
    return "".join(
        char
        for char in value
        if unicodedata.category(char) not in ("Cc", "Cs")
        and char not in _BIDI_CONTROLS
        and char not in "\ufffe\uffff"
    )


class EchoedTextField(serializers.CharField):
    """Text a client sends only to have it echoed back: never an error. Control characters
    and text-direction overrides are dropped (XML cannot carry most of them) and the rest is
    cut to `max_length`."""

    def __init__(self, *, max_length: int = 200, **kwargs: Any) -> None:
        self.echo_length = max_length
        super().__init__(allow_blank=True, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return without_controls(str(data)).strip()[: self.echo_length]


class PlainTextField(StrictCharField):
    """Text shown to readers as it is: no control characters (line breaks if `multiline`)."""

    default_error_messages = {
        "control": "Must not contain control characters or text-direction overrides."
    }

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.allowed_controls = _LINE_BREAKS if multiline else ""
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if _has_control(value, self.allowed_controls):
            self.fail("control")
        return value


# RFC 3986 characters; everything else (spaces, quotes, angle brackets, backslashes, braces)
# must be percent-encoded. Single quotes are refused too: rare in URLs, and harmful where a
# portal puts the URL inside a single-quoted attribute.
_URI = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class HttpUrlField(StrictCharField):
    """An absolute http or https URL that is valid RFC 3986 as it stands (no quoting needed)."""

    default_error_messages = {
        "invalid_url": "Must be an absolute http or https URL; percent-encode spaces, quotes "
        "and angle brackets."
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)
        self.validators.append(
            URLValidator(schemes=["http", "https"], message=self.error_messages["invalid_url"])
        )

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not _URI.match(value) or _BAD_PERCENT.search(value):
            self.fail("invalid_url")
        return value
