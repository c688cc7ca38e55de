"""The changes feed is the only outbox: subscriptions follow it with cursors of their own.

Publishing writes a change event and nothing of webhooks; the worker's fan-out turns events
into deliveries, once per subscription, in feed order, whatever the number of subscriptions.
"""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from delivery.models import ChangeEvent
from tests.publishing_helpers import approved_revision, make_live, publish
from webhooks import services
from webhooks.fanout import fan_out
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.selectors import backlog
from webhooks.services import subscription_create, subscription_update


@pytest.fixture
def subscribe(admin: Any, settings: Any) -> Any:
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]

    def make(**fields: Any) -> WebhookSubscription:
        subscription, _ = subscription_create(actor=admin, url="http://127.0.0.1:9/hooks", **fields)
        return subscription

    return make


def delivered(subscription: WebhookSubscription) -> list[tuple[str, str]]:
    """(event kind, slug) of each delivery the subscription has, in feed order."""
    return [
        (d.event.event, d.event.slug)
        for d in WebhookDelivery.objects.filter(subscription=subscription)
        .select_related("event")
        .order_by("event_id")
    ]


def test_publishing_writes_the_change_event_and_no_delivery(subscribe, staff):
    subscription = subscribe()

    make_live(**staff, slug="a1c")

    assert ChangeEvent.objects.count() == 1
    assert WebhookDelivery.objects.count() == 0
    assert backlog()["events_waiting"] == 1
    assert fan_out() == 1
    assert delivered(subscription) == [("published", "a1c")]
    assert backlog()["events_waiting"] == 0


def test_publishing_costs_the_same_queries_with_a_hundred_subscriptions(subscribe, staff):
    def publish_queries(slug: str) -> int:
        revision = approved_revision(
            make_live(**staff, slug=slug), editor=staff["editor"], reviewer=staff["reviewer"]
        )
        with CaptureQueriesContext(connection) as captured:
            publish(revision, publisher=staff["publisher"])
        return len(captured)

    alone = publish_queries("no-subscribers")
    for _ in range(100):
        subscribe()

    assert publish_queries("a-hundred-subscribers") == alone


def test_each_event_reaches_each_subscription_once_in_feed_order_in_small_batches(
    subscribe, staff, publisher
):
    early = subscribe()
    first = make_live(**staff, slug="first")
    make_live(**staff, slug="second")
    late = subscribe()  # starts at the head: the two events before it are not its
    workflow.article_unpublish(actor=publisher, article=first)
    make_live(**staff, slug="third")

    while fan_out(batch=1):
        pass
    fan_out()  # nothing new: nothing twice

    assert delivered(early) == [
        ("published", "first"),
        ("published", "second"),
        ("unpublished", "first"),
        ("published", "third"),
    ]
    assert delivered(late) == [("unpublished", "first"), ("published", "third")]
    head = ChangeEvent.objects.latest("id").pk
    assert {s.feed_cursor for s in WebhookSubscription.objects.all()} == {head}


def test_a_cursor_ahead_of_the_batch_stays_where_it_is(subscribe, staff):
    behind = subscribe()
    make_live(**staff, slug="one")
    make_live(**staff, slug="two")
    ahead = subscribe()
    make_live(**staff, slug="three")

    fan_out(batch=1)

    ahead.refresh_from_db()
    behind.refresh_from_db()
    assert (behind.feed_cursor, ahead.feed_cursor) == (
        ChangeEvent.objects.get(slug="one").pk,
        ChangeEvent.objects.get(slug="two").pk,
    )
    assert delivered(ahead) == []


def test_a_subscription_gets_only_the_events_and_locales_it_wants(subscribe, staff, publisher):
    unpublished_only = subscribe(events=["unpublished"])
    spanish_only = subscribe(locales=["es"])
    article = make_live(**staff, slug="gone")
    make_live(**staff, slug="nuevo", locale="es")
    workflow.article_unpublish(actor=publisher, article=article)

    fan_out()

    assert delivered(unpublished_only) == [("unpublished", "gone")]
    assert delivered(spanish_only) == [("published", "nuevo")]


def test_a_subscription_turned_off_misses_what_changed_meanwhile_and_resumes(
    subscribe, staff, admin
):
    subscription = subscribe()
    subscription_update(actor=admin, subscription=subscription, changes={"enabled": False})
    make_live(**staff, slug="while-off")
    fan_out()
    subscription_update(actor=admin, subscription=subscription, changes={"enabled": True})
    make_live(**staff, slug="after")

    fan_out()

    assert delivered(subscription) == [("published", "after")]


def test_the_purge_keys_are_those_readers_saw_when_the_change_happened(
    subscribe, staff, publisher, topic
):
    subscription = subscribe()
    article = make_live(**staff, slug="tagged", topics=[topic.slug])
    workflow.article_unpublish(actor=publisher, article=article)

    fan_out()

    taken_down = WebhookDelivery.objects.get(subscription=subscription, event__event="unpublished")
    assert f"topic-{topic.slug}" in taken_down.payload
    assert ChangeEvent.objects.get(event="unpublished").purge_keys.split() == [
        "article-tagged-en",
        f"topic-{topic.slug}",
        "articles",
        "articles-en",
        "topics",
    ]


def test_a_replay_past_more_unwanted_events_than_one_call_takes_still_queues_the_wanted(
    subscribe, staff, admin, publisher, monkeypatch
):
    monkeypatch.setattr(services, "REPLAY_MAX", 2)
    subscription = subscribe(events=["unpublished"])
    first = make_live(**staff, slug="first")
    make_live(**staff, slug="second")
    make_live(**staff, slug="third")
    workflow.article_unpublish(actor=publisher, article=first)

    replayed = services.replay(actor=admin, subscription=subscription, after_event=0)

    assert [ChangeEvent.objects.get(pk=pk).event for pk in replayed] == ["unpublished"]
