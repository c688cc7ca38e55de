"""Renaming a topic re-renders the live articles that name it, and the feed says so."""

import json

from articles import services
from articles.models import ChangeEvent, PublishedDocument
from tests.factories import TopicFactory
from tests.publishing_helpers import make_live


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
        actor=editor,
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
