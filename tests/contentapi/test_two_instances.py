"""Two instances on one host share nothing by accident: gunicorn's control socket is off
unless asked for, and then where each instance says."""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings

from tests.servers import database_url, free_port, wait_until_serving


@contextmanager
def gunicorn_with_our_config(home: Path, **environment: str) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(home),  # gunicorn's default control socket lives under it
        "PORT": str(port),
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "1",
        **environment,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_two_instances_on_one_host_open_no_shared_control_socket(tmp_path, db):
    with ExitStack() as both:
        ports = [both.enter_context(gunicorn_with_our_config(tmp_path)) for _ in range(2)]
        time.sleep(0.5)
        answers = [
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").status for port in ports
        ]

        assert answers == [200, 200]
        assert not (tmp_path / ".gunicorn").exists()


def test_a_control_socket_asked_for_lives_where_the_instance_says(tmp_path, db):
    own = tmp_path / "instance-a"
    own.mkdir()
    socket_path = own / "gunicorn.ctl"

    with gunicorn_with_our_config(tmp_path, GUNICORN_CONTROL_SOCKET=str(socket_path)):
        deadline = time.monotonic() + 10
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)

        assert socket_path.is_socket()
        assert not (tmp_path / ".gunicorn").exists()
