"""CDN cache tags: delivery responses name what they show; webhooks name what to purge."""

import json

from tests.factories import TopicFactory
from tests.publishing_helpers import make_live
from tests.webhooks.receiver import receiver_running
from webhooks.worker import deliver_due


def test_delivery_responses_carry_the_tags_a_webhook_purges(
    client, staff, delivery_headers, settings, api, admin
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    TopicFactory(slug="diabetes", name="Diabetes")
    TopicFactory(slug="lab-tests", name="Lab tests")
    with receiver_running() as receiver:
        api(admin).post("/api/v1/manage/webhooks/", {"url": receiver.url})
        make_live(**staff, slug="a1c", topics=["diabetes", "lab-tests"])
        deliver_due()
    purge_keys = set(json.loads(receiver.received[0].body)["data"]["purge_keys"])

    detail = client.get("/api/v1/articles/a1c/", **delivery_headers)
    listed = client.get("/api/v1/articles/?locale=en&topic=diabetes", **delivery_headers)
    topics = client.get("/api/v1/topics/", **delivery_headers)

    assert detail["Surrogate-Key"] == "article-a1c-en topic-diabetes topic-lab-tests"
    assert detail["Cache-Tag"] == "article-a1c-en,topic-diabetes,topic-lab-tests"
    assert listed["Surrogate-Key"] == "articles articles-en topic-diabetes"
    assert topics["Surrogate-Key"] == "topics"
    for response in (detail, listed, topics):
        assert set(response["Surrogate-Key"].split()) <= purge_keys
