"""The review workflow: every state x action x role, four-eyes, and one audit event per change."""

import pytest

from articles import workflow
from articles.errors import InvalidTransition, NotAllowed, ValidationFailed
from articles.models import AuditEvent, Review, RevisionState
from contentapi.models import Role
from tests.conftest import revision_url
from tests.factories import ArticleFactory, UserFactory

# Written out by hand, not read from workflow.TRANSITIONS, so that the test checks the table.
ALLOWED = {
    ("submit", RevisionState.DRAFT): RevisionState.IN_REVIEW,
    ("approve", RevisionState.IN_REVIEW): RevisionState.APPROVED,
    ("request-changes", RevisionState.IN_REVIEW): RevisionState.CHANGES_REQUESTED,
}
ROLES_MAY = {
    "submit": {Role.EDITOR, Role.ADMIN},
    "approve": {Role.REVIEWER, Role.ADMIN},
    "request-changes": {Role.REVIEWER, Role.ADMIN},
}
APPROVED_LIKE = {
    RevisionState.APPROVED,
    RevisionState.SCHEDULED,
    RevisionState.PUBLISHED,
    RevisionState.SUPERSEDED,
}


@pytest.mark.parametrize("state", list(RevisionState))
@pytest.mark.parametrize("action", ["submit", "approve", "request-changes"])
@pytest.mark.parametrize("role", list(Role))
def test_transition_matrix(api, state, action, role):
    author = UserFactory(username="author", roles=["editor"])
    actor = UserFactory(username=f"actor-{role}", roles=[role.value])
    article = ArticleFactory(created_by=author)
    revision = article.latest_revision
    revision.state = state
    if state in APPROVED_LIKE:
        revision.approved_by = UserFactory(username="approver", roles=["reviewer"])
    revision.save()
    events_before = AuditEvent.objects.count()

    response = api(actor).post(revision_url(article, 1, action), {"comment": "Please fix."})

    revision.refresh_from_db()
    if role not in ROLES_MAY[action]:
        assert response.status_code == 403, response.json()
        assert revision.state == state
    elif (action, state) not in ALLOWED:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "invalid-transition"
        assert revision.state == state
    else:
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == ALLOWED[(action, state)]
        assert revision.state == ALLOWED[(action, state)]
    assert response["Content-Type"].startswith(
        "application/json" if response.status_code == 200 else "application/problem+json"
    )
    changed = 1 if response.status_code == 200 else 0
    assert AuditEvent.objects.count() == events_before + changed


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
@pytest.mark.parametrize("action", [workflow.revision_approve, workflow.revision_request_changes])
def test_nobody_reviews_a_revision_they_wrote(make_staff, role, action):
    writer = make_staff(Role.EDITOR, role, username="writer")
    revision = ArticleFactory(created_by=writer).latest_revision
    workflow.revision_submit(actor=writer, revision=revision)

    with pytest.raises(NotAllowed):
        action(actor=writer, revision=revision, comment="Looks right to me.")

    revision.refresh_from_db()
    assert revision.state == RevisionState.IN_REVIEW
    assert revision.approved_by is None
    assert not Review.objects.exists()


def test_own_revision_approval_over_http_is_403(api, make_staff):
    writer = make_staff(Role.EDITOR, Role.REVIEWER, username="writer")
    article = ArticleFactory(created_by=writer)
    workflow.revision_submit(actor=writer, revision=article.latest_revision)

    response = api(writer).post(revision_url(article, 1, "approve"), {})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not-allowed"


def test_approval_records_reviewer_review_and_audit(clock, editor, reviewer, draft):
    workflow.revision_submit(actor=editor, revision=draft)
    approved_at = clock.advance(hours=2)
    workflow.revision_approve(actor=reviewer, revision=draft, comment="Accurate.")

    draft.refresh_from_db()
    assert draft.state == RevisionState.APPROVED
    assert draft.approved_by == reviewer
    assert draft.approved_at == approved_at
    review = Review.objects.get(revision=draft)
    assert (review.reviewer, review.decision, review.comment) == (reviewer, "approved", "Accurate.")
    actions = list(
        AuditEvent.objects.filter(article=draft.article).values_list("action", "actor__username")
    )
    assert actions == [
        ("article_created", "editor"),
        ("submitted", "editor"),
        ("approved", "reviewer"),
    ]


def test_request_changes_needs_a_comment(editor, reviewer, draft):
    workflow.revision_submit(actor=editor, revision=draft)

    with pytest.raises(ValidationFailed):
        workflow.revision_request_changes(actor=reviewer, revision=draft, comment="   ")

    draft.refresh_from_db()
    assert draft.state == RevisionState.IN_REVIEW


def test_transition_reads_state_from_the_locked_row_not_the_callers_object(editor, reviewer, draft):
    stale_copy = type(draft).objects.get(pk=draft.pk)
    workflow.revision_submit(actor=editor, revision=draft)
    workflow.revision_approve(actor=reviewer, revision=draft)

    # The caller's copy still says "draft"; submitting it again must not succeed.
    assert stale_copy.state == RevisionState.DRAFT
    with pytest.raises(InvalidTransition):
        workflow.revision_submit(actor=editor, revision=stale_copy)
    draft.refresh_from_db()
    assert draft.state == RevisionState.APPROVED
