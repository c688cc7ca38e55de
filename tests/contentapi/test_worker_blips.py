"""Every worker survives a cut of its database connection, idle or busy, and carries on.

A real worker process runs against the test database through a door the test can shut
(tests/outage.py: on PostgreSQL a TCP relay it cuts, which also breaks a `LISTEN` in
progress; on SQLite a path that goes away). Each case cuts for three seconds, then shows
the worker doing its job afterwards, alive, with no traceback in its output.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from articles import workflow
from articles.models import Revision, RevisionState
from contentapi.models import WorkerHeartbeat
from tests.outage import DatabaseDoor
from tests.publishing_helpers import approve, create_article, latest, make_live
from tests.servers import wait_for
from tests.webhooks.receiver import receiver_running
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db(transaction=True)

CUT_SECONDS = 3


@contextmanager
def worker_running(door: DatabaseDoor, log: Path, *command: str) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": door.url,
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "WEBHOOK_ENCRYPTION_KEYS": ",".join(settings.WEBHOOK_ENCRYPTION_KEYS),
        "AUDIT_SIGNING_KEY": settings.AUDIT_SIGNING_KEY,
        "WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "WEBHOOK_TIMEOUT": "5",
    }
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        kind = command[0]
        assert wait_for(
            lambda: WorkerHeartbeat.objects.filter(kind=kind, last_ok_at__isnull=False).exists(),
            30,
        ), log.read_text()
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def cut(door: DatabaseDoor) -> None:
    door.shut()
    time.sleep(CUT_SECONDS)
    door.open()


def assert_survived(worker: subprocess.Popen, log: Path) -> None:
    output = log.read_text()
    assert worker.poll() is None, output
    assert "Traceback" not in output
    assert "Error" not in output.replace("OperationalError", "").replace("InterfaceError", "")


@pytest.fixture
def door(tmp_path: Path, settings: Any) -> Iterator[DatabaseDoor]:
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    door = DatabaseDoor(tmp_path)
    door.open()
    yield door
    door.shut()


def _scheduled_soon(editor: Any, reviewer: Any, publisher: Any, slug: str) -> Revision:
    article = create_article(editor=editor, slug=slug)
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    workflow.revision_schedule(
        actor=publisher, revision=revision, publish_at=timezone.now() + timedelta(seconds=1)
    )
    return revision


@pytest.mark.parametrize("interval", ["2", "0.01"], ids=["idle", "busy"])
def test_the_scheduler_survives_a_cut_and_publishes_afterwards(
    door, tmp_path, editor, reviewer, publisher, interval
):
    log = tmp_path / "scheduler.log"
    command = ("publish_scheduled", "--loop", "--interval", interval)
    with worker_running(door, log, *command) as worker:
        cut(door)
        revision = _scheduled_soon(editor, reviewer, publisher, "after-the-cut")

        def went_live() -> bool:
            return Revision.objects.get(pk=revision.pk).state == RevisionState.PUBLISHED

        assert wait_for(went_live, 30), log.read_text()
        assert_survived(worker, log)


def test_the_webhook_worker_survives_a_cut_while_it_waits_for_work(door, tmp_path, staff, admin):
    log = tmp_path / "webhooks.log"
    with receiver_running() as receiver:
        subscription_create(actor=admin, url=receiver.url)
        command = ("deliver_webhooks", "--loop", "--interval", "2")
        with worker_running(door, log, *command) as worker:
            time.sleep(1)  # waiting between passes: in LISTEN on PostgreSQL
            cut(door)
            make_live(**staff, slug="after-the-cut")

            assert wait_for(lambda: len(receiver.received) == 1, 30), log.read_text()
            assert_survived(worker, log)


def test_the_webhook_worker_survives_a_cut_while_it_sends(door, tmp_path, staff, admin):
    log = tmp_path / "webhooks.log"
    with receiver_running() as receiver:
        receiver.answers = [("hang", 1.5), 200]  # the worker is mid-send when the cut comes
        subscription_create(actor=admin, url=receiver.url)
        command = ("deliver_webhooks", "--loop", "--interval", "0.2")
        with worker_running(door, log, *command) as worker:
            make_live(**staff, slug="during-the-cut")
            time.sleep(0.5)
            cut(door)
            make_live(**staff, slug="after-the-cut")

            def both_arrived() -> bool:
                slugs = {r.body.decode() for r in receiver.received}
                return all(any(s in body for body in slugs) for s in ("during", "after"))

            assert wait_for(both_arrived, 30), log.read_text()
            assert_survived(worker, log)
