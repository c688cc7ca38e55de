"""The publishers' page through Django's test client: publish now, schedule on the hospital's
clocks (daylight-saving changes included), cancel a schedule and take a live article down,
each through the workflow with its own refusals and a `via: web` audit event."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionState,
)
from contentapi.models import Role, User
from delivery.models import PublishedDocument
from tests.publishing_helpers import (
    AT,
    approve,
    approved_revision,
    create_article,
    latest,
    make_live,
)

pytestmark = pytest.mark.django_db

PAGE = "/review/publish/"
CHICAGO = "America/Chicago"


def page(response: Any) -> str:
    return response.content.decode()


def action_url(revision: Revision, action: str) -> str:
    return f"/review/publish/articles/{revision.article_id}/revisions/{revision.number}/{action}/"


def take_down_url(article: Article) -> str:
    return f"/review/publish/articles/{article.pk}/take-down/"


def last_event(article: Article) -> AuditEvent:
    return AuditEvent.objects.filter(article=article).latest("seq")


def nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def next_year() -> int:
    return timezone.now().year + 1


@pytest.fixture
def approved(editor: User, reviewer: User) -> Revision:
    """An approved first revision of an article never live: waiting for a publisher."""
    article = create_article(editor=editor, slug="hip-recovery", title="After a hip replacement")
    return approve(latest(article), editor=editor, reviewer=reviewer)


@pytest.fixture
def chicago(settings: Any) -> ZoneInfo:
    settings.TIME_ZONE = CHICAGO
    return ZoneInfo(CHICAGO)


@pytest.fixture
def as_publisher(signed_in: Callable[[User], Client], publisher: User) -> Client:
    return signed_in(publisher)


# ------------------------------------------------------------------------------
# Who may
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
@pytest.mark.parametrize("action", ["publish", "schedule", "cancel-schedule", "take-down"])
def test_only_a_publisher_may_post_anything_here(
    signed_in, make_staff, approved, live_article, publisher, role, action
):
    workflow.revision_schedule(
        actor=publisher, revision=approved, publish_at=timezone.now() + timedelta(days=1)
    )
    someone = make_staff(role, username=f"not-a-publisher-{role.value}")
    url = take_down_url(live_article) if action == "take-down" else action_url(approved, action)
    events_before = AuditEvent.objects.count()

    response = signed_in(someone).post(
        url, {"date": "2099-01-05", "time": "09:00", "reason": "Out of date."}
    )

    assert response.status_code == 403
    # The role check of these pages, before the workflow's own.
    assert "this page is for users with the publisher (or admin) role" in page(response)
    assert AuditEvent.objects.count() == events_before
    approved.refresh_from_db()
    live_article.refresh_from_db()
    assert approved.state == RevisionState.SCHEDULED
    assert live_article.status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_the_page_is_for_publishers(signed_in, make_staff, role):
    response = signed_in(make_staff(role, username="someone")).get(PAGE)
    assert response.status_code == 403


def test_an_admin_may_publish_from_the_page(signed_in, admin, approved):
    response = signed_in(admin).post(action_url(approved, "publish"))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == RevisionState.PUBLISHED


def test_every_form_carries_a_csrf_token(
    as_publisher, approved, live_article, editor, reviewer, publisher
):
    other = approved_revision(live_article, editor=editor, reviewer=reviewer)
    workflow.revision_schedule(
        actor=publisher, revision=other, publish_at=timezone.now() + timedelta(days=1)
    )
    body = page(as_publisher.get(PAGE, {"q": ""}))
    posts = body.count('method="post"')
    # publish now + schedule, cancel the schedule, take down, and sign out.
    assert posts == 5
    assert body.count('name="csrfmiddlewaretoken"') == posts


# ------------------------------------------------------------------------------
# Waiting to go live
# ------------------------------------------------------------------------------
def test_approved_revisions_are_listed_oldest_approval_first_with_their_approver(
    clock, as_publisher, editor, reviewer
):
    later = create_article(editor=editor, slug="shoulder", title="After shoulder surgery")
    clock.advance(hours=1)
    earlier = create_article(editor=editor, slug="hip", title="After a hip replacement")
    approve(latest(earlier), editor=editor, reviewer=reviewer)
    clock.advance(hours=2)
    approve(latest(later), editor=editor, reviewer=reviewer)

    body = page(as_publisher.get(PAGE))

    assert body.index("After a hip replacement") < body.index("After shoulder surgery")
    assert "Dr. Mei Chen" in body
    assert "1 Jan 2030, 10:00 UTC" in body
    assert "1 Jan 2030, 12:00 UTC" in body
    assert body.count('Publish revision 1<span class="sr-only">') == 2


def test_the_page_says_which_time_zone_it_works_in(as_publisher, chicago):
    body = page(as_publisher.get(PAGE))
    assert "America/Chicago (C" in body  # CST or CDT, whichever holds now
    assert re.search(r"UTC\u2212(05|06):00", body)


def test_publish_now_puts_it_live_with_a_web_audit_event(as_publisher, approved):
    assert not PublishedDocument.objects.filter(article_id=approved.article_id).exists()

    response = as_publisher.post(action_url(approved, "publish"))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    approved.refresh_from_db()
    assert approved.state == RevisionState.PUBLISHED
    document = PublishedDocument.objects.get(article_id=approved.article_id)
    assert document.revision_number == 1
    event = last_event(approved.article)
    assert event.action == AuditAction.PUBLISHED
    assert event.details["via"] == "web"
    followed = page(as_publisher.get(PAGE))
    assert "Published revision 1 of “After a hip replacement”. Readers see it now." in followed


def test_publishing_what_is_already_live_is_refused_in_the_workflows_words(
    as_publisher, approved, publisher
):
    workflow.revision_publish(actor=publisher, revision=approved)

    response = as_publisher.post(action_url(approved, "publish"))

    assert response.status_code == 409
    assert re.search(
        r"[^<>]+ put revision 1 live " + AT + r"\. Nothing is left to decide: it is what readers "
        r"see\. Only an approved revision can go live\.",
        page(response),
    )


# ------------------------------------------------------------------------------
# Scheduling on the hospital's clocks
# ------------------------------------------------------------------------------
def test_a_schedule_is_taken_on_the_hospitals_clocks_and_stored_in_utc(
    as_publisher, approved, chicago, publisher
):
    year = next_year()

    response = as_publisher.post(
        action_url(approved, "schedule"), {"date": f"{year}-07-01", "time": "09:30"}
    )

    assert response.status_code == 302, page(response)
    approved.refresh_from_db()
    assert approved.state == RevisionState.SCHEDULED
    # 09:30 Central Daylight Time is 14:30 UTC.
    assert approved.publish_at == datetime(year, 7, 1, 14, 30, tzinfo=UTC)
    assert approved.scheduled_by == publisher
    event = last_event(approved.article)
    assert event.action == AuditAction.SCHEDULED
    assert event.details["via"] == "web"
    followed = page(as_publisher.get(PAGE))
    weekday = f"{date(year, 7, 1):%A}"
    assert f"to go live on {weekday} 1 July {year} at 09:30 CDT (America/Chicago)." in followed
    assert f"1 July {year}, 09:30 CDT" in followed  # in the scheduled list, Chicago's time
    assert "Scheduled by" in followed


def test_a_winter_schedule_takes_standard_time(as_publisher, approved, chicago):
    year = next_year()
    as_publisher.post(action_url(approved, "schedule"), {"date": f"{year}-01-15", "time": "09:30"})
    approved.refresh_from_db()
    assert approved.publish_at == datetime(year, 1, 15, 15, 30, tzinfo=UTC)


def test_a_time_in_the_past_is_refused_with_the_workflows_message_and_kept(
    as_publisher, approved, chicago
):
    yesterday = (timezone.now().astimezone(chicago) - timedelta(days=1)).date()
    events_before = AuditEvent.objects.count()

    response = as_publisher.post(
        action_url(approved, "schedule"), {"date": yesterday.isoformat(), "time": "08:15"}
    )

    assert response.status_code == 400
    body = page(response)
    assert "Must be in the future; leave it out to publish now." in body
    assert f'value="{yesterday.isoformat()}"' in body
    assert 'value="08:15"' in body
    assert 'aria-invalid="true" aria-describedby="error zone-note"' in body
    assert f'href="#schedule-{approved.pk}"' in body
    approved.refresh_from_db()
    assert approved.state == RevisionState.APPROVED
    assert AuditEvent.objects.count() == events_before


def test_a_time_the_clocks_skip_is_refused_in_words(as_publisher, approved, chicago):
    spring_forward = nth_sunday(next_year(), 3, 2)

    response = as_publisher.post(
        action_url(approved, "schedule"), {"date": spring_forward.isoformat(), "time": "02:30"}
    )

    assert response.status_code == 400
    body = page(response)
    assert "02:30 on" in body
    assert "does not exist in America/Chicago: the clocks go forward an hour then." in body
    assert f'value="{spring_forward.isoformat()}"' in body
    approved.refresh_from_db()
    assert approved.state == RevisionState.APPROVED


def test_a_time_the_clocks_show_twice_is_refused_in_words(as_publisher, approved, chicago):
    fall_back = nth_sunday(next_year(), 11, 1)

    response = as_publisher.post(
        action_url(approved, "schedule"), {"date": fall_back.isoformat(), "time": "01:30"}
    )

    assert response.status_code == 400
    assert "happens twice in America/Chicago: the clocks go back an hour then" in page(response)
    approved.refresh_from_db()
    assert approved.state == RevisionState.APPROVED


def test_the_hour_after_the_clocks_go_back_is_taken(as_publisher, approved, chicago):
    fall_back = nth_sunday(next_year(), 11, 1)
    as_publisher.post(
        action_url(approved, "schedule"), {"date": fall_back.isoformat(), "time": "02:30"}
    )
    approved.refresh_from_db()
    assert approved.publish_at == datetime.combine(fall_back, time(8, 30), tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ({"date": "", "time": "09:00"}, "Give the date it should go live."),
        ({"date": "2099-02-30", "time": "09:00"}, "Give the date as year-month-day"),
        ({"date": "2099-02-03", "time": "25:00"}, "Give the time as hours:minutes"),
        ({"date": "9999-12-31", "time": "23:00"}, "That date is too far ahead."),
    ],
)
def test_a_date_or_time_that_is_not_one_is_refused(as_publisher, approved, chicago, typed, says):
    response = as_publisher.post(action_url(approved, "schedule"), typed)
    assert response.status_code == 400
    assert says in page(response)


def test_scheduled_from_the_page_it_goes_live_by_the_clock(
    as_publisher, approved, chicago, publisher
):
    year = next_year()
    as_publisher.post(action_url(approved, "schedule"), {"date": f"{year}-07-01", "time": "09:30"})
    publish_at = datetime(year, 7, 1, 14, 30, tzinfo=UTC)

    assert workflow.scheduled_publish_due(now=publish_at - timedelta(seconds=1)) == []
    published = workflow.scheduled_publish_due(now=publish_at + timedelta(seconds=1))

    assert [revision.pk for revision in published] == [approved.pk]
    document = PublishedDocument.objects.get(article_id=approved.article_id)
    assert document.revision_number == approved.number
    event = last_event(approved.article)
    assert event.action == AuditAction.PUBLISHED
    assert event.actor == publisher


# ------------------------------------------------------------------------------
# Scheduled
# ------------------------------------------------------------------------------
def test_scheduled_revisions_are_listed_soonest_first_with_when_and_by_whom(
    as_publisher, editor, reviewer, publisher, approved
):
    later = create_article(editor=editor, slug="shoulder", title="After shoulder surgery")
    approve(latest(later), editor=editor, reviewer=reviewer)
    now = timezone.now()
    workflow.revision_schedule(
        actor=publisher, revision=latest(later), publish_at=now + timedelta(days=1, hours=1)
    )
    workflow.revision_schedule(
        actor=publisher, revision=approved, publish_at=now + timedelta(days=3, hours=1)
    )

    body = page(as_publisher.get(PAGE))

    scheduled = body[body.index('id="scheduled-heading"') :]
    assert scheduled.index("After shoulder surgery") < scheduled.index("After a hip replacement")
    assert "in 1\xa0day" in scheduled
    assert "in 3\xa0days" in scheduled
    assert publisher.public_name in scheduled
    assert "Cancel the schedule of revision 1<span" in scheduled


def test_cancel_a_schedule_from_the_page(as_publisher, approved, publisher):
    workflow.revision_schedule(
        actor=publisher, revision=approved, publish_at=timezone.now() + timedelta(days=2)
    )

    response = as_publisher.post(action_url(approved, "cancel-schedule"))

    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == RevisionState.APPROVED
    assert approved.publish_at is None
    event = last_event(approved.article)
    assert event.action == AuditAction.SCHEDULE_CANCELLED
    assert event.details["via"] == "web"
    followed = page(as_publisher.get(PAGE))
    assert "Cancelled the schedule of revision 1 of “After a hip replacement”." in followed
    assert "Nothing is scheduled." in followed
    # Nothing goes live when its time comes.
    assert workflow.scheduled_publish_due(now=timezone.now() + timedelta(days=3)) == []


def test_cancelling_what_is_not_scheduled_is_refused_with_409(as_publisher, approved):
    events_before = AuditEvent.objects.count()

    response = as_publisher.post(action_url(approved, "cancel-schedule"))

    assert response.status_code == 409
    assert re.search(
        r"approved revision 1 " + AT + r"\. .*Only a scheduled revision can have its schedule "
        r"cancelled\.",
        page(response),
    )
    assert AuditEvent.objects.count() == events_before


# ------------------------------------------------------------------------------
# Taking a live article down
# ------------------------------------------------------------------------------
def test_live_articles_are_found_by_title_or_slug(
    as_publisher, live_article, editor, reviewer, publisher
):
    make_live(
        editor=editor,
        reviewer=reviewer,
        publisher=publisher,
        slug="glucose-a1c",
        title="Your A1C",
    )

    by_title = page(as_publisher.get(PAGE, {"q": "knee replacement"}))
    by_slug = page(as_publisher.get(PAGE, {"q": "GLUCOSE"}))
    before = page(as_publisher.get(PAGE))

    assert "Take “Recovering from knee replacement” down" in by_title
    assert "Your A1C" not in by_title
    assert "Take “Your A1C” down" in by_slug
    assert "Recovering from knee replacement" not in by_slug
    assert "Take “" not in before  # nothing to take down until someone searches


def test_at_most_twenty_are_shown_and_the_page_says_so(as_publisher, editor, reviewer, publisher):
    for n in range(21):
        make_live(
            editor=editor,
            reviewer=reviewer,
            publisher=publisher,
            slug=f"topic-{n:02d}",
            title=f"Topic {n:02d}",
        )

    body = page(as_publisher.get(PAGE, {"q": "topic"}))

    assert body.count("Why it comes down") == 20
    assert "Showing the first 20 of 21." in body
    assert "Topic 20" not in body


def test_take_down_with_a_reason(as_publisher, live_article):
    response = as_publisher.post(
        f"{take_down_url(live_article)}?q=knee", {"reason": "The surgeon's advice changed."}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?q=knee"
    live_article.refresh_from_db()
    assert live_article.status == ArticleStatus.UNPUBLISHED
    assert not PublishedDocument.objects.filter(article=live_article).exists()
    event = last_event(live_article)
    assert event.action == AuditAction.UNPUBLISHED
    assert event.comment == "The surgeon's advice changed."
    assert event.details["via"] == "web"
    followed = page(as_publisher.get(response["Location"]))
    assert "Took “Recovering from knee replacement” down." in followed
    # Back among what waits to go live, to be put back later.
    assert 'Publish revision 1<span class="sr-only">' in followed


def test_take_down_without_a_reason_is_refused(as_publisher, live_article):
    events_before = AuditEvent.objects.count()

    response = as_publisher.post(f"{take_down_url(live_article)}?q=knee", {"reason": "  "})

    assert response.status_code == 400
    body = page(response)
    assert "Give the reason for taking it down" in body
    assert f'href="#take-down-{live_article.pk}"' in body
    assert 'aria-invalid="true" aria-describedby="error"' in body
    live_article.refresh_from_db()
    assert live_article.status == ArticleStatus.PUBLISHED
    assert PublishedDocument.objects.filter(article=live_article).exists()
    assert AuditEvent.objects.count() == events_before


def test_a_refused_reason_is_kept_as_typed(as_publisher, live_article):
    typed = "Outdated advice. " * 300  # over the 5,000 characters the history keeps

    response = as_publisher.post(f"{take_down_url(live_article)}?q=knee", {"reason": typed})

    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in page(response)
    assert typed.strip() in page(response)


def test_taking_down_what_is_not_live_is_refused_in_the_workflows_words(
    as_publisher, live_article, publisher
):
    workflow.article_unpublish(actor=publisher, article=live_article, reason="Gone.")

    response = as_publisher.post(take_down_url(live_article), {"reason": "Again."})

    assert response.status_code == 409
    assert re.search(
        r"[^<>]+ took the article down " + AT + r"\. Only a live article can be taken down\.",
        page(response),
    )


# ------------------------------------------------------------------------------
# Cost
# ------------------------------------------------------------------------------
def test_the_page_costs_the_same_queries_however_much_is_listed(
    as_publisher, editor, reviewer, publisher
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_publisher.get(PAGE, {"q": ""}).status_code == 200
        return len(captured)

    def one_of_each(n: int) -> None:
        live = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug=f"live-{n}")
        approved_revision(live, editor=editor, reviewer=reviewer)
        waiting = create_article(editor=editor, slug=f"waiting-{n}")
        approve(latest(waiting), editor=editor, reviewer=reviewer)
        soon = create_article(editor=editor, slug=f"soon-{n}")
        workflow.revision_schedule(
            actor=publisher,
            revision=approve(latest(soon), editor=editor, reviewer=reviewer),
            publish_at=timezone.now() + timedelta(days=1),
        )

    one_of_each(1)
    few = queries()
    for n in range(2, 5):
        one_of_each(n)
    assert queries() == few
