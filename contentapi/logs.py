"""Structured logs: one JSON object per line, each with the request id that caused it.

The request id comes from the caller's X-Request-ID (if it is a plain token) or is made
here, is returned as X-Request-ID, and is on every log line written while the request is
served, so one id finds everything a request did. Only the message and a few known fields
are written: never a request object, its headers or its body, so no token, key or article
text reaches the logs.
"""

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Extra fields a log call may add that are safe to write (numbers and short words).
_FIELDS = ("status_code", "method", "route", "worker")


class RequestIdMiddleware:
    """Give every request an id: the caller's X-Request-ID if it is a plain token, else new."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        # Not reset on the way out: Django logs a 4xx or 5xx after the middleware returns,
        # and that line belongs to this request too. The next request sets its own.
        request_id.set(given if _SAFE_ID.match(given) else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, and known extras.

    A traceback is written as one string field (the message alone for a 4xx)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, int | str):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The same fields as one readable line (LOG_FORMAT=plain, for a terminal)."""

    def format(self, record: logging.LogRecord) -> str:
        rid = request_id.get()
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.getMessage()}"
        line = f"{line} [request {rid}]" if rid else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line
