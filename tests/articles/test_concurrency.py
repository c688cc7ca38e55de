"""Concurrent writes to one article: exactly one wins, the others get 409 and change nothing.

These run real threads against PostgreSQL with committed transactions, so the row locks in
`articles.workflow` and `articles.services` are what keeps the outcome right.
"""

from collections import Counter
from typing import Any

import pytest

from articles import workflow
from articles.errors import InvalidTransition
from articles.models import AuditAction, AuditEvent, Review, Revision, RevisionState
from contentapi.models import Role
from tests.conftest import revision_url
from tests.racing import race

pytestmark = pytest.mark.django_db(transaction=True)


def answered(response: Any) -> tuple[int, str | None]:
    body = response.json()
    return response.status_code, body.get("code") if response.status_code >= 400 else None


def test_eight_reviewers_approving_at_once_give_one_approval(api, make_staff, editor, draft):
    workflow.revision_submit(actor=editor, revision=draft)
    reviewers = [make_staff(Role.REVIEWER, username=f"reviewer{i}") for i in range(8)]
    clients = [api(reviewer) for reviewer in reviewers]
    url = revision_url(draft.article, 1, "approve")

    results = race(8, lambda i: answered(clients[i].post(url, {"comment": f"ok {i}"})))

    assert Counter(results) == {(200, None): 1, (409, "invalid-transition"): 7}, results
    draft.refresh_from_db()
    assert draft.state == RevisionState.APPROVED
    winner = reviewers[results.index((200, None))]
    assert draft.approved_by == winner
    assert AuditEvent.objects.filter(action=AuditAction.APPROVED).count() == 1
    review = Review.objects.get()
    assert review.reviewer == winner
    assert review.revision == draft


def test_eight_reviewers_calling_the_workflow_at_once_give_one_approval(make_staff, editor, draft):
    workflow.revision_submit(actor=editor, revision=draft)
    reviewers = [make_staff(Role.REVIEWER, username=f"reviewer{i}") for i in range(8)]

    def approve(i: int) -> str:
        revision = Revision.objects.get(pk=draft.pk)
        workflow.revision_approve(actor=reviewers[i], revision=revision)
        return "approved"

    results = race(8, approve)

    outcomes = Counter(type(r).__name__ if isinstance(r, BaseException) else r for r in results)
    assert outcomes == {"approved": 1, InvalidTransition.__name__: 7}, results
    assert AuditEvent.objects.filter(action=AuditAction.APPROVED).count() == 1
    assert Review.objects.count() == 1


def test_approve_racing_request_changes_has_one_winner(api, make_staff, editor, draft):
    workflow.revision_submit(actor=editor, revision=draft)
    reviewers = [make_staff(Role.REVIEWER, username=f"reviewer{i}") for i in range(8)]
    clients = [api(reviewer) for reviewer in reviewers]

    def decide(i: int) -> tuple[int, str | None]:
        action = "approve" if i % 2 else "request-changes"
        url = revision_url(draft.article, 1, action)
        return answered(clients[i].post(url, {"comment": "Please reword the second line."}))

    results = race(8, decide)

    assert Counter(results)[(409, "invalid-transition")] == 7, results
    assert Counter(results)[(200, None)] == 1, results
    draft.refresh_from_db()
    assert draft.state in {RevisionState.APPROVED, RevisionState.CHANGES_REQUESTED}
    assert Review.objects.count() == 1
    decisions = AuditEvent.objects.filter(
        action__in=[AuditAction.APPROVED, AuditAction.CHANGES_REQUESTED]
    )
    assert decisions.count() == 1
    assert decisions.get().action == Review.objects.get().decision


def test_six_editors_writing_from_the_same_base_revision_give_one_new_revision(
    api, make_staff, article
):
    editors = [make_staff(Role.EDITOR, username=f"writer{i}") for i in range(6)]
    clients = [api(editor) for editor in editors]
    url = f"/api/v1/manage/articles/{article.pk}/revisions/"

    def write(i: int) -> tuple[int, str | None]:
        return answered(clients[i].post(url, {"base_revision": 1, "title": f"Edit {i}"}))

    results = race(6, write)

    assert Counter(results) == {(201, None): 1, (409, "stale-revision"): 5}, results
    winner = editors[results.index((201, None))]
    assert article.revisions.count() == 2
    second = article.revisions.get(number=2)
    assert (second.author, second.base_revision) == (winner, 1)
    assert second.title == f"Edit {editors.index(winner)}"
    article.refresh_from_db()
    assert article.latest_revision == second
    assert AuditEvent.objects.filter(action=AuditAction.REVISION_CREATED).count() == 1
