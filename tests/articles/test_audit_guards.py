"""The database itself refuses to rewrite history, on PostgreSQL and on SQLite alike.

Each test goes around the application with raw SQL, as someone with the service's database
credentials would, and checks that the statement fails and nothing changed.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from articles import services, workflow
from articles.models import Article, AuditEvent, Review, Revision, RevisionState, Topic
from contentapi.ledger import AppendOnlyError
from tests.publishing_helpers import approve, create_article, latest


def _raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _refused(sql: str, params: list | None = None) -> None:
    with pytest.raises(IntegrityError):
        _raw(sql, params)


@pytest.fixture
def approved(editor, reviewer):
    article = create_article(editor=editor, slug="guarded", topics=[])
    return approve(latest(article), editor=editor, reviewer=reviewer)


def _trail(article_id: int) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(article_id=article_id)
        .order_by("seq")
        .values_list("seq", "actor_id", "comment", "hash")
    )


def test_a_raw_update_of_an_audit_event_is_refused(approved, editor):
    before = _trail(approved.article_id)

    _refused("UPDATE articles_auditevent SET actor_id = %s, comment = 'tampered'", [editor.pk])

    assert _trail(approved.article_id) == before


def test_a_raw_delete_of_an_audit_event_is_refused(approved):
    before = _trail(approved.article_id)

    _refused("DELETE FROM articles_auditevent WHERE seq = 2")

    assert _trail(approved.article_id) == before


def test_emptying_the_audit_table_is_refused(approved):
    before = _trail(approved.article_id)
    if connection.vendor == "postgresql":
        # The test's own transaction holds deferred foreign-key checks, which PostgreSQL must
        # settle before it will even consider a TRUNCATE; a real session has none.
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _refused("TRUNCATE articles_auditevent")
    else:
        # SQLite has no TRUNCATE; an unqualified DELETE is its way of emptying a table.
        _refused("DELETE FROM articles_auditevent")

    assert _trail(approved.article_id) == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE articles_review SET comment = 'tampered'",
        "DELETE FROM articles_review",
    ],
)
def test_reviews_can_be_neither_changed_nor_removed(approved, sql):
    _refused(sql)

    review = Review.objects.get(revision=approved)
    assert review.comment == "Accurate."


def test_a_raw_edit_of_a_submitted_revisions_body_is_refused(approved):
    _refused(
        "UPDATE articles_revision SET body = 'Stop taking your medicine.' WHERE id = %s",
        [approved.pk],
    )

    approved.refresh_from_db()
    assert "Most results like this are normal." in approved.body


def test_a_draft_may_still_be_edited_in_place(editor):
    draft = latest(create_article(editor=editor, slug="still-a-draft"))

    _raw("UPDATE articles_revision SET body = 'Better words.' WHERE id = %s", [draft.pk])

    draft.refresh_from_db()
    assert draft.body == "Better words."


def test_a_submitted_revision_never_returns_to_draft(approved):
    _refused("UPDATE articles_revision SET state = 'draft' WHERE id = %s", [approved.pk])

    approved.refresh_from_db()
    assert approved.state == RevisionState.APPROVED


def test_a_recorded_approval_never_changes(approved, editor):
    _refused(
        "UPDATE articles_revision SET approved_by_id = %s WHERE id = %s", [editor.pk, approved.pk]
    )

    approved.refresh_from_db()
    assert approved.approved_by_id != editor.pk


def test_workflow_columns_of_a_submitted_revision_still_move(approved, publisher):
    """The guard freezes the words, not the workflow: publishing still works."""
    published = workflow.revision_publish(actor=publisher, revision=approved)

    assert published.state == RevisionState.PUBLISHED


def test_the_topics_and_codes_of_a_submitted_revision_are_frozen(approved, topic):
    _refused(
        "INSERT INTO articles_revision_topics (revision_id, topic_id) VALUES (%s, %s)",
        [approved.pk, topic.pk],
    )
    _refused(
        "INSERT INTO articles_revisioncode (revision_id, system, code, display) "
        "VALUES (%s, 'icd10cm', 'R92.8', '')",
        [approved.pk],
    )

    assert not approved.topics.exists()
    assert not approved.codes.exists()


def test_a_submitted_revision_cannot_be_deleted(approved):
    _refused("DELETE FROM articles_revision WHERE id = %s", [approved.pk])

    assert Revision.objects.filter(pk=approved.pk).exists()


def test_the_orm_refuses_bulk_updates_and_deletes_of_audit_events(approved):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(article_id=approved.article_id).update(comment="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(article_id=approved.article_id).delete()
    event = AuditEvent.objects.filter(article_id=approved.article_id).first()
    event.comment = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        Review.objects.filter(revision=approved).update(comment="tampered")


def test_an_article_with_history_cannot_be_deleted(approved):
    with pytest.raises(ProtectedError):
        Article.objects.get(pk=approved.article_id).delete()

    assert AuditEvent.objects.filter(article_id=approved.article_id).count() == 3


def test_a_topic_with_history_cannot_be_deleted(editor, topic):
    services.topic_update(actor=editor, topic=topic, changes={"name": "Breasts"})

    with pytest.raises(ProtectedError):
        Topic.objects.get(pk=topic.pk).delete()
