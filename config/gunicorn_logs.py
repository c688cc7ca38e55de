"""gunicorn's own log lines (start-up, worker exits, errors, the access log) as JSON, in the
shape of the application's lines (contentapi/logs.py), unless LOG_FORMAT=plain.

The access line names the method, the path without its query string (an Infobutton query
carries a patient's diagnosis, age and sex), the status, the size, the time taken and the
request id, which ties it to the application's lines for the same request.
"""

import json
import logging
import os

from gunicorn.glogging import Logger

from contentapi.logs import JsonFormatter, base_entry


class AccessJsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args  # gunicorn's request atoms (a case-insensitive mapping)

        def atom(name: str) -> str:
            try:
                return str(atoms[name])  # type: ignore[index]
            except (KeyError, TypeError):
                return "-"

        status = atom("s")
        size = atom("B")
        entry = {
            **base_entry(record),
            "message": f"{atom('m')} {atom('U')} {status}",
            "method": atom("m"),
            "path": atom("U"),
            "status_code": int(status) if status.isdigit() else status,
            "bytes": int(size) if size.isdigit() else 0,
            "duration_ms": round(int(atom("D")) / 1000, 1) if atom("D").isdigit() else None,
            "request_id": "" if atom("{x-request-id}o") == "-" else atom("{x-request-id}o"),
        }
        return json.dumps(entry, ensure_ascii=False)


class JsonLogger(Logger):
    """gunicorn's logger, with JSON formatters on its handlers."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT", "json") != "json":
            return
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(AccessJsonFormatter())
