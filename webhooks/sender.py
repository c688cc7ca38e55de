"""One webhook POST: to the address the guard checked, within one deadline, reading at most 1 KB.

Standard library only (http.client): the connection is opened to the resolved address that
the SSRF guard allowed, with the host name kept for TLS and the Host header, which an HTTP
client library would re-resolve.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from webhooks.guard import Address, Refused, resolve

EXCERPT_BYTES = 1024


@dataclass(frozen=True)
class Outcome:
    status_code: int | None  # None: no answer (timeout, connection error, refused)
    duration_ms: int
    excerpt: str = ""
    error: str = ""
    retry_after: float | None = None  # seconds, from a Retry-After header
    refused: bool = False  # the guard refused the address: retrying cannot help


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = sock  # so that the deadline can cut a slow handshake too
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST `body` to `url`; never raises for what the network or the receiver does.

    `timeout` is one deadline for the whole exchange (connecting, TLS, sending, the status
    line, the headers and the excerpt), not per read: at the deadline a timer shuts the
    socket, so a receiver that drips a byte now and then is cut off like one that hangs.
    """
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        host, port, address = resolve(url)
    except Refused as exc:
        refused = "does not resolve" not in str(exc)
        return Outcome(None, elapsed(), error=str(exc)[:300], refused=refused)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    remaining = max(0.001, timeout - (time.monotonic() - started))
    connection = kind(host, port, address, remaining)
    expired = threading.Event()  # set before the socket is cut, so no answer read after counts
    deadline = threading.Timer(remaining, _cut, args=(connection, expired))
    deadline.daemon = True
    deadline.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read1(EXCERPT_BYTES) if response.status != 204 else b""
        if expired.is_set():  # a cut socket reads as the end of a (partial) answer
            raise TimeoutError
        return Outcome(
            response.status,
            elapsed(),
            excerpt=excerpt.decode("utf-8", "replace"),
            retry_after=_retry_after(response.getheader("Retry-After")),
        )
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        if isinstance(exc, TimeoutError) or expired.is_set():
            return Outcome(None, elapsed(), error=f"timed out after {timeout:g} s")
        return Outcome(None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        deadline.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """The deadline passed: say so, then wake whatever read or write is blocked on the
    socket."""
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
