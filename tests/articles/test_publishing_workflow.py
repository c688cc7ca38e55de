"""Publication: who may publish, schedule, unpublish and re-certify what, and what it records.

Covers the publish/schedule transition matrix, the article-level transitions (unpublish,
certify-review), the public dates (invariant 2), self-approval (invariant 3), superseding,
and exactly one audit event per transition and one change event per delivery change.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from articles import workflow
from articles.errors import InvalidTransition, NotAllowed
from articles.models import Article, ArticleStatus, AuditEvent, Revision, RevisionState
from contentapi.models import Role, User
from delivery.door import DeliveryChange
from delivery.models import ChangeEvent, PublishedDocument
from tests.conftest import revision_url
from tests.db_guards import guards_lifted
from tests.problems import problem_code
from tests.publishing_helpers import (
    approve,
    approved_revision,
    create_article,
    latest,
    make_live,
    new_revision,
    publish,
    publish_new_revision,
)

DETAIL_URL = "/api/v1/articles/{slug}/?locale={locale}"

# Written out by hand, not read from workflow.TRANSITIONS, so that the test checks the table.
PUBLISH_TARGET = {
    ("publish", RevisionState.APPROVED): RevisionState.PUBLISHED,
    ("publish", RevisionState.SCHEDULED): RevisionState.PUBLISHED,
    ("schedule", RevisionState.APPROVED): RevisionState.SCHEDULED,
    ("schedule", RevisionState.SCHEDULED): RevisionState.SCHEDULED,
}
PUBLISHING_ROLES = {Role.PUBLISHER, Role.ADMIN}
UNPUBLISH_TARGET = {ArticleStatus.PUBLISHED: ArticleStatus.UNPUBLISHED}
CERTIFY_TARGET = {ArticleStatus.PUBLISHED: ArticleStatus.PUBLISHED}
CERTIFYING_ROLES = {Role.REVIEWER, Role.ADMIN}


@pytest.fixture
def second_reviewer(make_staff: Callable[..., User]) -> User:
    return make_staff(
        Role.REVIEWER, username="reviewer2", display_name="Dr. Sam Okafor", credentials="DO"
    )


def counts() -> tuple[int, int]:
    return AuditEvent.objects.count(), ChangeEvent.objects.count()


def events_since(before: int) -> list[tuple[str, str, str]]:
    """(event, slug, locale) of the change events with an id above `before`, oldest first."""
    return list(
        ChangeEvent.objects.filter(id__gt=before)
        .order_by("id")
        .values_list("event", "slug", "locale")
    )


def last_change_id() -> int:
    last = ChangeEvent.objects.order_by("-id").first()
    return last.id if last else 0


def audit_actions(article: Article) -> list[str]:
    return list(AuditEvent.objects.filter(article=article).values_list("action", flat=True))


def revision_in_state(state: RevisionState, staff: dict[str, User]) -> Revision:
    """A revision brought to `state` through the real workflow (never by writing the field)."""
    editor, reviewer, publisher = staff["editor"], staff["reviewer"], staff["publisher"]
    if state in (RevisionState.PUBLISHED, RevisionState.SUPERSEDED):
        article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="live")
        if state == RevisionState.SUPERSEDED:
            publish_new_revision(
                article, editor=editor, reviewer=reviewer, publisher=publisher, title="New"
            )
        revision = Revision.objects.get(article=article, number=1)
        assert revision.state == state
        return revision
    article = create_article(editor=editor, slug="matrix")
    revision = latest(article)
    if state == RevisionState.DRAFT:
        return revision
    workflow.revision_submit(actor=editor, revision=revision)
    if state == RevisionState.CHANGES_REQUESTED:
        workflow.revision_request_changes(actor=reviewer, revision=revision, comment="Fix it.")
    elif state in (RevisionState.APPROVED, RevisionState.SCHEDULED):
        workflow.revision_approve(actor=reviewer, revision=revision)
    if state == RevisionState.SCHEDULED:
        workflow.revision_schedule(
            actor=publisher, revision=revision, publish_at=timezone.now() + timedelta(days=1)
        )
    revision.refresh_from_db()
    assert revision.state == state
    return revision


def article_in_status(status: ArticleStatus, staff: dict[str, User]) -> Article:
    editor, reviewer, publisher = staff["editor"], staff["reviewer"], staff["publisher"]
    if status == ArticleStatus.DRAFT:
        return create_article(editor=editor, slug="never-live")
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="was-live")
    if status == ArticleStatus.UNPUBLISHED:
        workflow.article_unpublish(actor=publisher, article=article)
        article.refresh_from_db()
    assert article.status == status
    return article


# ------------------------------------------------------------------------------
# The transition matrices
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("state", list(RevisionState))
@pytest.mark.parametrize("action", ["publish", "schedule"])
@pytest.mark.parametrize("role", list(Role))
def test_publish_and_schedule_follow_the_transition_matrix(
    api, make_staff, staff, delivery_headers, state, action, role
):
    revision = revision_in_state(state, staff)
    article = revision.article
    actor = make_staff(role, username=f"actor-{role}")
    payload: dict[str, Any] = {"comment": "Going out."}
    if action == "schedule":
        payload["publish_at"] = (timezone.now() + timedelta(days=2)).isoformat()
    audits_before, changes_before = counts()
    live_before = Article.objects.get(pk=article.pk).live_revision_id

    response = api(actor).post(revision_url(article, revision.number, "publish"), payload)

    revision.refresh_from_db()
    article.refresh_from_db()
    if role not in PUBLISHING_ROLES:
        assert problem_code(response, 403) == "not-allowed"
    elif (action, state) not in PUBLISH_TARGET:
        assert problem_code(response, 409) == "invalid-transition"
    else:
        assert response.status_code == 200, response.json()
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["state"] == PUBLISH_TARGET[(action, state)]
    if response.status_code != 200:
        assert revision.state == state
        assert article.live_revision_id == live_before
        assert counts() == (audits_before, changes_before)
        return
    assert revision.state == PUBLISH_TARGET[(action, state)]
    detail = api().get(DETAIL_URL.format(slug=article.slug, locale="en"), **delivery_headers)
    if action == "publish":
        assert article.live_revision_id == revision.pk
        assert article.status == ArticleStatus.PUBLISHED
        assert revision.publish_at is None
        assert counts() == (audits_before + 1, changes_before + 1)
        assert audit_actions(article)[-1] == "published"
        assert detail.status_code == 200
        assert detail.json()["revision"] == revision.number
    else:
        assert article.live_revision_id is None
        assert revision.publish_at == datetime.fromisoformat(payload["publish_at"])
        assert revision.scheduled_by == actor
        assert counts() == (audits_before + 1, changes_before)
        assert audit_actions(article)[-1] == "scheduled"
        assert detail.status_code == 404


def article_matrix_cell(response: Any, may_act: bool, target: str | None) -> bool:
    """Check one cell of an article transition matrix; True if the transition happened."""
    if not may_act:
        assert problem_code(response, 403) == "not-allowed"
        return False
    if target is None:
        assert problem_code(response, 409) == "invalid-transition"
        return False
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    return True


@pytest.mark.parametrize("status", list(ArticleStatus))
@pytest.mark.parametrize("role", list(Role))
def test_unpublish_follows_the_transition_matrix(
    api, make_staff, staff, delivery_headers, status, role
):
    article = article_in_status(status, staff)
    actor = make_staff(role, username=f"actor-{role}")
    audits_before, changes_before = counts()
    last_change = last_change_id()

    response = api(actor).post(
        f"/api/v1/manage/articles/{article.pk}/unpublish/", {"reason": "Outdated."}
    )

    article.refresh_from_db()
    if not article_matrix_cell(response, role in PUBLISHING_ROLES, UNPUBLISH_TARGET.get(status)):
        assert article.status == status
        assert counts() == (audits_before, changes_before)
        return
    assert article.status == ArticleStatus.UNPUBLISHED
    assert article.live_revision is None
    assert Revision.objects.get(article=article, number=1).state == RevisionState.APPROVED
    assert not PublishedDocument.objects.filter(article=article).exists()
    assert counts() == (audits_before + 1, changes_before + 1)
    event = AuditEvent.objects.filter(article=article).last()
    assert (event.action, event.actor, event.comment) == ("unpublished", actor, "Outdated.")
    assert events_since(last_change) == [("unpublished", article.slug, article.locale)]
    detail = api().get(DETAIL_URL.format(slug=article.slug, locale="en"), **delivery_headers)
    assert detail.status_code == 404


@pytest.mark.parametrize("status", list(ArticleStatus))
@pytest.mark.parametrize("role", list(Role))
def test_certify_review_follows_the_transition_matrix(api, make_staff, staff, status, role):
    article = article_in_status(status, staff)
    actor = make_staff(role, username=f"actor-{role}")
    reviewed_before = article.last_reviewed_at
    audits_before, changes_before = counts()
    last_change = last_change_id()

    response = api(actor).post(
        f"/api/v1/manage/articles/{article.pk}/certify-review/", {"comment": "Still right."}
    )

    article.refresh_from_db()
    if not article_matrix_cell(response, role in CERTIFYING_ROLES, CERTIFY_TARGET.get(status)):
        assert article.status == status
        assert article.last_reviewed_at == reviewed_before
        assert counts() == (audits_before, changes_before)
        return
    assert article.last_reviewed_at > reviewed_before
    assert article.last_reviewed_by == actor
    assert counts() == (audits_before + 1, changes_before + 1)
    assert audit_actions(article)[-1] == "review_certified"
    assert events_since(last_change) == [("updated", article.slug, article.locale)]


@pytest.mark.parametrize("second_role", [Role.REVIEWER, Role.ADMIN])
def test_the_author_of_the_live_revision_may_not_certify_it(
    api, make_staff, reviewer, publisher, second_role
):
    writer = make_staff(Role.EDITOR, second_role, username="writer")
    article = make_live(editor=writer, reviewer=reviewer, publisher=publisher, slug="own-work")
    before = Article.objects.get(pk=article.pk)
    audits_before, changes_before = counts()

    response = api(writer).post(f"/api/v1/manage/articles/{article.pk}/certify-review/", {})

    assert problem_code(response, 403) == "not-allowed"
    article.refresh_from_db()
    assert article.last_reviewed_at == before.last_reviewed_at
    assert article.last_reviewed_by == reviewer
    assert counts() == (audits_before, changes_before)
    with pytest.raises(NotAllowed):
        workflow.article_certify_review(actor=writer, article=article)


def test_the_author_of_an_older_revision_may_certify_the_live_one(
    make_staff, editor, other_editor, reviewer, publisher
):
    writer = make_staff(Role.EDITOR, Role.REVIEWER, username="writer")
    article = make_live(editor=writer, reviewer=reviewer, publisher=publisher, slug="handed-on")
    publish_new_revision(
        article, editor=other_editor, reviewer=reviewer, publisher=publisher, title="Rewritten"
    )

    workflow.article_certify_review(actor=writer, article=article)

    article.refresh_from_db()
    assert article.last_reviewed_by == writer


# ------------------------------------------------------------------------------
# Invariant 2: the public dates and the reviewer
# ------------------------------------------------------------------------------
def assert_live_dates(article: Article) -> None:
    """A live article has its four public dates and a reviewer, and the rule between them."""
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.first_published_at is not None
    assert article.last_updated_at is not None
    assert article.last_reviewed_at is not None
    assert article.last_reviewed_by is not None
    assert article.next_review_due == article.last_reviewed_at + timedelta(
        days=article.review_interval_days
    )


def test_a_first_publication_sets_all_four_dates_and_the_reviewer(
    clock, api, editor, reviewer, publisher, delivery_headers
):
    article = create_article(editor=editor, slug="dates", review_interval_days=30)
    clock.advance(hours=1)
    approved_at = clock.now
    approve(latest(article), editor=editor, reviewer=reviewer)
    clock.advance(days=2)
    published_at = clock.now

    publish(latest(article), publisher=publisher)

    assert_live_dates(article)
    assert article.first_published_at == published_at
    assert article.last_updated_at == published_at
    assert article.last_reviewed_at == approved_at
    assert article.last_reviewed_by == reviewer
    assert article.next_review_due == approved_at + timedelta(days=30)
    doc = api().get("/api/v1/articles/dates/", **delivery_headers).json()
    assert doc["first_published_at"] == "2030-01-03T10:00:00Z"
    assert doc["last_updated_at"] == "2030-01-03T10:00:00Z"
    assert doc["last_reviewed_at"] == "2030-01-01T10:00:00Z"
    assert doc["next_review_due"] == "2030-01-31T10:00:00Z"
    assert doc["reviewed_by"] == {"name": "Dr. Mei Chen", "credentials": "MD"}
    assert doc["json_ld"]["lastReviewed"] == doc["last_reviewed_at"]
    assert doc["json_ld"]["datePublished"] == doc["first_published_at"]
    assert doc["json_ld"]["dateModified"] == doc["last_updated_at"]
    assert doc["json_ld"]["reviewedBy"]["name"] == "Dr. Mei Chen"


def test_later_publications_move_last_updated_but_never_first_published(
    clock, editor, reviewer, second_reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="dates")
    first = article.first_published_at

    clock.advance(days=10)
    revision = approved_revision(article, editor=editor, reviewer=second_reviewer, title="v2")
    clock.advance(days=1)
    publish(revision, publisher=publisher)

    assert_live_dates(article)
    assert article.first_published_at == first
    assert article.last_updated_at == clock.now
    assert article.last_reviewed_at == clock.now - timedelta(days=1)
    assert article.last_reviewed_by == second_reviewer

    clock.advance(days=5)
    workflow.article_unpublish(actor=publisher, article=article)
    clock.advance(days=5)
    publish(latest(article), publisher=publisher)

    assert_live_dates(article)
    assert article.first_published_at == first
    assert article.last_updated_at == clock.now


def test_certify_review_moves_the_review_dates_and_re_renders_with_a_new_etag(
    clock, api, editor, reviewer, second_reviewer, publisher, delivery_headers
):
    article = make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="certify", title="Stays"
    )
    url = "/api/v1/articles/certify/"
    before = api().get(url, **delivery_headers)

    clock.advance(days=200)
    workflow.article_certify_review(actor=second_reviewer, article=article, comment="Still true.")

    after = api().get(url, **delivery_headers)
    assert_live_dates(article)
    assert article.last_reviewed_at == clock.now
    assert article.last_reviewed_by == second_reviewer
    assert article.next_review_due == clock.now + timedelta(days=365)
    assert after["ETag"] != before["ETag"]
    old, new = before.json(), after.json()
    assert new["revision"] == old["revision"] == 1
    assert new["title"] == "Stays"
    assert new["first_published_at"] == old["first_published_at"]
    assert new["last_updated_at"] == old["last_updated_at"]
    assert new["last_reviewed_at"] == "2030-07-20T09:00:00Z"
    assert new["next_review_due"] == "2031-07-20T09:00:00Z"
    assert new["reviewed_by"] == {"name": "Dr. Sam Okafor", "credentials": "DO"}
    assert new["json_ld"]["lastReviewed"] == new["last_reviewed_at"]
    assert Revision.objects.get(article=article, number=1).state == RevisionState.PUBLISHED


def test_publishing_a_revision_after_a_re_certification_uses_its_own_approval(
    clock, editor, reviewer, second_reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="cycle")
    clock.advance(days=300)
    workflow.article_certify_review(actor=second_reviewer, article=article)
    clock.advance(days=1)
    revision = approved_revision(article, editor=editor, reviewer=reviewer, title="v2")
    approved_at = clock.now
    clock.advance(days=1)

    publish(revision, publisher=publisher)

    assert_live_dates(article)
    assert article.last_reviewed_at == approved_at
    assert article.last_reviewed_by == reviewer


# ------------------------------------------------------------------------------
# Invariant 3, superseding, order of revisions
# ------------------------------------------------------------------------------
def test_a_revision_approved_by_its_own_author_cannot_be_published(
    api, editor, reviewer, publisher, delivery_headers
):
    article = create_article(editor=editor, slug="self-approved")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    # Forced past the workflow and the database's own guard, as only a superuser could.
    with guards_lifted():
        Revision.objects.filter(pk=revision.pk).update(approved_by=editor)
    audits_before, changes_before = counts()

    response = api(publisher).post(revision_url(article, 1, "publish"), {})

    assert problem_code(response, 409) == "invalid-transition"
    article.refresh_from_db()
    revision.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert revision.state == RevisionState.APPROVED
    assert counts() == (audits_before, changes_before)
    assert not PublishedDocument.objects.exists()
    assert api().get("/api/v1/articles/self-approved/", **delivery_headers).status_code == 404


def test_a_scheduled_revision_approved_by_its_own_author_never_goes_live(
    editor, reviewer, publisher
):
    article = create_article(editor=editor, slug="self-approved")
    revision = approve(latest(article), editor=editor, reviewer=reviewer)
    publish_at = timezone.now() + timedelta(hours=1)
    workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
    with guards_lifted():
        Revision.objects.filter(pk=revision.pk).update(approved_by=editor)

    published = workflow.scheduled_publish_due(now=publish_at + timedelta(seconds=1))

    assert published == []
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert not PublishedDocument.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_publishing_a_new_revision_supersedes_the_live_one(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="newer")

    second = publish_new_revision(
        article, editor=editor, reviewer=reviewer, publisher=publisher, title="Second"
    )

    first = Revision.objects.get(article=article, number=1)
    assert first.state == RevisionState.SUPERSEDED
    assert second.state == RevisionState.PUBLISHED
    assert article.live_revision_id == second.pk
    assert PublishedDocument.objects.get(article=article).revision_number == 2
    assert Revision.objects.filter(article=article, state=RevisionState.PUBLISHED).count() == 1


def test_publishing_a_revision_older_than_the_live_one_is_a_conflict(
    api, editor, reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="older")
    older = approved_revision(article, editor=editor, reviewer=reviewer, title="Second")
    publish_new_revision(
        article, editor=editor, reviewer=reviewer, publisher=publisher, title="Third"
    )
    audits_before, changes_before = counts()

    response = api(publisher).post(revision_url(article, older.number, "publish"), {})

    assert problem_code(response, 409) == "invalid-transition"
    older.refresh_from_db()
    article.refresh_from_db()
    # Publishing revision 3 superseded the older approved revision 2: it can never go live.
    assert older.state == RevisionState.SUPERSEDED
    assert article.live_revision.number == 3
    assert PublishedDocument.objects.get(article=article).revision_number == 3
    assert counts() == (audits_before, changes_before)


def test_unpublishing_cancels_pending_schedules(clock, api, editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="cancel")
    pending = approved_revision(article, editor=editor, reviewer=reviewer, title="Pending")
    publish_at = clock.now + timedelta(days=1)
    workflow.revision_schedule(actor=publisher, revision=pending, publish_at=publish_at)

    workflow.article_unpublish(actor=publisher, article=article, reason="Withdrawn.")

    pending.refresh_from_db()
    assert pending.state == RevisionState.APPROVED
    assert pending.publish_at is None
    assert workflow.scheduled_publish_due(now=publish_at + timedelta(days=1)) == []
    article.refresh_from_db()
    assert article.status == ArticleStatus.UNPUBLISHED
    assert not PublishedDocument.objects.filter(article=article).exists()
    unpublished = AuditEvent.objects.filter(article=article, action="unpublished").get()
    assert unpublished.details == {"cancelled_schedules": [pending.number]}


def test_a_publication_that_fails_half_way_leaves_nothing_behind(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="atomic")
    revision = approved_revision(article, editor=editor, reviewer=reviewer, title="Broken")
    document_before = PublishedDocument.objects.get(article=article)
    audits_before, changes_before = counts()

    with (
        mock.patch.object(DeliveryChange, "announce", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        publish(revision, publisher=publisher)

    revision.refresh_from_db()
    article.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert article.live_revision.number == 1
    assert Revision.objects.get(article=article, number=1).state == RevisionState.PUBLISHED
    document = PublishedDocument.objects.get(article=article)
    assert (document.revision_number, document.etag) == (1, document_before.etag)
    assert counts() == (audits_before, changes_before)


# ------------------------------------------------------------------------------
# Invariant 6 and the outbox: one audit event per transition, one change per delivery change
# ------------------------------------------------------------------------------
def test_each_publication_transition_writes_one_audit_event_and_one_change_event(
    clock, editor, reviewer, second_reviewer, publisher
):
    article = create_article(editor=editor, slug="events")
    approve(latest(article), editor=editor, reviewer=reviewer)
    steps: list[tuple[str, Callable[[], Any], str, list[str]]] = [
        (
            "publish",
            lambda: publish(latest(article), publisher=publisher),
            "published",
            ["published"],
        ),
        (
            "certify",
            lambda: workflow.article_certify_review(actor=second_reviewer, article=article),
            "review_certified",
            ["updated"],
        ),
        (
            "write v2",
            lambda: new_revision(article, editor=editor, title="v2"),
            "revision_created",
            [],
        ),
        (
            "submit v2",
            lambda: workflow.revision_submit(actor=editor, revision=latest(article)),
            "submitted",
            [],
        ),
        (
            "approve v2",
            lambda: workflow.revision_approve(actor=reviewer, revision=latest(article)),
            "approved",
            [],
        ),
        (
            "schedule v2",
            lambda: workflow.revision_schedule(
                actor=publisher, revision=latest(article), publish_at=clock.now + timedelta(hours=1)
            ),
            "scheduled",
            [],
        ),
        (
            "publish v2 now",
            lambda: publish(latest(article), publisher=publisher),
            "published",
            ["updated"],
        ),
        (
            "unpublish",
            lambda: workflow.article_unpublish(actor=publisher, article=article),
            "unpublished",
            ["unpublished"],
        ),
        (
            "republish",
            lambda: publish(latest(article), publisher=publisher),
            "published",
            ["published"],
        ),
    ]
    for name, step, action, changes in steps:
        audits_before = AuditEvent.objects.filter(article=article).count()
        last_change = last_change_id()
        clock.advance(minutes=5)

        step()

        new_audits = list(
            AuditEvent.objects.filter(article=article)[audits_before:].values_list(
                "action", flat=True
            )
        )
        assert new_audits == [action], name
        assert [event for event, _, _ in events_since(last_change)] == changes, name


def test_a_change_event_records_the_live_revision_and_the_publication_time(
    clock, editor, reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="outbox")
    event = ChangeEvent.objects.get(article=article)

    assert (event.event, event.slug, event.locale) == ("published", "outbox", "en")
    assert event.revision_number == 1
    assert event.at == clock.now == article.last_updated_at


def test_publishing_a_translation_updates_the_live_sibling_once(
    api, editor, reviewer, publisher, delivery_headers
):
    english = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="mammogram")
    spanish = create_article(
        editor=editor, slug="mamografia", locale="es", translation_of=english, title="Mamografía"
    )
    approve(latest(spanish), editor=editor, reviewer=reviewer)
    english_etag = api().get("/api/v1/articles/mammogram/", **delivery_headers)["ETag"]
    last_change = last_change_id()
    audits_before = AuditEvent.objects.count()

    publish(latest(spanish), publisher=publisher)

    assert events_since(last_change) == [
        ("published", "mamografia", "es"),
        ("updated", "mammogram", "en"),
    ]
    assert AuditEvent.objects.count() == audits_before + 1
    english_doc = api().get("/api/v1/articles/mammogram/", **delivery_headers)
    spanish_doc = api().get("/api/v1/articles/mamografia/?locale=es", **delivery_headers)
    assert english_doc["ETag"] != english_etag
    assert english_doc.json()["translations"] == [{"locale": "es", "slug": "mamografia"}]
    assert spanish_doc.json()["translations"] == [{"locale": "en", "slug": "mammogram"}]


def test_a_new_revision_of_a_live_translation_changes_only_its_own_document(
    api, editor, reviewer, publisher, delivery_headers
):
    english = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="mammogram")
    spanish = make_live(
        editor=editor,
        reviewer=reviewer,
        publisher=publisher,
        slug="mamografia",
        locale="es",
        translation_of=english,
    )
    english_etag = api().get("/api/v1/articles/mammogram/", **delivery_headers)["ETag"]
    last_change = last_change_id()

    publish_new_revision(
        spanish, editor=editor, reviewer=reviewer, publisher=publisher, title="Nueva"
    )

    assert events_since(last_change) == [("updated", "mamografia", "es")]
    assert api().get("/api/v1/articles/mammogram/", **delivery_headers)["ETag"] == english_etag


def test_unpublishing_a_translation_updates_the_live_sibling_once(
    api, editor, reviewer, publisher, delivery_headers
):
    english = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="mammogram")
    spanish = make_live(
        editor=editor,
        reviewer=reviewer,
        publisher=publisher,
        slug="mamografia",
        locale="es",
        translation_of=english,
    )
    last_change = last_change_id()

    workflow.article_unpublish(actor=publisher, article=spanish)

    assert events_since(last_change) == [
        ("unpublished", "mamografia", "es"),
        ("updated", "mammogram", "en"),
    ]
    english_doc = api().get("/api/v1/articles/mammogram/", **delivery_headers).json()
    assert english_doc["translations"] == []


def test_a_failed_transition_writes_no_events(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="no-op")
    audits_before, changes_before = counts()

    with pytest.raises(InvalidTransition):
        publish(latest(article), publisher=publisher)
    with pytest.raises(NotAllowed):
        workflow.article_unpublish(actor=reviewer, article=article)

    assert counts() == (audits_before, changes_before)


def test_a_schedule_cancelled_by_unpublishing_changes_the_revisions_etag(
    api, editor, reviewer, publisher
):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="cancel")
    pending = approved_revision(article, editor=editor, reviewer=reviewer, title="Pending")
    workflow.revision_schedule(
        actor=publisher, revision=pending, publish_at=timezone.now() + timedelta(days=1)
    )
    client = api(editor)
    before = client.get(revision_url(article, pending.number))
    assert before.json()["state"] == RevisionState.SCHEDULED

    workflow.article_unpublish(actor=publisher, article=article)

    # The revision's state changed, so a client revalidating its copy must get the new one.
    after = client.get(revision_url(article, pending.number), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200, after.status_code
    assert after.json()["state"] == RevisionState.APPROVED
    assert after["ETag"] != before["ETag"]
