"""Request rates as settings write them (`6000/min`, `10/s`), parsed once at start-up."""

from dataclasses import dataclass

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
_UNITS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """So many requests per so many seconds."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        count, _, unit = text.strip().partition("/")
        if not count.isdigit() or int(count) < 1 or unit not in _UNITS:
            raise ValueError(
                f"{text!r} is not a rate: write a whole number, a slash and one of "
                f"{', '.join(sorted(_UNITS))} (e.g. 6000/min)."
            )
        return cls(int(count), _UNITS[unit])
