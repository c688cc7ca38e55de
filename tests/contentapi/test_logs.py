"""Structured logs carry the request id and never a token, a key or an article's text."""

import io
import json
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from articles import workflow
from articles.models import Revision, RevisionState
from contentapi.logs import JsonFormatter
from tests.publishing_helpers import approve, create_article, latest
from tests.servers import app_processes, database_url, free_port, wait_until_serving

SECRET_BODY = "Private words of an unpublished article"


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_line_is_json_with_the_request_id_that_is_also_returned(api, editor, log_lines):
    response = api(editor).get("/api/v1/manage/articles/999/")

    lines = log_lines()
    assert lines, "a 404 is logged"
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert all(line["level"] and line["logger"] and line["time"] for line in lines)


def test_a_callers_request_id_is_kept_if_it_is_a_plain_token(api, editor):
    given = api(editor).get("/api/v1/manage/articles/", HTTP_X_REQUEST_ID="portal-42.abc")
    hostile = api(editor).get("/api/v1/manage/articles/", HTTP_X_REQUEST_ID='x"\n{"forged": 1}')

    assert given["X-Request-ID"] == "portal-42.abc"
    assert hostile["X-Request-ID"] != 'x"\n{"forged": 1}'
    assert len(hostile["X-Request-ID"]) == 32


def test_no_token_key_or_body_reaches_the_logs(
    api, editor, delivery_headers, log_lines, new_article_payload
):
    client = api(editor)
    token = client._credentials["HTTP_AUTHORIZATION"]
    client.post("/api/v1/manage/articles/", {**new_article_payload, "title": "\x07"})
    client.post("/api/v1/manage/articles/999/revisions/", {"body": SECRET_BODY})
    api().get("/api/v1/articles/nope/", **delivery_headers)
    api().get("/api/v1/articles/", HTTP_AUTHORIZATION="Api-Key guessed.secret-value")
    with mock.patch(
        "delivery.selectors.published_document_get", side_effect=OperationalError("down")
    ):
        api().get("/api/v1/articles/x/", **delivery_headers)

    written = "\n".join(json.dumps(line) for line in log_lines())
    assert "Database unavailable" in written
    for secret in (token.split()[1], delivery_headers["HTTP_AUTHORIZATION"].split()[1]):
        assert secret not in written
    assert "secret-value" not in written
    assert SECRET_BODY not in written


def test_the_access_log_never_holds_a_query_string(tmp_path, db):
    """An Infobutton query carries a patient's diagnosis code, age and sex."""
    access_log = tmp_path / "access.log"
    env = {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "GUNICORN_ACCESS_LOG": str(access_log),
    }

    with app_processes(1, env) as (port,):
        urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz?mainSearchCriteria.v.c=F32.A&age.v.v=47", timeout=5
        ).read()

    logged = access_log.read_text()
    line = json.loads(logged.splitlines()[-1])
    assert (line["method"], line["path"], line["status_code"]) == ("GET", "/healthz", 200)
    assert line["logger"] == "gunicorn.access"
    assert "F32.A" not in logged
    assert "age.v.v" not in logged


def _json_lines(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        entry = json.loads(line)  # every line, or this fails naming it
        assert {"time", "level", "logger", "process", "pid"} <= set(entry), line
        parsed.append(entry)
    return parsed


def test_every_line_the_web_server_writes_is_json(tmp_path, db):
    errors = tmp_path / "stderr.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "1",
        "PORT": str(free_port()),
    }
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=stderr,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{env['PORT']}"
        wait_until_serving(int(env["PORT"]), server)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/api/v1/infobutton/?mainSearchCriteria.v.c=F32.A")
    finally:
        server.terminate()
        server.wait(timeout=10)

    entries = _json_lines(errors.read_text())
    loggers = {entry["logger"] for entry in entries}
    assert {"gunicorn.error", "gunicorn.access"} <= loggers
    assert {entry["process"] for entry in entries} == {"web"}
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert any(e["path"] == "/api/v1/infobutton/" and e["request_id"] for e in access)
    assert "F32.A" not in errors.read_text()


def test_a_crash_is_one_json_line_with_its_traceback(tmp_path):
    env = {**os.environ, "SECRET_KEY": "test-only", "DEBUG": "false"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "raise RuntimeError('a bug, say')"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode != 0
    (entry,) = _json_lines(done.stderr)
    assert entry["level"] == "CRITICAL"
    assert entry["process"] == "shell"
    assert "RuntimeError: a bug, say" in entry["exception"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_reports_its_passes_as_json_lines(editor, reviewer, publisher):
    revision = approve(latest(create_article(editor=editor, slug="on-time")), editor=editor,
                       reviewer=reviewer)  # fmt: skip
    workflow.revision_schedule(
        actor=publisher, revision=revision, publish_at=timezone.now() + timedelta(seconds=1)
    )
    env = {**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "test-only"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "publish_scheduled", "--loop", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while Revision.objects.get(pk=revision.pk).state != RevisionState.PUBLISHED:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    worker.terminate()
    output, _ = worker.communicate(timeout=10)

    entries = _json_lines(output)
    assert {entry["process"] for entry in entries} == {"publish_scheduled"}
    assert any("Published" in entry["message"] for entry in entries), output
