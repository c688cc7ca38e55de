"""The example portal client keeps an exact mirror through publish, update and unpublish."""

import json
import urllib.request

import pytest

from articles import workflow
from contentapi.credentials import api_key_create
from examples.portal_mirror import PortalMirror
from tests.publishing_helpers import make_live, publish_new_revision
from tests.servers import app_processes, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _delivered(port: int, key: str) -> set[tuple[str, str]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/articles/?page_size=100",
        headers={"Authorization": f"Api-Key {key}"},
    )
    with urllib.request.urlopen(request) as response:
        return {(a["slug"], a["locale"]) for a in json.loads(response.read())["results"]}


def test_the_mirror_follows_publish_update_and_unpublish(tmp_path, staff, publisher):
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    first = make_live(**staff, slug="first")
    second = make_live(**staff, slug="second")
    env = {"DATABASE_URL": database_url(), "SECRET_KEY": "test-only", "DEBUG": "false"}

    with app_processes(1, env) as (port,):
        mirror = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror")
        report = mirror.sync()
        assert (report.fetched, report.errors) == (2, [])
        assert mirror.articles() == _delivered(port, key) == {("first", "en"), ("second", "en")}

        publish_new_revision(first, **staff, title="First, updated")
        workflow.article_unpublish(actor=publisher, article=second, reason="Withdrawn")
        make_live(**staff, slug="third")
        report = mirror.sync()

        assert report.errors == []
        assert mirror.articles() == _delivered(port, key) == {("first", "en"), ("third", "en")}
        stored = json.loads((tmp_path / "mirror" / "en" / "first.json").read_text())
        assert stored["title"] == "First, updated"
        assert not (tmp_path / "mirror" / "en" / "second.json").exists()

        # A new mirror object resumes from the saved cursor: nothing new, nothing fetched.
        again = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror").sync()
        assert (again.events, again.fetched) == (0, 0)

        # Replayed from the start, it already has every live article: 304s, no bodies.
        replay = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror")
        replay.cursor = None
        report = replay.sync()
        assert (report.fetched, report.not_modified, report.errors) == (0, 2, [])
        assert replay.articles() == {("first", "en"), ("third", "en")}


def test_a_mirror_ahead_of_a_restored_feed_resynchronises_to_the_live_set(
    tmp_path, staff, publisher
):
    _, key = api_key_create(name="portal", scopes=["delivery"], actor_label="test")
    make_live(**staff, slug="kept")
    gone = make_live(**staff, slug="gone")
    workflow.article_unpublish(actor=publisher, article=gone, reason="Withdrawn")
    env = {"DATABASE_URL": database_url(), "SECRET_KEY": "test-only", "DEBUG": "false"}

    with app_processes(1, env) as (port,):
        mirror = PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror")
        assert mirror.sync().errors == []
        # As after a restore from an older backup: the mirror read further than the feed
        # now goes, and holds an article published after the backup was taken.
        head = int(mirror.cursor.removeprefix("c1."))
        mirror.cursor = f"c1.{head + 40}"
        mirror.etags["en/published-after-backup"] = '"stale"'
        (tmp_path / "mirror" / "en" / "published-after-backup.json").write_text("{}")

        report = mirror.sync()

        assert report.errors == []
        assert report.resynchronised is True
        assert mirror.articles() == _delivered(port, key) == {("kept", "en")}
        assert not (tmp_path / "mirror" / "en" / "published-after-backup.json").exists()
        assert mirror.cursor == f"c1.{head}"
        assert PortalMirror(f"http://127.0.0.1:{port}", key, tmp_path / "mirror").cursor == (
            f"c1.{head}"
        )
