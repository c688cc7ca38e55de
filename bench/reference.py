"""The server-limit reference: a bare WSGI app answering every request with constant bytes.

Served by gunicorn with the project's `gunicorn.conf.py` as `bench.reference:constant_app`;
`BENCH_CONSTANT_BYTES` sets the size (the benchmark passes the mean detail document size).
No Django, no database: what is left is the server and the network stack.
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

SIZE = int(os.environ.get("BENCH_CONSTANT_BYTES", "8192"))
# A JSON string of SIZE bytes, so clients see the same content type as the API sends.
BODY = b'"' + b"x" * max(SIZE - 2, 0) + b'"'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def constant_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
