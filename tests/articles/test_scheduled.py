"""Scheduled publication: a scheduled revision goes live on time, once, with nobody acting.

The clock is moved by passing `now` to `workflow.scheduled_publish_due` (or by patching
`timezone.now` for the management command); nothing here sleeps.
"""

import signal
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import publication, workflow
from articles.models import Article, ArticleStatus, AuditEvent, Revision, RevisionState
from contentapi.checkpoints import checkpoint_write
from contentapi.models import CheckpointReason, User
from delivery import rendering
from delivery.models import ChangeEvent, PublishedDocument
from delivery.rendering import RenderedDocument
from tests.conftest import revision_url
from tests.publishing_helpers import (
    approve,
    approved_revision,
    create_article,
    latest,
    make_live,
    publish,
)
from tests.racing import race


@pytest.fixture
def schedule(
    editor: User, reviewer: User, publisher: User
) -> Callable[..., tuple[Article, Revision, datetime]]:
    """Make a new article with an approved revision scheduled `in_` from now."""

    def make(slug: str, in_: timedelta = timedelta(hours=1)) -> tuple[Article, Revision, datetime]:
        article = create_article(editor=editor, slug=slug, title=f"About {slug}")
        revision = approve(latest(article), editor=editor, reviewer=reviewer)
        publish_at = timezone.now() + in_
        workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
        revision.refresh_from_db()
        return article, revision, publish_at

    return make


def is_live(api: Any, headers: dict[str, str], slug: str) -> bool:
    response = api().get(f"/api/v1/articles/{slug}/", **headers)
    assert response.status_code in (200, 404), response.content
    return response.status_code == 200


def listed_slugs(api: Any, headers: dict[str, str]) -> set[str]:
    response = api().get("/api/v1/articles/?page_size=100", **headers)
    assert response.status_code == 200
    return {item["slug"] for item in response.json()["results"]}


