"""A soak: eight staff members and portals hammer five articles at once through the API.

8 threads x 50 random workflow actions (write, submit, approve, request changes, publish,
unpublish, certify) on 5 articles, mixed with delivery reads. Afterwards: no 500, at most
one live revision per article, exactly one audit event per success, the delivery set what
the audit trail implies, and a replay of the changes feed equal to the delivery set.
"""

import random
from collections import Counter

import pytest
from rest_framework.test import APIClient

from articles.models import Article, AuditEvent, Revision, RevisionState
from contentapi.models import Role, StaffToken
from delivery.models import ChangeEvent, PublishedDocument
from tests.publishing_helpers import make_live
from tests.racing import race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, ACTIONS, ARTICLES = 8, 50, 5
# What each successful action writes to the audit trail.
AUDITED = {
    "write": "revision_created",
    "submit": "submitted",
    "approve": "approved",
    "request-changes": "changes_requested",
    "publish": "published",
    "unpublish": "unpublished",
    "certify-review": "review_certified",
}


def _client(user) -> APIClient:
    _, token = StaffToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_soak_of_concurrent_workflow_and_reads_leaves_everything_consistent(
    make_staff, editor, reviewer, publisher, delivery_headers
):
    articles = [
        make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug=f"soak-{n}")
        for n in range(ARTICLES)
    ]
    people = [
        make_staff(
            Role.EDITOR, Role.REVIEWER, Role.PUBLISHER,
            username=f"soaker{n}", display_name=f"Dr. Soak {n}", credentials="MD",
        )
        for n in range(THREADS)
    ]  # fmt: skip
    audit_before = Counter(AuditEvent.objects.values_list("action", flat=True))

    def work(index: int) -> list[tuple[str, int]]:
        rng = random.Random(index)
        staff, portal = _client(people[index]), APIClient()
        done = []
        for _ in range(ACTIONS):
            article = rng.choice(articles)
            base = f"/api/v1/manage/articles/{article.pk}/"
            latest = Article.objects.get(pk=article.pk).latest_revision.number
            action = rng.choice([*AUDITED, "read", "read"])
            if action == "read":
                response = portal.get(f"/api/v1/articles/{article.slug}/", **delivery_headers)
            elif action == "write":
                response = staff.post(
                    f"{base}revisions/",
                    {"base_revision": latest, "body": f"Edit by {index}.\n"},
                )
            elif action in ("unpublish", "certify-review"):
                response = staff.post(f"{base}{action}/", {})
            else:
                body = {"comment": "Please fix."} if action == "request-changes" else {}
                response = staff.post(f"{base}revisions/{latest}/{action}/", body)
            done.append((action, response.status_code))
        return done

    results = race(THREADS, work)

    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    outcomes = [outcome for thread in results for outcome in thread]
    assert not [o for o in outcomes if o[1] >= 500], outcomes
    assert {status for _, status in outcomes} <= {200, 201, 304, 400, 403, 404, 409}
    # Exactly one audit event per success.
    succeeded = Counter(AUDITED[a] for a, status in outcomes if a in AUDITED and status < 300)
    audit_after = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert audit_after - audit_before == succeeded
    # At most one live revision per article, and it is the one delivery serves.
    for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
        published = Revision.objects.filter(article=article, state=RevisionState.PUBLISHED)
        assert published.count() <= 1
        live = published.first()
        assert article.live_revision_id == (live.pk if live else None)
    # The delivery set is what the audit trail implies: live where the last publication
    # event is `published`.
    implied = set()
    for article in articles:
        last = (
            AuditEvent.objects.filter(article=article, action__in=["published", "unpublished"])
            .order_by("-seq")
            .values_list("action", flat=True)
            .first()
        )
        if last == "published":
            implied.add(article.slug)
    delivered = set(PublishedDocument.objects.values_list("slug", flat=True))
    assert delivered == implied
    # Replaying the feed gives the same set.
    mirror: set[str] = set()
    for event, slug in ChangeEvent.objects.order_by("id").values_list("event", "slug"):
        if event == "unpublished":
            mirror.discard(slug)
        else:
            mirror.add(slug)
    assert mirror == delivered
