"""Path converters for database ids: a number the database cannot hold is simply not found.

Django's `<int:...>` accepts any length of digits; a value past the column's range then
fails in the database (PostgreSQL: out of range) or in the driver (SQLite: OverflowError)
as a 500. These match only values the column can hold, so anything larger is a 404.
"""

from django.urls import register_converter

BIGINT_MAX = 2**63 - 1  # BigAutoField ids
INT_MAX = 2**31 - 1  # PositiveIntegerField numbers (revision numbers)


class _BoundedInt:
    regex = "[0-9]{1,19}"
    maximum = BIGINT_MAX

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= self.maximum:
            raise ValueError(value)  # Django: no match, so 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class IdConverter(_BoundedInt):
    """`<id:...>`: a positive 64-bit id."""


class NumberConverter(_BoundedInt):
    """`<number:...>`: a positive 32-bit number, such as a revision number."""

    regex = "[0-9]{1,10}"
    maximum = INT_MAX


register_converter(IdConverter, "id")
register_converter(NumberConverter, "number")
