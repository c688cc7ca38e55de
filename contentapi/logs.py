"""Structured logs: one JSON object per line, each with the process and, for requests, the
request id that caused it.

The request id comes from the caller's X-Request-ID (if it is a plain token) or is made
here, is returned as X-Request-ID, and is on every log line written while the request is
served, so one id finds everything a request did. Only the message and a few known fields
are written: never a request object, its headers or its body, so no token, key or article
text reaches the logs. gunicorn's own lines take the same shape (config/gunicorn_logs.py), as
does a crash's traceback (`install_excepthook`): every line any process writes is JSON.
"""

import contextvars
import json
import logging
import re
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Extra fields a log call may add that are safe to write (numbers and short words).
_FIELDS = ("status_code", "method", "route", "worker")


def process_role(argv: list[str] | None = None) -> str:
    """What this process is, for the `process` field: `web` under gunicorn, the command's
    name under manage.py (`deliver_webhooks`, `publish_scheduled`, `migrate` ...)."""
    argv = sys.argv if argv is None else argv
    program = Path(argv[0]).name if argv else ""
    if "gunicorn" in (argv[0] if argv else ""):
        return "web"
    if program == "manage.py" and len(argv) > 1:
        return argv[1]
    return Path(program).stem or "python"


PROCESS = process_role()


def base_entry(record: logging.LogRecord) -> dict[str, object]:
    """The fields every line has: time, level, logger, process and pid."""
    return {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
        "level": record.levelname,
        "logger": record.name,
        "process": PROCESS,
        "pid": record.process,
    }


def install_excepthook() -> None:
    """An exception nobody caught, in any thread, is logged (one JSON line with its
    traceback) instead of printed as plain text; so are Python's warnings."""
    crash = logging.getLogger("contentapi.crash")

    def log_uncaught(
        kind: type[BaseException], value: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        crash.critical(
            "Uncaught %s: the process stops", kind.__name__, exc_info=(kind, value, traceback)
        )

    def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        crash.critical(
            "Uncaught %s in thread %s",
            args.exc_type.__name__,
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread
    logging.captureWarnings(True)  # Python's warnings too, as lines of the `py.warnings` logger


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
            **base_entry(record),
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
