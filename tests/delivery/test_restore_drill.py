"""The restore drill of docs/operations.md, performed: back up, restore into a new database,
`feed_restored`, `verify_audit`, and a portal mirror that had read past the backup comes back
to exactly the restored delivery set.

On PostgreSQL with pg_dump and pg_restore (custom format); on SQLite with its online backup.
Only the databases and files this test makes are touched.
"""

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from articles import workflow
from contentapi.credentials import api_key_create
from examples.portal_mirror import PortalMirror
from tests.examples.test_portal_mirror import _delivered
from tests.publishing_helpers import api_key, key_header, make_live
from tests.servers import app_processes, database_url

pytestmark = pytest.mark.django_db(transaction=True)

CHANGES = "/api/v1/changes/"


def _manage(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": database, "SECRET_KEY": "test-only", "DEBUG": "false"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def backup_and_restore(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Yields `restore()`: takes the backup now; `restore()` returns the URL of a new
    database restored from it."""
    db = connection.settings_dict
    restored_urls: list[str] = []
    if connection.vendor == "postgresql":
        dump = tmp_path / "backup.dump"
        auth = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
        subprocess.run(["pg_dump", "-Fc", *auth, "-f", str(dump), db["NAME"]], check=True)
        name = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"

        def restore() -> str:
            subprocess.run(["createdb", *auth, name], check=True)
            subprocess.run(["pg_restore", "--no-owner", *auth, "-d", name, str(dump)], check=True)
            url = f"postgres://{db['USER']}@{auth[1]}:{auth[3]}/{name}"
            restored_urls.append(url)
            return url

        try:
            yield restore
        finally:
            if restored_urls:
                subprocess.run(
                    ["psql", *auth, "-d", "postgres", "-c",
                     f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                    check=True, capture_output=True,
                )  # fmt: skip
    else:
        backup = tmp_path / "backup.sqlite3"
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(backup) as target:
            source.backup(target)

        def restore() -> str:
            restored = tmp_path / "restored.sqlite3"
            with sqlite3.connect(backup) as source, sqlite3.connect(restored) as target:
                source.backup(target)
            return f"sqlite:///{restored}"

        yield restore


@pytest.fixture
def get_changes(db: None) -> Callable[..., dict[str, Any]]:
    headers = key_header(api_key("delivery"))

    def get(since: str | None = None, expect: int = 200) -> dict[str, Any]:
        params = {"since": since} if since else {}
        response = APIClient().get(CHANGES, params, **headers)
        assert response.status_code == expect, response.content
        return response.json()

    return get


def test_the_restore_drill_brings_a_mirror_back_to_the_restored_live_set(
    tmp_path, staff, publisher
):
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    make_live(**staff, slug="before-the-backup")
    gone = make_live(**staff, slug="unpublished-before-the-backup")
    workflow.article_unpublish(actor=publisher, article=gone, reason="Withdrawn")

    with backup_and_restore(tmp_path) as restore:
        make_live(**staff, slug="after-the-backup")  # lost with the restore
        with app_processes(1, {"DATABASE_URL": database_url(), "SECRET_KEY": "test-only"}) as (
            port,
        ):
            mirror = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror")
            assert mirror.sync().errors == []
        assert mirror.articles() == {("before-the-backup", "en"), ("after-the-backup", "en")}

        restored = restore()
        gap = _manage(restored, "feed_restored")
        audit = _manage(restored, "verify_audit")
        env = {"DATABASE_URL": restored, "SECRET_KEY": "test-only", "DEBUG": "false"}
        with app_processes(1, env) as (port,):
            mirror = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror")
            report = mirror.sync()
            delivered = _delivered(port, key)

    assert gap.returncode == 0, gap.stderr
    assert "cursor-ahead" in gap.stdout
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert report.errors == []
    assert report.resynchronised is True
    assert mirror.articles() == delivered == {("before-the-backup", "en")}


def test_after_feed_restored_positions_the_backup_lost_stay_void_as_new_events_come(
    get_changes, live
):
    live("kept")
    head = int(get_changes()["cursor"].removeprefix("c1."))
    lost = f"c1.{head + 2}"  # a position a portal saw before the restore

    call_command("feed_restored", stdout=io.StringIO())
    live("written-after-the-restore")
    from_head = get_changes(since=f"c1.{head}")

    assert from_head["results"][0]["slug"] == "written-after-the-restore"
    assert int(from_head["cursor"].removeprefix("c1.")) == head + 1_000_000_000
    assert get_changes(since=lost, expect=400)["code"] == "cursor-ahead"
