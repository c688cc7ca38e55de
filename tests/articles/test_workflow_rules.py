"""Rules of the workflow module that each need a test of their own (each fails without it)."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles import services, workflow
from articles.errors import InvalidTransition, NotAllowed, StaleRevision
from articles.locking import article_lock
from articles.models import AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role
from delivery.models import ChangeEvent
from tests.db_guards import guards_lifted
from tests.publishing_helpers import (
    approve,
    create_article,
    latest,
    make_live,
    new_revision,
    publish,
)


@pytest.mark.parametrize("missing", ["display_name", "credentials"])
def test_a_reviewer_without_a_name_and_credentials_cannot_sign_off(make_staff, editor, missing):
    profile = {"display_name": "Dr. Lee", "credentials": "MD", missing: ""}
    unnamed = make_staff(Role.REVIEWER, username="unnamed", **profile)
    draft = latest(create_article(editor=editor, slug="unsigned"))
    workflow.revision_submit(actor=editor, revision=draft)

    with pytest.raises(NotAllowed, match="display name and credentials"):
        workflow.revision_approve(actor=unnamed, revision=draft)

    draft.refresh_from_db()
    assert draft.state == RevisionState.IN_REVIEW


def test_a_reviewer_without_credentials_cannot_recertify(make_staff, editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="recert")
    unnamed = make_staff(Role.REVIEWER, username="unnamed", display_name="Dr. Lee", credentials="")

    with pytest.raises(NotAllowed, match="display name and credentials"):
        workflow.article_certify_review(actor=unnamed, article=article)


def test_a_draft_that_is_no_longer_the_latest_cannot_be_edited(editor, other_editor):
    article = create_article(editor=editor, slug="overtaken")
    draft = latest(article)
    new_revision(article, editor=other_editor)  # revision 2, written from the draft

    with pytest.raises(StaleRevision, match="no longer the latest"):
        services.revision_edit(
            actor=editor, revision=draft, expected_version=draft.version, changes={"title": "X"}
        )

    draft.refresh_from_db()
    assert draft.title != "X"


@pytest.fixture
def overtaken(editor, other_editor, reviewer, publisher):
    """Revision 2 in review while revision 3, written from it, goes live; then 2 is approved."""
    article = create_article(editor=editor, slug="overtaken")
    approve(latest(article), editor=editor, reviewer=reviewer)
    two = new_revision(article, editor=other_editor)
    workflow.revision_submit(actor=other_editor, revision=two)
    three = new_revision(article, editor=editor, body="Newer words.\n")
    approve(three, editor=editor, reviewer=reviewer)
    publish(three, publisher=publisher)
    return workflow.revision_approve(actor=reviewer, revision=two)


def test_publishing_a_revision_older_than_the_live_one_is_refused(overtaken, publisher):
    events = ChangeEvent.objects.count()

    with pytest.raises(InvalidTransition, match="older than the live revision 3"):
        workflow.revision_publish(actor=publisher, revision=overtaken)

    overtaken.refresh_from_db()
    assert overtaken.state == RevisionState.APPROVED
    assert ChangeEvent.objects.count() == events


def test_scheduling_a_revision_older_than_the_live_one_is_refused(overtaken, publisher):
    with pytest.raises(InvalidTransition, match="older than the live revision 3"):
        workflow.revision_schedule(
            actor=publisher, revision=overtaken, publish_at=timezone.now() + timedelta(hours=1)
        )

    overtaken.refresh_from_db()
    assert overtaken.state == RevisionState.APPROVED


def test_a_scheduled_revision_that_can_never_go_live_is_approved_again_and_logged(
    editor, reviewer, publisher, caplog
):
    article = create_article(editor=editor, slug="hopeless")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    publish_at = timezone.now() + timedelta(hours=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    # Its approval forged to its own author, past the database's guard: it can never go live.
    with guards_lifted():
        Revision.objects.filter(pk=revision.pk).update(approved_by=editor)

    with caplog.at_level(logging.WARNING, logger="articles.workflow"):
        outcomes = workflow.scheduled_run(now=publish_at + timedelta(seconds=1))

    assert [r.pk for r in outcomes[workflow.GoLive.CANCELLED]] == [revision.pk]
    revision.refresh_from_db()
    assert (revision.state, revision.publish_at) == (RevisionState.APPROVED, None)
    event = AuditEvent.objects.filter(article=article).order_by("seq").last()
    assert event.action == AuditAction.SCHEDULE_CANCELLED
    assert "no approval by a reviewer who wrote none of it" in event.comment
    assert "can never go live" in caplog.text
    # Not retried: nothing is due any more.
    assert workflow.scheduled_run(now=publish_at + timedelta(minutes=5)) == {
        outcome: [] for outcome in workflow.GoLive
    }


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_does_not_wait_behind_someone_holding_the_article(
    editor, reviewer, publisher
):
    article = create_article(editor=editor, slug="held")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    publish_at = timezone.now() + timedelta(hours=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                # An editor's transaction on the same article (SQLite: any writer).
                article_lock(article.pk)
                held.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(timeout=10)
    try:
        if connection.vendor == "postgresql":
            outcome = workflow.scheduled_go_live(revision, now=publish_at + timedelta(seconds=1))
            # Skipped at once, not after the other transaction ends: it is taken, for now.
            assert outcome is workflow.GoLive.TAKEN
            assert not release.is_set()
    finally:
        release.set()
        holder.join(timeout=10)

    # Once the holder is gone, the next run publishes it (SQLite: its one writer at a time
    # means the scheduler always queued behind the holder).
    outcome = workflow.scheduled_go_live(revision, now=publish_at + timedelta(seconds=1))
    assert outcome is workflow.GoLive.PUBLISHED


def test_a_publication_gives_the_article_a_new_etag(api, editor, reviewer, publisher):
    article = create_article(editor=editor, slug="etagged")
    approve(latest(article), editor=editor, reviewer=reviewer)
    client = api(editor)
    url = f"/api/v1/manage/articles/{article.pk}/"
    before = client.get(url)["ETag"]

    publish(latest(article), publisher=publisher)
    again = client.get(url, HTTP_IF_NONE_MATCH=before)

    assert again.status_code == 200
    assert again.json()["status"] == "published"
    assert again["ETag"] != before


def test_submitting_records_when_the_revision_went_to_review(api, editor, clock):
    draft = latest(create_article(editor=editor, slug="stamped"))

    workflow.revision_submit(actor=editor, revision=draft)

    shown = api(editor).get(f"/api/v1/manage/articles/{draft.article_id}/revisions/1/").json()
    assert shown["submitted_at"] == clock.now.isoformat().replace("+00:00", "Z")