@pytest.fixture
def restore_signal_handlers() -> Iterator[None]:
    """`publish_scheduled` installs SIGINT/SIGTERM handlers; put pytest's back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# ------------------------------------------------------------------------------
# Scheduling
# ------------------------------------------------------------------------------
def test_scheduling_in_the_past_is_refused_with_400(api, editor, reviewer, publisher):
    article = create_article(editor=editor, slug="late")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    audits_before = AuditEvent.objects.count()

    response = api(publisher).post(
        revision_url(article, 1, "publish"),
        {"publish_at": (timezone.now() - timedelta(minutes=1)).isoformat()},
    )

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert [error["field"] for error in body["errors"]] == ["publish_at"]
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert revision.publish_at is None
    assert AuditEvent.objects.count() == audits_before


def test_scheduling_in_the_future_keeps_the_article_off_delivery(
    api, publisher, schedule, delivery_headers
):
    _, revision, publish_at = schedule("soon")

    assert revision.state == RevisionState.SCHEDULED
    assert revision.publish_at == publish_at
    assert revision.scheduled_by == publisher
    assert not is_live(api, delivery_headers, "soon")
    assert listed_slugs(api, delivery_headers) == set()
    assert not ChangeEvent.objects.exists()
    assert not PublishedDocument.objects.exists()
    assert api().get("/api/v1/changes/", **delivery_headers).json()["results"] == []


def test_nothing_goes_live_before_its_time(api, schedule, delivery_headers):
    _, revision, publish_at = schedule("soon")

    assert workflow.scheduled_publish_due(now=publish_at - timedelta(seconds=1)) == []

    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED
    assert not is_live(api, delivery_headers, "soon")


def test_a_due_revision_goes_live_with_one_audit_event_and_one_change_event(
    api, publisher, schedule, delivery_headers
):
    article, revision, publish_at = schedule("soon")
    now = publish_at + timedelta(seconds=1)

    published = workflow.scheduled_publish_due(now=now)

    assert [r.pk for r in published] == [revision.pk]
    revision.refresh_from_db()
    article.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    assert revision.published_at == now
    assert revision.publish_at is None
    assert article.status == ArticleStatus.PUBLISHED
    assert article.live_revision_id == revision.pk
    assert article.first_published_at == article.last_updated_at == now
    events = list(AuditEvent.objects.filter(article=article, action="published"))
    assert len(events) == 1
    assert (events[0].actor, events[0].revision_id) == (publisher, revision.pk)
    changes = list(ChangeEvent.objects.all())
    assert [(c.event, c.slug, c.at) for c in changes] == [("published", "soon", now)]
    doc = api().get("/api/v1/articles/soon/", **delivery_headers).json()
    assert doc["revision"] == 1
    assert doc["last_updated_at"] == rendering.iso(now)
    assert listed_slugs(api, delivery_headers) == {"soon"}


def test_a_scheduled_update_supersedes_the_live_revision_and_is_an_update(
    api, editor, reviewer, publisher, delivery_headers
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="live")
    first_published = article.first_published_at
    revision = approved_revision(article, editor=editor, reviewer=reviewer, title="Updated")
    publish_at = timezone.now() + timedelta(days=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    assert api().get("/api/v1/articles/live/", **delivery_headers).json()["revision"] == 1
    last_change = ChangeEvent.objects.latest("id").id

    workflow.scheduled_publish_due(now=publish_at + timedelta(seconds=1))

    article.refresh_from_db()
    assert article.live_revision_id == revision.pk
    assert article.first_published_at == first_published
    assert Revision.objects.get(article=article, number=1).state == RevisionState.SUPERSEDED
    assert list(ChangeEvent.objects.filter(id__gt=last_change).values_list("event", flat=True)) == [
        "updated"
    ]
    doc = api().get("/api/v1/articles/live/", **delivery_headers).json()
    assert (doc["revision"], doc["title"]) == (2, "Updated")


def test_running_the_scheduler_twice_publishes_once(schedule):
    article, revision, publish_at = schedule("once")
    now = publish_at + timedelta(seconds=1)

    first = workflow.scheduled_publish_due(now=now)
    second = workflow.scheduled_publish_due(now=now + timedelta(minutes=1))

    assert [r.pk for r in first] == [revision.pk]
    assert second == []
    assert AuditEvent.objects.filter(article=article, action="published").count() == 1
    assert ChangeEvent.objects.filter(article=article).count() == 1


def test_a_revision_rescheduled_meanwhile_is_not_published_at_its_old_time(publisher, schedule):
    _, revision, publish_at = schedule("moved")
    stale = Revision.objects.get(pk=revision.pk)  # what a worker listed before the change
    later = publish_at + timedelta(days=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=later)

    outcome = workflow.scheduled_go_live(stale, now=publish_at + timedelta(seconds=1))

    assert outcome is workflow.GoLive.TAKEN

    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED
    assert revision.publish_at == later
    assert not ChangeEvent.objects.exists()
    assert [r.pk for r in workflow.scheduled_publish_due(now=later)] == [revision.pk]


def test_a_scheduled_revision_published_early_by_hand_is_not_published_again(publisher, schedule):
    article, revision, publish_at = schedule("early")
    publish(revision, publisher=publisher)

    assert workflow.scheduled_publish_due(now=publish_at + timedelta(seconds=1)) == []

    assert AuditEvent.objects.filter(article=article, action="published").count() == 1
    assert ChangeEvent.objects.filter(article=article).count() == 1


def test_one_failing_revision_does_not_stop_the_others(api, schedule, delivery_headers):
    broken_article, broken, _ = schedule("broken", timedelta(minutes=10))
    _, fine, _ = schedule("fine", timedelta(minutes=20))
    _, also_fine, last_at = schedule("also-fine", timedelta(minutes=30))
    real_render = publication.live_document_render

    def render_or_fail(article: Article) -> RenderedDocument:
        if article.slug == "broken":
            raise RuntimeError("renderer crashed")
        return real_render(article)

    with mock.patch("articles.publication.live_document_render", side_effect=render_or_fail):
        published = workflow.scheduled_publish_due(now=last_at + timedelta(seconds=1))

    assert [r.pk for r in published] == [fine.pk, also_fine.pk]
    broken.refresh_from_db()
    broken_article.refresh_from_db()
    assert broken.state == RevisionState.SCHEDULED
    assert broken_article.status == ArticleStatus.DRAFT
    assert not ChangeEvent.objects.filter(article=broken_article).exists()
    assert not AuditEvent.objects.filter(article=broken_article, action="published").exists()
    assert listed_slugs(api, delivery_headers) == {"fine", "also-fine"}

    # Once the fault is gone, the next run catches up.
    again = workflow.scheduled_publish_due(now=last_at + timedelta(minutes=1))
    assert [r.pk for r in again] == [broken.pk]
    assert is_live(api, delivery_headers, "broken")


# The command closes stale connections first, which would close the test's own
# transaction; these tests therefore run with real commits.
@pytest.mark.django_db(transaction=True)
def test_the_publish_scheduled_command_publishes_due_revisions(
    api, schedule, delivery_headers, restore_signal_handlers
):
    _, due, due_at = schedule("due", timedelta(minutes=5))
    _, later, _ = schedule("later", timedelta(days=3))
    out = StringIO()

    with mock.patch("django.utils.timezone.now", return_value=due_at + timedelta(seconds=1)):
        call_command("publish_scheduled", stdout=out)

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == RevisionState.PUBLISHED
    assert later.state == RevisionState.SCHEDULED
    assert "due" in out.getvalue()
    assert "Published" in out.getvalue()
    assert listed_slugs(api, delivery_headers) == {"due"}


@pytest.mark.django_db(transaction=True)
def test_the_publish_scheduled_command_does_nothing_when_nothing_is_due(
    schedule, restore_signal_handlers
):
    _, revision, _ = schedule("later", timedelta(days=3))
    checkpoint_write(CheckpointReason.INTERVAL)  # the audit trail as it stands is signed
    out = StringIO()

    call_command("publish_scheduled", stdout=out)

    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED
    assert out.getvalue() == ""
    assert not ChangeEvent.objects.exists()


# ------------------------------------------------------------------------------
# Several workers at once
# ------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_schedulers_running_in_parallel_publish_each_revision_once(schedule):
    scheduled = [schedule(f"parallel-{i}", timedelta(minutes=i + 1)) for i in range(5)]
    now = max(publish_at for _, _, publish_at in scheduled) + timedelta(seconds=1)
    results = race(4, lambda _: [r.pk for r in workflow.scheduled_publish_due(now=now)])
    assert all(isinstance(result, list) for result in results), results
    published = [pk for result in results for pk in result]
    assert sorted(published) == sorted(revision.pk for _, revision, _ in scheduled)
    for article, _, _ in scheduled:
        assert AuditEvent.objects.filter(article=article, action="published").count() == 1
        assert ChangeEvent.objects.filter(article=article).count() == 1
    assert PublishedDocument.objects.count() == 5


# ------------------------------------------------------------------------------
# Schedules that can never go live
# ------------------------------------------------------------------------------
def test_scheduling_a_revision_older_than_the_live_one_is_a_conflict(
    api, editor, reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="older")
    older = approved_revision(article, editor=editor, reviewer=reviewer, title="Second")
    newer = approved_revision(article, editor=editor, reviewer=reviewer, title="Third")
    publish(newer, publisher=publisher)
    audits_before = AuditEvent.objects.count()

    response = api(publisher).post(
        revision_url(article, older.number, "publish"),
        {"publish_at": (timezone.now() + timedelta(hours=1)).isoformat()},
    )

    # Publishing it now is a 409; scheduling it must be too, or it waits for a time at
    # which it can never go live.
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    older.refresh_from_db()
    # Publishing revision 3 superseded the older approved revision 2: it can never go live.
    assert older.state == RevisionState.SUPERSEDED
    assert older.publish_at is None
    assert AuditEvent.objects.count() == audits_before


def test_a_schedule_overtaken_by_a_newer_publication_does_not_stay_due_forever(
    api, editor, reviewer, publisher, delivery_headers
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="overtaken")
    pending = approved_revision(article, editor=editor, reviewer=reviewer, title="Pending")
    publish_at = timezone.now() + timedelta(hours=1)
    workflow.revision_schedule(actor=publisher, revision=pending, publish_at=publish_at)
    newer = approved_revision(article, editor=editor, reviewer=reviewer, title="Newer")
    publish(newer, publisher=publisher)
    now = publish_at + timedelta(seconds=1)

    workflow.scheduled_publish_due(now=now)

    article.refresh_from_db()
    assert article.live_revision_id == newer.pk
    assert api().get("/api/v1/articles/overtaken/", **delivery_headers).json()["title"] == "Newer"
    # Revision 2 can never go live now (revision 3 is newer): it must not be left
    # "scheduled" and due, shown to staff as pending and retried by every scheduler run.
    pending.refresh_from_db()
    assert pending.state != RevisionState.SCHEDULED
    assert not Revision.objects.filter(state=RevisionState.SCHEDULED, publish_at__lte=now).exists()
