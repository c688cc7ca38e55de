"""Renaming a topic re-renders the live articles that name it, and the feed says so."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles import services, workflow
from articles.errors import NotAllowed
from articles.models import AuditAction, AuditEvent
from contentapi.models import Role
from delivery.models import ChangeEvent, PublishedDocument
from tests.factories import TopicFactory
from tests.publishing_helpers import approve, create_article, latest, make_live, new_revision


def _live_topics(article) -> list[dict[str, str]]:
    return json.loads(bytes(PublishedDocument.objects.get(article=article).body))["topics"]


def test_renaming_a_topic_updates_live_documents_and_the_feed(editor, reviewer, publisher):
    TopicFactory(slug="diabetes", name="Diabetes")
    TopicFactory(slug="heart", name="Heart")
    named = make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="a1c", topics=["diabetes"]
    )
    other = make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="ecg", topics=["heart"]
    )
    other_etag = PublishedDocument.objects.get(article=other).etag
    events_before = ChangeEvent.objects.count()

    services.topic_update(
        actor=publisher,
        topic=TopicFactory(slug="diabetes"),
        changes={"name": "Diabetes and blood sugar"},
    )

    assert _live_topics(named) == [{"slug": "diabetes", "name": "Diabetes and blood sugar"}]
    assert PublishedDocument.objects.get(article=other).etag == other_etag
    new_events = list(ChangeEvent.objects.order_by("id")[events_before:])
    assert [(e.event, e.slug) for e in new_events] == [("updated", "a1c")]


def test_moving_a_topic_without_renaming_it_leaves_documents_alone(editor, reviewer, publisher):
    TopicFactory(slug="diabetes", name="Diabetes")
    TopicFactory(slug="endocrine", name="Endocrine")
    make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="a1c", topics=["diabetes"]
    )
    events_before = ChangeEvent.objects.count()

    services.topic_update(
        actor=editor, topic=TopicFactory(slug="diabetes"), changes={"parent": "endocrine"}
    )

    assert ChangeEvent.objects.count() == events_before


def test_an_editor_may_not_rename_a_topic_that_live_articles_show(editor, reviewer, publisher):
    topic = TopicFactory(slug="diabetes", name="Diabetes")
    make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="a1c", topics=["diabetes"]
    )
    events_before = ChangeEvent.objects.count()

    with pytest.raises(NotAllowed, match="publisher"):
        services.topic_update(
            actor=editor, topic=topic, changes={"name": "Stop taking your meds - call 555-0100"}
        )

    topic.refresh_from_db()
    assert topic.name == "Diabetes"
    assert _live_topics(topic.live_links.get().document.article)[0]["name"] == "Diabetes"
    assert ChangeEvent.objects.count() == events_before
    assert not AuditEvent.objects.filter(topic=topic).exists()


def test_a_rename_writes_one_audit_event_with_the_old_and_new_name(editor, reviewer, publisher):
    topic = TopicFactory(slug="diabetes", name="Diabetes")
    make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="a1c", topics=["diabetes"]
    )

    services.topic_update(actor=publisher, topic=topic, changes={"name": "Blood sugar"})

    event = AuditEvent.objects.get(topic=topic)
    assert event.action == AuditAction.TOPIC_RENAMED
    assert event.actor == publisher
    assert event.chain == f"topic:{topic.pk}"
    assert event.details == {
        "old_name": "Diabetes",
        "new_name": "Blood sugar",
        "live_articles": 1,
        "approved_or_scheduled_revisions": 0,
    }


def test_an_editor_may_rename_a_topic_no_live_article_shows(editor):
    topic = TopicFactory(slug="draft-only", name="Draft only")

    services.topic_update(actor=editor, topic=topic, changes={"name": "Still a draft"})

    assert AuditEvent.objects.get(topic=topic).details["old_name"] == "Draft only"


def test_a_publisher_renaming_a_live_topic_may_not_move_it_on_the_way(
    make_staff, editor, reviewer, publisher
):
    topic = TopicFactory(slug="diabetes", name="Diabetes")
    TopicFactory(slug="elsewhere", name="Elsewhere")
    make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="a1c", topics=["diabetes"]
    )

    with pytest.raises(NotAllowed, match="editor"):
        services.topic_update(
            actor=publisher, topic=topic, changes={"name": "Sugar", "parent": "elsewhere"}
        )

    topic.refresh_from_db()
    assert (topic.name, topic.parent) == ("Diabetes", None)


@pytest.mark.parametrize("scheduled", [False, True], ids=["approved", "scheduled"])
def test_an_editor_may_not_rename_a_topic_an_approved_revision_will_go_live_with(
    editor, reviewer, publisher, scheduled
):
    topic = TopicFactory(slug="heart-health", name="Heart health")
    revision = approve(
        latest(create_article(editor=editor, slug="ecg", topics=["heart-health"])),
        editor=editor,
        reviewer=reviewer,
    )
    if scheduled:
        workflow.revision_schedule(
            actor=publisher, revision=revision, publish_at=timezone.now() + timedelta(days=1)
        )

    with pytest.raises(NotAllowed, match="1 approved or scheduled revision"):
        services.topic_update(actor=editor, topic=topic, changes={"name": "Miracle cures"})
    services.topic_update(actor=publisher, topic=topic, changes={"name": "Heart and vessels"})

    topic.refresh_from_db()
    assert topic.name == "Heart and vessels"
    event = AuditEvent.objects.get(topic=topic)
    assert event.details["approved_or_scheduled_revisions"] == 1


def test_the_reviewer_of_the_next_revision_is_shown_a_rename_no_reviewer_saw(
    client, editor, reviewer, publisher, make_staff
):
    topic = TopicFactory(slug="heart-health", name="Heart health")
    article = make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="ecg", topics=["heart-health"]
    )
    services.topic_update(actor=publisher, topic=topic, changes={"name": "Heart and vessels"})
    next_revision = new_revision(article, editor=editor, title="An ECG, explained again")
    workflow.revision_submit(actor=editor, revision=next_revision)
    second = make_staff(Role.REVIEWER, username="second-reviewer")
    client.force_login(second)

    page = client.get(
        f"/review/articles/{article.pk}/revisions/{next_revision.number}/"
    ).content.decode()

    assert "Renamed since the last clinical review" in page
    assert "&ldquo;Heart health&rdquo; became &ldquo;Heart and vessels&rdquo;" in page


def test_the_delivery_topic_list_shows_only_topics_live_articles_use(
    editor, reviewer, publisher, delivery_headers
):
    TopicFactory(slug="heart-health", name="Heart health")
    TopicFactory(slug="brand-new", name="Anything an editor types")
    make_live(
        editor=editor, reviewer=reviewer, publisher=publisher, slug="ecg", topics=["heart-health"]
    )

    listed = APIClient().get("/api/v1/topics/", **delivery_headers).json()

    assert [topic["slug"] for topic in listed] == ["heart-health"]
