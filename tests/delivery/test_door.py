"""The read side's one door: change events commit in id order, so the feed never skips one."""

import random
import threading
import time

import pytest
from django.db import connection

from articles import workflow
from articles.models import Article
from contentapi.models import Role
from delivery.door import DeliveryChange
from delivery.models import ChangeEvent
from tests.publishing_helpers import make_live
from tests.racing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_feed_follower_sees_every_event_while_many_changes_commit_at_once(
    editor, reviewer, publisher, make_staff
):
    articles = [
        make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug=f"door-{n}")
        for n in range(6)
    ]
    certifier = make_staff(
        Role.REVIEWER, username="certifier", display_name="Dr. B", credentials="MD"
    )
    cursor = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    seen: set[int] = set()
    done = threading.Event()
    append = DeliveryChange.announce
    delays = random.Random(7)

    def slow_append(*args, **kwargs):
        # Between taking an id and committing, as a slow disk or a busy database would be.
        event = append(*args, **kwargs)
        time.sleep(delays.uniform(0.0, 0.05))
        return event

    def follow() -> None:
        # A portal replaying /changes/: remember the highest id seen, ask for ids above it.
        nonlocal cursor
        try:
            while not done.is_set():
                new = list(
                    ChangeEvent.objects.filter(id__gt=cursor)
                    .order_by("id")
                    .values_list("id", flat=True)
                )
                seen.update(new)
                cursor = new[-1] if new else cursor
                time.sleep(0.002)
        finally:
            connection.close()

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        DeliveryChange.announce = slow_append
        results = race(
            len(articles),
            lambda i: workflow.article_certify_review(
                actor=certifier, article=Article.objects.get(pk=articles[i].pk)
            ),
        )
    finally:
        DeliveryChange.announce = append
        time.sleep(0.05)
        done.set()
        follower.join(timeout=30)

    assert not [r for r in results if isinstance(r, BaseException)], results
    written = set(
        ChangeEvent.objects.filter(event="updated", slug__startswith="door-").values_list(
            "id", flat=True
        )
    )
    assert len(written) == len(articles)
    assert written <= seen, f"the follower never saw {sorted(written - seen)}"
