"""`manage.py verify_audit`: the hash chain shows tampering that got past the triggers."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles import workflow
from articles.models import AuditAction, AuditEvent
from contentapi.ledger import GENESIS
from tests.db_guards import guards_lifted, record_rewrite
from tests.publishing_helpers import create_article, latest, make_live, new_revision


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _broken() -> str:
    with pytest.raises(CommandError) as failure:
        _verify()
    return str(failure.value)


@pytest.fixture
def history(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="chained")
    new_revision(article, editor=editor)
    return article


def _events(article):
    return list(AuditEvent.objects.filter(article=article).order_by("seq"))


def test_an_untouched_trail_verifies(history):
    assert "Verified" in _verify()


def test_each_event_links_to_the_one_before_it(history):
    previous = GENESIS
    for event in _events(history):
        fields = event.chained_fields()
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert event.hash == hashlib.sha256((previous + canonical).encode()).hexdigest()
        previous = event.hash


def test_an_edited_comment_is_named_by_verify_audit(history):
    approval = _events(history)[2]
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_auditevent SET comment = 'tampered' WHERE id = %s", [approval.pk]
        )

    message = _broken()

    assert f"chain article:{history.pk}) seq 3 (AuditEvent {approval.pk})" in message
    assert "hash does not match" in message


def test_a_forged_actor_is_named_by_verify_audit(history, publisher):
    approval = _events(history)[2]
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_auditevent SET actor_id = %s WHERE id = %s",
            [publisher.pk, approval.pk],
        )

    assert f"AuditEvent {approval.pk}" in _broken()


def test_a_backdated_event_is_named_by_verify_audit(history):
    approval = _events(history)[2]
    record_rewrite(approval, at=approval.at - timedelta(days=30))

    message = _broken()

    assert f"chain article:{history.pk}) seq 3 (AuditEvent {approval.pk})" in message
    assert "hash does not match" in message


@pytest.fixture
def web_approval(editor, reviewer):
    """The audit event of an approval on the review pages: its details name the contributors
    the approval excluded, and where it came from."""
    article = create_article(editor=editor, slug="approved-on-the-web")
    workflow.revision_submit(actor=editor, revision=latest(article))
    workflow.revision_approve(actor=reviewer, revision=latest(article), via="web")
    event = AuditEvent.objects.get(article=article, action=AuditAction.APPROVED)
    assert event.details == {
        "contributors": [{"user": editor.pk, "username": "editor", "revisions": [1]}],
        "via": "web",
    }
    return event


@pytest.mark.parametrize("removed", ["contributors", "via"])
def test_an_approval_stripped_of_part_of_its_details_is_named_by_verify_audit(
    web_approval, removed
):
    details = {k: v for k, v in web_approval.details.items() if k != removed}
    record_rewrite(web_approval, details=details)

    message = _broken()

    assert f"chain {web_approval.chain}) seq 3 (AuditEvent {web_approval.pk})" in message
    assert "hash does not match" in message


def test_a_removed_event_is_named_by_verify_audit(history):
    events = _events(history)
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_auditevent WHERE id = %s", [events[1].pk])

    message = _broken()

    assert f"AuditEvent {events[2].pk}" in message
    assert "missing" in message


def test_an_approver_changed_behind_the_trail_is_named(history, editor):
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_revision SET approved_by_id = %s WHERE article_id = %s AND number = 1",
            [editor.pk, history.pk],
        )

    message = _broken()

    assert f"article chained (en) revision 1 names user {editor.pk}" in message


def test_history_shows_each_events_sequence_and_hash(api, history, editor):
    response = api(editor).get(f"/api/v1/manage/articles/{history.pk}/history/")

    events = response.json()["results"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert [e["hash"] for e in events] == [e.hash for e in _events(history)]
    assert events[2]["action"] == "approved"
    assert events[2]["details"]["contributors"][0]["username"] == "editor"
