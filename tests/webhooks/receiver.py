"""A real HTTP receiver on a loopback port, for webhook tests: it records and answers."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # What to answer, in order (the last one repeats): a status, or ("hang", seconds).
    answers: list[int | tuple[str, float]] = field(default_factory=lambda: [200])
    extra_headers: dict[str, str] = field(default_factory=dict)

    def next_answer(self) -> int | tuple[str, float]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    @property
    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


@contextmanager
def receiver_running() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver = state["receiver"]
            answer = receiver.next_answer()
            if isinstance(answer, tuple):
                time.sleep(answer[1])
                answer = 200
            receiver.received.append(
                Received({k.lower(): v for k, v in self.headers.items()}, body)
            )
            self.send_response(answer)
            for name, value in receiver.extra_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()


def verified(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Every payload received, each verified with the subscription's secret (by the Standard
    Webhooks reference library, not our own code)."""
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]
