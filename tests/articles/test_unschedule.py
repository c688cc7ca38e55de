"""A publisher cancels a schedule (`revision_unschedule`, the API's `cancel-schedule`): the
revision is approved again, nothing goes live at the time it had, and the trail says when
that time was."""

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role, User
from delivery.models import PublishedDocument
from delivery.rendering import iso
from tests.articles.test_publishing_workflow import revision_in_state
from tests.conftest import revision_url
from tests.publishing_helpers import AT, approve, create_article, latest

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(editor: User, reviewer: User, publisher: User) -> tuple[Revision, datetime]:
    """An approved first revision, scheduled for tomorrow; and its time."""
    article = create_article(editor=editor, slug="cataract", title="Before cataract surgery")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    publish_at = timezone.now() + timedelta(days=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    revision.refresh_from_db()
    return revision, publish_at


def events(article: Article) -> list[str]:
    return list(
        AuditEvent.objects.filter(article=article).order_by("seq").values_list("action", flat=True)
    )


# ------------------------------------------------------------------------------
# The transition
# ------------------------------------------------------------------------------
def test_a_cancelled_schedule_is_approved_again_with_one_audit_event(scheduled, publisher):
    revision, publish_at = scheduled
    before = events(revision.article)

    workflow.revision_unschedule(actor=publisher, revision=revision, comment="Not yet.", via="web")

    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert revision.publish_at is None
    assert events(revision.article) == [*before, AuditAction.SCHEDULE_CANCELLED]
    event = AuditEvent.objects.filter(article=revision.article).latest("seq")
    assert event.actor == publisher
    assert event.comment == f"Not yet.\nWas scheduled to go live at {iso(publish_at)}."
    assert event.details["via"] == "web"


def test_nothing_goes_live_when_the_cancelled_time_comes(scheduled, publisher):
    revision, publish_at = scheduled

    workflow.revision_unschedule(actor=publisher, revision=revision)

    assert workflow.scheduled_publish_due(now=publish_at + timedelta(minutes=1)) == []
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert not PublishedDocument.objects.exists()


def test_a_cancelled_schedule_may_be_published_or_scheduled_again(scheduled, publisher):
    revision, _ = scheduled
    workflow.revision_unschedule(actor=publisher, revision=revision)

    workflow.revision_publish(actor=publisher, revision=revision)

    revision.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    assert PublishedDocument.objects.filter(article=revision.article).exists()


@pytest.mark.parametrize("state", list(RevisionState))
@pytest.mark.parametrize("role", list(Role))
def test_cancel_schedule_follows_the_transition_matrix(api, make_staff, staff, state, role):
    revision = revision_in_state(state, staff)
    actor = make_staff(role, username=f"actor-{role.value}")
    before = AuditEvent.objects.count()

    response = api(actor).post(
        revision_url(revision.article, revision.number, "cancel-schedule"), {"comment": "No."}
    )

    revision.refresh_from_db()
    if role not in (Role.PUBLISHER, Role.ADMIN):
        assert response.status_code == 403, response.json()
        assert revision.state == state
    elif state != RevisionState.SCHEDULED:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "invalid-transition"
        assert revision.state == state
    else:
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == revision.state == RevisionState.APPROVED
        assert revision.publish_at is None
    assert AuditEvent.objects.count() == before + (1 if response.status_code == 200 else 0)


def test_the_clock_still_cancels_only_what_can_never_go_live():
    """Two rows, two jobs: the clock's has no roles, the publisher's needs one."""
    assert workflow.CANCEL_SCHEDULE.roles == ()
    assert workflow.UNSCHEDULE.roles == (Role.PUBLISHER,)
    assert workflow.TRANSITIONS["cancel-schedule"] is workflow.UNSCHEDULE


# ------------------------------------------------------------------------------
# The API
# ------------------------------------------------------------------------------
def test_the_api_cancels_a_schedule(api, scheduled, publisher):
    revision, _ = scheduled

    response = api(publisher).post(
        revision_url(revision.article, revision.number, "cancel-schedule"),
        {"comment": "Waiting for the new guideline."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == RevisionState.APPROVED
    assert body["publish_at"] is None
    assert response["ETag"]
    event = AuditEvent.objects.filter(article=revision.article).latest("seq")
    assert event.action == AuditAction.SCHEDULE_CANCELLED
    assert event.comment.startswith("Waiting for the new guideline.\n")
    assert "via" not in event.details


def test_the_api_needs_no_comment(api, scheduled, publisher):
    revision, _ = scheduled
    response = api(publisher).post(
        revision_url(revision.article, revision.number, "cancel-schedule")
    )
    assert response.status_code == 200, response.json()


def test_the_api_answers_409_when_nothing_is_scheduled(api, scheduled, publisher):
    revision, _ = scheduled
    workflow.revision_unschedule(actor=publisher, revision=revision)

    response = api(publisher).post(
        revision_url(revision.article, revision.number, "cancel-schedule")
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid-transition"
    assert re.fullmatch(
        r"Revision 1 is approved; its schedule was cancelled "
        + AT
        + r"\. Nothing is left to decide; a publisher can put it "
        r"live\. Only a scheduled revision can have its schedule cancelled\.",
        response.json()["detail"],
    )


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_the_api_refuses_anyone_but_a_publisher_with_403(
    api, scheduled, make_staff: Callable[..., User], role
):
    revision, _ = scheduled

    response = api(make_staff(role, username="not-a-publisher")).post(
        revision_url(revision.article, revision.number, "cancel-schedule")
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not-allowed"
    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED


def test_the_api_answers_404_for_a_revision_that_is_not_there(api, scheduled, publisher):
    revision, _ = scheduled
    response = api(publisher).post(revision_url(revision.article, 99, "cancel-schedule"))
    assert response.status_code == 404
