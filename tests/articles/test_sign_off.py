"""Nobody approves words they wrote: the contributors of a revision may not approve it."""

import pytest

from articles import workflow
from articles.errors import NotAllowed
from articles.models import AuditAction, AuditEvent, Review, RevisionState
from contentapi.models import Role
from tests.conftest import revision_url
from tests.problems import assert_problem
from tests.publishing_helpers import approve, create_article, latest, make_live, new_revision


@pytest.fixture
def writer_reviewer(make_staff):
    """Someone who both writes and reviews: the person the four-eyes rule is about."""
    return make_staff(
        Role.EDITOR, Role.REVIEWER, username="ana", display_name="Ana Ruiz", credentials="MD"
    )


def _copied_and_submitted(writer, colleague):
    """Revision 1 by `writer`; revision 2 copied from it unchanged by `colleague`, submitted."""
    article = create_article(editor=writer, slug="copied")
    copy = new_revision(article, editor=colleague)
    workflow.revision_submit(actor=colleague, revision=copy)
    return article, copy


def test_approving_a_colleagues_unchanged_copy_of_your_own_text_is_refused(
    api, writer_reviewer, other_editor
):
    article, copy = _copied_and_submitted(writer_reviewer, other_editor)
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(revision_url(article, 2, "approve"), {})

    body = assert_problem(response, 403)
    assert body["code"] == "not-allowed"
    assert "you wrote part of this text: revision 1" in body["detail"].lower()
    copy.refresh_from_db()
    assert copy.state == RevisionState.IN_REVIEW
    assert copy.approved_by is None
    assert not Review.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_the_refusal_names_every_revision_of_the_text_you_wrote(writer_reviewer, other_editor):
    article = create_article(editor=writer_reviewer, slug="layers")
    new_revision(article, editor=other_editor)
    mine_again = new_revision(article, editor=writer_reviewer)
    theirs = new_revision(article, editor=other_editor)
    workflow.revision_submit(actor=other_editor, revision=theirs)

    with pytest.raises(NotAllowed, match=r"revisions 1 and 3"):
        workflow.revision_approve(actor=writer_reviewer, revision=theirs)
    assert mine_again.number == 3


def test_an_approved_ancestor_ends_the_contributors(writer_reviewer, other_editor, reviewer):
    """Text a reviewer approved was checked by four eyes already: its author may review on."""
    article = create_article(editor=writer_reviewer, slug="reviewed-base")
    approve(latest(article), editor=writer_reviewer, reviewer=reviewer)
    edited = new_revision(article, editor=other_editor, body="New words by a colleague.\n")
    workflow.revision_submit(actor=other_editor, revision=edited)

    approved = workflow.revision_approve(actor=writer_reviewer, revision=edited)

    assert approved.state == RevisionState.APPROVED
    assert approved.approved_by == writer_reviewer


def test_admins_may_not_approve_text_they_wrote_either(make_staff, other_editor):
    admin = make_staff(Role.ADMIN, username="boss", display_name="Dr. Boss", credentials="MD")
    article = create_article(editor=admin, slug="admin-wrote")
    copy = new_revision(article, editor=other_editor)
    workflow.revision_submit(actor=other_editor, revision=copy)

    with pytest.raises(NotAllowed, match="revision 1"):
        workflow.revision_approve(actor=admin, revision=copy)


def test_a_contributor_may_still_request_changes(writer_reviewer, other_editor):
    _, copy = _copied_and_submitted(writer_reviewer, other_editor)

    sent_back = workflow.revision_request_changes(
        actor=writer_reviewer, revision=copy, comment="Please check the doses."
    )

    assert sent_back.state == RevisionState.CHANGES_REQUESTED


def test_a_contributor_of_the_live_text_may_not_recertify_it(
    writer_reviewer, other_editor, reviewer, publisher
):
    article = make_live(
        editor=other_editor, reviewer=writer_reviewer, publisher=publisher, slug="live-copy"
    )
    mine = new_revision(article, editor=writer_reviewer, body="My own words now.\n")
    approve(mine, editor=writer_reviewer, reviewer=reviewer)
    workflow.revision_publish(actor=publisher, revision=mine)

    with pytest.raises(NotAllowed, match="revision 2"):
        workflow.article_certify_review(actor=writer_reviewer, article=article)


def test_the_approval_event_records_the_contributors(writer_reviewer, other_editor, reviewer):
    _, copy = _copied_and_submitted(writer_reviewer, other_editor)

    workflow.revision_approve(actor=reviewer, revision=copy)

    event = AuditEvent.objects.get(action=AuditAction.APPROVED)
    assert sorted(event.details["contributors"], key=lambda c: c["username"]) == [
        {"user": writer_reviewer.pk, "username": "ana", "revisions": [1]},
        {"user": other_editor.pk, "username": "editor2", "revisions": [2]},
    ]


def test_revision_detail_and_list_show_the_contributors(api, writer_reviewer, other_editor):
    article, _ = _copied_and_submitted(writer_reviewer, other_editor)
    client = api(other_editor)

    detail = client.get(revision_url(article, 2)).json()
    listed = client.get(f"/api/v1/manage/articles/{article.pk}/revisions/").json()["results"]

    expected = [
        {"username": "editor2", "name": other_editor.public_name, "revisions": [2]},
        {"username": "ana", "name": "Ana Ruiz", "revisions": [1]},
    ]
    assert detail["contributors"] == expected
    assert [r["contributors"] for r in listed] == [
        expected,
        [{"username": "ana", "name": "Ana Ruiz", "revisions": [1]}],
    ]
