"""Operator status (admins) and Prometheus metrics (with METRICS_TOKEN): what an alert reads."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Revision
from contentapi.models import Role, WorkerHeartbeat
from contentapi.workers import WorkerLoop, heartbeat_record
from tests.problems import assert_problem
from tests.publishing_helpers import approve, create_article, latest

STATUS = "/api/v1/manage/status/"


@pytest.fixture
def overdue(editor, reviewer, publisher):
    """A scheduled revision whose publish_at passed 5 minutes ago, not yet live."""
    article = create_article(editor=editor, slug="overdue")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    workflow.revision_schedule(
        actor=publisher, revision=revision, publish_at=timezone.now() + timedelta(hours=1)
    )
    Revision.objects.filter(pk=revision.pk).update(publish_at=timezone.now() - timedelta(minutes=5))
    return revision


# The worker loop closes its database connections as a worker process does, so these run
# with real commits rather than inside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_status_shows_the_workers_and_raises_the_alert_for_overdue_revisions(
    clock, api, make_staff, overdue
):
    WorkerLoop("publish_scheduled", lambda: None, interval=10).run_one_pass()
    admin = make_staff(Role.ADMIN, username="ops")

    body = api(admin).get(STATUS).json()

    assert body["database"] == "ok"
    assert body["scheduled_past_due"]["count"] == 1
    assert body["scheduled_past_due"]["oldest_seconds"] == 300.0
    assert body["scheduled_past_due"]["alert"] is True
    (worker,) = body["workers"]
    assert worker["kind"] == "publish_scheduled"
    assert worker["consecutive_failures"] == 0
    assert worker["last_ok_at"] == "2030-01-01T09:00:00Z"  # the test clock's start


def test_status_is_for_admins_only(api, editor, publisher):
    for user in (editor, publisher):
        assert_problem(api(user).get(STATUS), 403)
    assert_problem(api().get(STATUS), 401)


@pytest.mark.django_db(transaction=True)
def test_a_worker_pass_that_finds_the_database_away_backs_off_and_says_so():
    def away() -> None:
        raise OperationalError("could not connect to server")

    loop = WorkerLoop("publish_scheduled", away, interval=1)
    waits = [loop.run_one_pass() for _ in range(3)]

    assert waits == [2, 4, 8]
    beat = WorkerHeartbeat.objects.get()
    assert beat.consecutive_failures == 3
    assert beat.last_ok_at is None
    assert "could not connect" in beat.last_error


def test_metrics_need_the_token_when_one_is_set(settings, db):
    settings.METRICS_TOKEN = "s3cret-scrape"
    client = Client()

    refused = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape")

    assert refused.status_code == wrong.status_code == 401
    assert allowed.status_code == 200
    assert allowed["Content-Type"].startswith("text/plain")


def test_metrics_count_requests_by_route_and_report_overdue_revisions(
    settings, api, delivery_headers, overdue
):
    settings.METRICS_TOKEN = ""
    api().get("/api/v1/articles/some-slug/", **delivery_headers)

    text = Client().get("/metrics").content.decode()

    assert (
        'contentapi_requests_total{method="GET",route="/api/v1/articles/<slug:slug>/",'
        'status="404"}' in text
    )
    assert "contentapi_request_duration_seconds_bucket" in text
    assert "contentapi_scheduled_past_due 1.0" in text
    assert "contentapi_scheduled_past_due_oldest_seconds" in text


@pytest.mark.django_db
def test_a_worker_whose_heartbeat_stopped_for_three_intervals_is_stale(api, make_staff, settings):
    settings.METRICS_TOKEN = ""
    now = timezone.now()
    for name, seconds_ago in (("alive", 5), ("dead", 61)):
        WorkerHeartbeat.objects.create(
            name=f"deliver_webhooks@host:{name}",
            kind="deliver_webhooks",
            started_at=now - timedelta(hours=1),
            last_run_at=now - timedelta(seconds=seconds_ago),
            interval_seconds=20,
        )
    workers = api(make_staff(Role.ADMIN)).get(STATUS).json()["workers"]
    text = Client().get("/metrics").content.decode()

    assert {w["name"].rpartition(":")[2]: w["stale"] for w in workers} == {
        "alive": False,
        "dead": True,
    }
    stale = 'contentapi_worker_stale{kind="deliver_webhooks",worker="deliver_webhooks@host:'
    assert f'{stale}dead"}} 1.0' in text
    assert f'{stale}alive"}} 0.0' in text


@pytest.mark.django_db
def test_a_worker_silent_for_a_day_is_forgotten_at_the_next_beat():
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        name="deliver_webhooks@host:1",
        kind="deliver_webhooks",
        started_at=now - timedelta(days=3),
        last_run_at=now - timedelta(days=1, minutes=1),
    )
    WorkerHeartbeat.objects.create(
        name="deliver_webhooks@host:2",
        kind="deliver_webhooks",
        started_at=now - timedelta(days=3),
        last_run_at=now - timedelta(hours=23),
    )

    heartbeat_record("deliver_webhooks@host:3", kind="deliver_webhooks", started_at=now, ok=True)

    assert sorted(WorkerHeartbeat.objects.values_list("name", flat=True)) == [
        "deliver_webhooks@host:2",
        "deliver_webhooks@host:3",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_pass_that_fails_for_another_reason_is_logged_with_its_traceback_and_retried(caplog):
    calls = []

    def broken() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("a bug in the pass")

    loop = WorkerLoop("publish_scheduled", broken, interval=1)

    assert loop.run_one_pass() == 2
    assert loop.run_one_pass() == 1
    failed = [r for r in caplog.records if "a pass failed" in r.getMessage()]
    assert len(failed) == 1
    assert failed[0].exc_info is not None
    assert WorkerHeartbeat.objects.get().consecutive_failures == 0


def test_metrics_take_either_token_while_one_is_rotated(settings, db):
    settings.METRICS_TOKEN = "new-scrape-token,old-scrape-token"
    client = Client()

    answers = [
        client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        for token in ("new-scrape-token", "old-scrape-token", "neither")
    ]

    assert answers == [200, 200, 401]


@pytest.mark.django_db(transaction=True)
def test_a_looping_worker_looks_for_forgotten_rows_on_its_first_beat_not_on_every_one():
    def old_row(name: str) -> None:
        WorkerHeartbeat.objects.create(
            name=name,
            kind="deliver_webhooks",
            started_at=timezone.now() - timedelta(days=3),
            last_run_at=timezone.now() - timedelta(days=2),
        )

    loop = WorkerLoop("deliver_webhooks", lambda: None, interval=1)
    old_row("deliver_webhooks@host:gone-before")
    loop.run_one_pass()
    old_row("deliver_webhooks@host:gone-since")
    loop.run_one_pass()

    # The second old row waits for the loop's next look, ten minutes on.
    assert set(WorkerHeartbeat.objects.values_list("name", flat=True)) == {
        "deliver_webhooks@host:gone-since",
        loop.name,
    }
