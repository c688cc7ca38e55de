"""The hot documents (delivery/hot.py): a detail or a 304 with no query, never stale past
the bound, never older than `min_cursor`.

The suite makes the hot documents look at the feed before every answer (tests/conftest.py);
the tests of the bound set HOT_DOCUMENTS_FRESH_MS themselves and move the clock the
hot documents read.
"""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import OperationalError

from articles import workflow
from delivery import pages
from delivery.hot import HotDocuments, hot_documents
from delivery.selectors import StoredDocument
from tests.publishing_helpers import api_key, key_header, publish_new_revision

ARTICLES = "/api/v1/articles/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(client: Any, db: None) -> Any:
    headers = key_header(api_key("delivery"))

    def fetch(url: str, **extra: Any) -> Any:
        return client.get(url, **{**headers, **extra})

    return fetch


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The monotonic clock the hot documents read; move it with `clock[0] += seconds`."""
    now = [1000.0]
    monkeypatch.setattr("delivery.hot.time.monotonic", lambda: now[0])
    return now


@pytest.fixture
def bound(settings: Any, clock: list[float]) -> list[float]:
    settings.HOT_DOCUMENTS_FRESH_MS = 100
    return clock


def _feed_head() -> str:
    from delivery.selectors import feed_head

    return f"c1.{feed_head()}"


def test_a_document_read_once_answers_again_and_revalidates_with_no_query(
    get, live, bound, django_assert_num_queries
):
    live("asthma", title="Asthma")
    first = get(f"{ARTICLES}asthma/")
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = get(f"{ARTICLES}asthma/")
        revalidated = get(f"{ARTICLES}asthma/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_past_the_bound_it_looks_at_the_feed_and_drops_what_changed(
    get, live, staff, bound, django_assert_num_queries
):
    article = live("asthma", title="Asthma")
    get(f"{ARTICLES}asthma/")
    publish_new_revision(article, **staff, title="Asthma, updated")

    # Within the bound: what it knew when it last looked (at most 100 ms ago).
    assert get(f"{ARTICLES}asthma/").json()["title"] == "Asthma"
    bound[0] += 0.101
    with django_assert_num_queries(3):  # the feed's head, what changed, the document
        updated = get(f"{ARTICLES}asthma/")

    assert updated.json()["title"] == "Asthma, updated"


def test_an_unpublished_article_is_gone_at_the_next_look(get, live, staff):
    article = live("asthma")
    assert get(f"{ARTICLES}asthma/").status_code == 200
    workflow.article_unpublish(actor=staff["publisher"], article=article)

    assert get(f"{ARTICLES}asthma/").status_code == 404


def test_a_min_cursor_past_what_it_knows_makes_it_look_at_the_feed_at_once(get, live, staff, bound):
    article = live("asthma", title="Asthma")
    get(f"{ARTICLES}asthma/")
    get(ARTICLES)
    publish_new_revision(article, **staff, title="Asthma, updated")

    told = get(f"{ARTICLES}asthma/", data={"min_cursor": _feed_head()})

    assert told.json()["title"] == "Asthma, updated"
    # The look moved it on: the kept list, asked without a cursor within the bound, is gone.
    assert get(ARTICLES).json()["results"][0]["title"] == "Asthma, updated"


def test_a_min_cursor_past_the_feed_itself_is_answered_from_the_database(get, live, bound):
    live("asthma", title="Asthma")
    get(f"{ARTICLES}asthma/")
    ahead = f"c1.{int(_feed_head().removeprefix('c1.')) + 5}"

    assert not hot_documents.current(int(ahead.removeprefix("c1.")))
    assert get(f"{ARTICLES}asthma/", data={"min_cursor": ahead}).status_code == 200


def test_a_slug_asked_without_a_locale_follows_a_new_translation(get, live, bound):
    live("diabetes", locale="es", title="Diabetes (es)")
    assert get(f"{ARTICLES}diabetes/").json()["locale"] == "es"
    live("diabetes", locale="en", title="Diabetes (en)")
    bound[0] += 0.101

    # Now the default locale's document is the one meant.
    assert get(f"{ARTICLES}diabetes/").json()["locale"] == "en"


def _primary_away(self: HotDocuments) -> None:
    raise OperationalError("the primary is away")


def test_without_the_primary_it_does_not_answer_and_the_request_is_a_503(
    get, live, bound, monkeypatch
):
    live("asthma", title="Asthma")
    get(f"{ARTICLES}asthma/")
    bound[0] += 0.101
    monkeypatch.setattr(HotDocuments, "_catch_up", _primary_away)

    # Without replicas the read would go to the same primary: the 503 it would have been.
    answer = get(f"{ARTICLES}asthma/")

    assert answer.status_code == 503
    assert answer.json()["code"] == "database-unavailable"


def test_with_replicas_a_primary_away_is_not_asked_again_for_a_while(
    live, bound, monkeypatch, settings
):
    settings.DATABASE_REPLICA_URLS = ["postgres://postgres@127.0.0.1:1/replica"]
    settings.REPLICA_RETRY_SECONDS = 5
    live("asthma", title="Asthma")
    hot = HotDocuments()
    asked: list[float] = []

    def away(self: HotDocuments) -> None:
        asked.append(bound[0])
        _primary_away(self)

    monkeypatch.setattr(HotDocuments, "_catch_up", away)

    assert hot.current() is False  # the request then reads from a replica
    bound[0] += 1
    assert hot.current() is False
    bound[0] += 4.1
    assert hot.current() is False

    assert asked == [1000.0, 1005.1]


# ------------------------------------------------------------------------------
# The rules of keeping, on their own
# ------------------------------------------------------------------------------
def _document(generation: int | None, size: int = 1000, locale: str = "en") -> StoredDocument:
    return StoredDocument(
        b"x" * size, '"e"', datetime(2026, 1, 1, tzinfo=UTC), locale, "", generation
    )


def _known_at(position: int) -> HotDocuments:
    hot = HotDocuments()
    hot.position = position
    return hot


def test_a_read_older_than_its_position_is_not_kept():
    hot = _known_at(10)

    hot.keep("old", "en", _document(generation=9))
    hot.keep("new", "en", _document(generation=10))
    hot.keep("unknown", "en", _document(generation=None))

    assert hot.get("old", "en") is None
    assert hot.get("unknown", "en") is None
    assert hot.get("new", "en") is not None


def test_nothing_is_kept_before_the_first_look_at_the_feed():
    hot = HotDocuments()

    hot.keep("asthma", "en", _document(generation=10))

    assert len(hot) == 0


def test_past_its_budget_the_least_recently_used_goes_first(settings):
    settings.HOT_DOCUMENTS_MB = 5 * 1200 / (1024 * 1024)  # room for five
    hot = _known_at(1)
    for slug in "abcde":
        hot.keep(slug, "en", _document(generation=1))
    hot.get("a", "en")  # used: "b" is now the least recent

    hot.keep("f", "en", _document(generation=1))

    assert [slug for slug in "abcdef" if hot.get(slug, "en")] == ["a", "c", "d", "e", "f"]


def test_a_document_larger_than_a_quarter_of_the_budget_is_not_kept(settings):
    settings.HOT_DOCUMENTS_MB = 3 * 1200 / (1024 * 1024)
    hot = _known_at(1)

    hot.keep("large", "en", _document(generation=1))

    assert len(hot) == 0


def test_a_feed_that_went_back_empties_it(live):
    live("asthma")
    hot = HotDocuments()
    assert hot.current()
    hot.keep("asthma", "en", _document(generation=hot.position))
    hot.position += 100  # as after a restore from an older backup
    hot._looked_at = float("-inf")

    assert hot.current()
    assert len(hot) == 0


def test_a_patient_page_is_kept_and_goes_when_its_article_changes(
    client, live, staff, bound, django_assert_num_queries, monkeypatch
):
    made: list[str] = []
    make = pages.render_to_string

    def counted(template: str, *args: Any, **kwargs: Any) -> str:
        made.append(template)
        return make(template, *args, **kwargs)

    monkeypatch.setattr(pages, "render_to_string", counted)
    article = live("asthma", title="Asthma")
    first = client.get("/en/asthma/")
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = client.get("/en/asthma/")
        revalidated = client.get("/en/asthma/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert made == ["delivery/patient_page.html"]  # made once, for the first request
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304

    publish_new_revision(article, **staff, title="Asthma, updated")
    bound[0] += 0.101
    updated = client.get("/en/asthma/")

    assert "Asthma, updated" in updated.content.decode()
    assert updated["ETag"] != first["ETag"]


def test_a_list_answers_again_with_no_query_until_the_feed_moves(
    get, live, staff, bound, django_assert_num_queries
):
    live("asthma", title="Asthma")
    first = get(ARTICLES, data={"page_size": 5})
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = get(ARTICLES, data={"page_size": 5})
        revalidated = get(ARTICLES, data={"page_size": 5}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content
    assert again["Surrogate-Key"] == first["Surrogate-Key"]
    assert revalidated.status_code == 304

    live("bronchitis", title="Bronchitis")
    bound[0] += 0.101
    changed = get(ARTICLES, data={"page_size": 5})

    assert [item["slug"] for item in changed.json()["results"]] == ["bronchitis", "asthma"]


def test_a_list_with_a_min_cursor_past_what_it_knows_is_read(get, live, bound):
    live("asthma", title="Asthma")
    get(ARTICLES)
    live("bronchitis", title="Bronchitis")

    told = get(ARTICLES, data={"min_cursor": _feed_head()})

    assert [item["slug"] for item in told.json()["results"]] == ["bronchitis", "asthma"]


def test_a_list_is_kept_per_address_and_query(get, live, bound):
    live("asthma", title="Asthma")
    live("bronchitis", title="Bronchitis")
    get(ARTICLES, data={"page_size": 1})

    other_size = get(ARTICLES, data={"page_size": 2})
    other_host = get(ARTICLES, data={"page_size": 1}, HTTP_HOST="127.0.0.1")

    assert len(other_size.json()["results"]) == 2
    # Its links name the address it was asked at.
    assert other_host.json()["next"].startswith("http://127.0.0.1/")
