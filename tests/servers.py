"""Real app processes (gunicorn) on loopback ports, serving the test database."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until_serving(port: int, server: subprocess.Popen | None = None) -> None:
    """Return once /healthz answers on `port` (30 s at most, or until `server` stops)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return
        except OSError:
            if server is not None and server.poll() is not None:
                raise RuntimeError(f"the server on port {port} stopped") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition()` came true within `seconds`, asked every 0.1 s."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def app_processes(count: int, env: dict[str, str]) -> Iterator[list[int]]:
    """`count` servers with `env`; each keeps its cache in its own memory unless `env` names
    a CACHE_URL, so that none writes to a cache the shell's CACHE_URL shares with others."""
    inherited = {name: value for name, value in os.environ.items() if name != "CACHE_URL"}
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1",
             "config.wsgi"],
            env={**inherited, **env},
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_serving(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
