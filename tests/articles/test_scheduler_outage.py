"""The scheduled-publication worker survives a database outage and catches up afterwards.

A real worker process (`publish_scheduled --loop`) runs against the test database through a
door the test can shut: on PostgreSQL a TCP relay it cuts, on SQLite a path that does not
exist yet. While it is shut the worker logs, backs off and stays alive; once it opens, the
revision that fell due meanwhile goes live with nobody acting.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from articles import workflow
from articles.models import Revision, RevisionState
from contentapi.models import WorkerHeartbeat
from tests.outage import DatabaseDoor
from tests.publishing_helpers import approve, create_article, latest
from tests.servers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_survives_an_outage_and_publishes_what_fell_due(
    tmp_path, editor, reviewer, publisher
):
    article = create_article(editor=editor, slug="outage")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    publish_at = timezone.now() + timedelta(seconds=2)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    door = DatabaseDoor(tmp_path)
    door.shut()
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": door.url,
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
    }
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "publish_scheduled", "--loop", "--interval", "0.2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        # Shut from the start, and still shut when the revision falls due.
        assert wait_for(lambda: "the database is away" in log.read_text(), 15), log.read_text()
        time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.5)
        assert worker.poll() is None, log.read_text()
        assert Revision.objects.get(pk=revision.pk).state == RevisionState.SCHEDULED

        door.open()

        def went_live() -> bool:
            return Revision.objects.get(pk=revision.pk).state == RevisionState.PUBLISHED

        assert wait_for(went_live, 30), log.read_text()
        assert worker.poll() is None, log.read_text()
        assert wait_for(
            lambda: WorkerHeartbeat.objects.filter(
                kind="publish_scheduled", consecutive_failures=0, last_ok_at__isnull=False
            ).exists(),
            10,
        )
        assert "Traceback" not in log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        door.shut()
