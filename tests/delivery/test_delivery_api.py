"""Delivery API: keys and scopes, the live article, the list and its filters, topics, the
changes feed, preview, caching headers and pinned query counts."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from articles import workflow
from articles.models import Article
from contentapi.models import IntegratorKey, Role, User
from delivery.cursors import ListKey, encode_list_cursor
from delivery.models import ChangeEvent
from delivery.rendering import iso
from tests.factories import TopicFactory
from tests.problems import assert_problem
from tests.publishing_helpers import (
    api_key,
    approve,
    approved_revision,
    create_article,
    key_header,
    latest,
    publish,
    publish_new_revision,
)

ARTICLES = "/api/v1/articles/"
TOPICS = "/api/v1/topics/"
CHANGES = "/api/v1/changes/"

# The key look-up (made on every request in these tests: API_KEY_CACHE_SECONDS is 0), then
# one indexed read of stored bytes (or of the topic counts).
DETAIL_QUERIES = 2
LIST_QUERIES = 2
# On PostgreSQL a search runs in its own transaction with seq scans priced out (SET LOCAL):
# here that is a savepoint, the SET and the release around the one query. SQLite has no
# planner setting to make, so no transaction either.
SEARCH_QUERIES = {"postgresql": LIST_QUERIES + 3, "sqlite": LIST_QUERIES}
CHANGES_QUERIES = 2
TOPICS_QUERIES = 2

DETAIL_FIELDS = {
    "slug", "locale", "title", "summary", "body_html", "body_markdown", "editor_note",
    "topics", "codes", "sources", "authors", "reviewed_by", "first_published_at",
    "last_updated_at", "last_reviewed_at", "next_review_due", "revision", "reading_grade",
    "readability", "translations", "json_ld",
}  # fmt: skip
LIST_ITEM_FIELDS = {
    "slug", "locale", "title", "summary", "topics", "last_updated_at", "last_reviewed_at", "url",
}  # fmt: skip


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def headers(db: None) -> dict[str, str]:
    """Authorization for a key with the delivery scope."""
    return key_header(api_key("delivery"))


@pytest.fixture
def get(client: APIClient, headers: dict[str, str]) -> Callable[..., Any]:
    """GET with the delivery key."""

    def fetch(url: str, **extra: Any) -> Any:
        return client.get(url, **{**headers, **extra})

    return fetch


@pytest.fixture
def database_path(settings: Any) -> None:
    """No hot documents or lists: every answer is read (tests/delivery/test_hot.py: the rest)."""
    settings.HOT_DOCUMENTS_MB = 0


@pytest.fixture
def key_checked_every_time(settings: Any) -> None:
    """No remembered keys, so every request pays for its key look-up."""
    settings.API_KEY_CACHE_SECONDS = 0


@pytest.fixture
def mammogram(live: Callable[..., Article], topic: Any) -> Article:
    """A live English article with every field filled in."""
    return live(
        "screening-mammogram-callback",
        title="Why you might be called back after a screening mammogram",
        summary="Most call-backs are not cancer.",
        body="## What a call-back means\n\nThe radiologist saw **calcifications** and wants "
        "a closer look.\n",
        editor_note="Updated for the 2030 screening guidance.",
        topics=["breast-health"],
        codes=[{"system": "icd10cm", "code": "R92.8", "display": "Abnormal breast imaging"}],
        sources=[{"title": "Screening protocol", "url": "https://example.org/protocol"}],
        authors=[{"name": "Ana Ruiz", "credentials": "RN"}],
    )


@pytest.fixture
def many(live: Callable[..., Article]) -> list[str]:
    """25 live articles; returns their slugs, newest first."""
    slugs = [f"article-{n:02}" for n in range(25)]
    for slug in slugs:
        live(slug)
    return list(reversed(slugs))


def slugs_of(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def path_of(url: str) -> str:
    assert url.startswith("http://testserver/"), url
    return url.removeprefix("http://testserver")


# ------------------------------------------------------------------------------
# Keys and scopes
# ------------------------------------------------------------------------------
DELIVERY_URLS = [ARTICLES, f"{ARTICLES}screening-mammogram-callback/", TOPICS, CHANGES]


@pytest.mark.parametrize("url", DELIVERY_URLS)
def test_delivery_without_credentials_is_401_with_a_challenge(client, mammogram, url):
    response = client.get(url)

    body = assert_problem(response, 401)
    assert body["code"] == "not-authenticated"
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize("url", DELIVERY_URLS)
def test_delivery_with_an_unknown_key_is_401(client, mammogram, url):
    response = client.get(url, **key_header("AbCdEfGh.not-a-real-key"))

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize("fault", ["revoked", "expired"])
def test_delivery_with_a_revoked_or_expired_key_is_401(client, mammogram, fault):
    key, plain = IntegratorKey.objects.create_key(name="old-portal", scopes=["delivery"])
    if fault == "revoked":
        key.revoked = True
    else:
        key.expiry_date = key.created - timedelta(days=1)
    key.save()

    response = client.get(ARTICLES, **key_header(plain))

    assert_problem(response, 401)


@pytest.mark.parametrize("url", DELIVERY_URLS)
def test_delivery_with_a_preview_only_key_is_403(client, mammogram, url):
    response = client.get(url, **key_header(api_key("preview")))

    assert assert_problem(response, 403)["code"] == "permission-denied"


@pytest.mark.parametrize("url", DELIVERY_URLS)
def test_delivery_with_a_delivery_key_is_200(get, mammogram, url):
    assert get(url).status_code == 200


@pytest.mark.parametrize(
    ("scopes", "status"), [([], 200), (["--scope", "delivery"], 200), (["--scope", "preview"], 403)]
)
def test_a_key_made_by_create_api_key_opens_delivery_by_its_scope(
    client, mammogram, scopes, status
):
    out = StringIO()
    call_command("create_api_key", "patient-portal", *scopes, stdout=out, stderr=StringIO())
    key = out.getvalue().strip().splitlines()[-1]

    response = client.get(ARTICLES, **key_header(key))

    assert response.status_code == status, response.content


@pytest.mark.parametrize("url", DELIVERY_URLS)
def test_public_delivery_needs_no_key(client, settings, mammogram, url):
    settings.DELIVERY_PUBLIC = True

    response = client.get(url)

    assert response.status_code == 200, response.content


# ------------------------------------------------------------------------------
# One article
# ------------------------------------------------------------------------------
def test_the_detail_has_every_contract_field(get, mammogram, reviewer):
    response = get(f"{ARTICLES}screening-mammogram-callback/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    doc = response.json()
    assert set(doc) >= DETAIL_FIELDS
    assert doc["slug"] == "screening-mammogram-callback"
    assert doc["locale"] == "en"
    assert doc["title"] == "Why you might be called back after a screening mammogram"
    assert doc["summary"] == "Most call-backs are not cancer."
    assert "<h2>What a call-back means</h2>" in doc["body_html"]
    assert "<strong>calcifications</strong>" in doc["body_html"]
    assert doc["body_markdown"].startswith("## What a call-back means")
    assert doc["editor_note"] == "Updated for the 2030 screening guidance."
    assert doc["topics"] == [{"slug": "breast-health", "name": "Breast health"}]
    assert doc["codes"] == [
        {"system": "icd10cm", "code": "R92.8", "display": "Abnormal breast imaging"}
    ]
    assert doc["sources"] == [
        {"title": "Screening protocol", "url": "https://example.org/protocol"}
    ]
    assert doc["authors"] == [{"name": "Ana Ruiz", "credentials": "RN"}]
    assert doc["reviewed_by"] == {"name": "Dr. Mei Chen", "credentials": "MD"}
    for name in ("first_published_at", "last_updated_at", "last_reviewed_at", "next_review_due"):
        assert doc[name].endswith("Z"), name
    assert doc["revision"] == 1
    assert isinstance(doc["reading_grade"], int | float)
    assert doc["translations"] == []
    json_ld = doc["json_ld"]
    assert json_ld["@type"] == "MedicalWebPage"
    assert json_ld["lastReviewed"] == doc["last_reviewed_at"]
    assert json_ld["datePublished"] == doc["first_published_at"]
    assert json_ld["dateModified"] == doc["last_updated_at"]
    assert json_ld["reviewedBy"]["name"] == "Dr. Mei Chen"


def test_the_detail_has_cache_headers(clock, get, mammogram):
    response = get(f"{ARTICLES}screening-mammogram-callback/")

    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')
    assert response["Last-Modified"] == "Tue, 01 Jan 2030 09:00:00 GMT"  # rendered then
    assert "max-age=" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


@pytest.mark.parametrize("form", ["exact", "weak", "in a list"])
def test_if_none_match_with_the_etag_gives_304_with_no_body(get, mammogram, form):
    url = f"{ARTICLES}screening-mammogram-callback/"
    etag = get(url)["ETag"]
    header = {"exact": etag, "weak": f"W/{etag}", "in a list": f'"other", {etag}'}[form]

    response = get(url, HTTP_IF_NONE_MATCH=header)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Cache-Control" in response
    assert "Content-Security-Policy" not in response  # not an HTML page


def test_if_none_match_with_an_old_etag_gives_the_new_document(get, mammogram, staff):
    url = f"{ARTICLES}screening-mammogram-callback/"
    old = get(url)["ETag"]
    publish_new_revision(mammogram, **staff, title="A new title")

    response = get(url, HTTP_IF_NONE_MATCH=old)

    assert response.status_code == 200
    assert response["ETag"] != old
    assert response.json()["title"] == "A new title"


@pytest.mark.parametrize(
    "url",
    [
        f"{ARTICLES}no-such-article/",
        f"{ARTICLES}screening-mammogram-callback/?locale=es",
        f"{ARTICLES}draft-only/",
        f"{ARTICLES}draft-only/?locale=en",
    ],
)
def test_unknown_wrong_locale_or_not_live_is_404(get, mammogram, editor, url):
    create_article(editor=editor, slug="draft-only")

    response = get(url)

    assert assert_problem(response, 404)["code"] == "not-found"


def test_an_unsupported_locale_is_400(get, mammogram):
    response = get(f"{ARTICLES}screening-mammogram-callback/?locale=xx")

    body = assert_problem(response, 400)
    assert [error["field"] for error in body["errors"]] == ["locale"]


def test_locale_picks_the_article_in_that_language(get, live):
    english = live("mammogram", title="Mammogram", body="What a mammogram is.")
    live(
        "mammogram",
        locale="es",
        translation_of=english,
        title="Mamografía",
        body="Qué es una mamografía.",
    )

    spanish = get(f"{ARTICLES}mammogram/?locale=es").json()
    default = get(f"{ARTICLES}mammogram/").json()

    assert (spanish["locale"], spanish["title"]) == ("es", "Mamografía")
    assert (default["locale"], default["title"]) == ("en", "Mammogram")
    assert spanish["translations"] == [{"locale": "en", "slug": "mammogram"}]
    assert default["translations"] == [{"locale": "es", "slug": "mammogram"}]


# ------------------------------------------------------------------------------
# The list
# ------------------------------------------------------------------------------
def test_the_list_is_newest_update_first(clock, get, live, staff):
    oldest = live("oldest")
    clock.advance(hours=1)
    live("middle")
    clock.advance(hours=1)
    live("newest")
    clock.advance(hours=1)
    publish_new_revision(oldest, **staff, title="Revised")

    response = get(ARTICLES)

    assert slugs_of(response) == ["oldest", "newest", "middle"]
    items = response.json()["results"]
    assert set(items[0]) >= LIST_ITEM_FIELDS
    assert items[0]["title"] == "Revised"
    assert items[0]["url"].endswith("/api/v1/articles/oldest/?locale=en")
    updated = [item["last_updated_at"] for item in items]
    assert updated == sorted(updated, reverse=True)


def test_the_list_has_20_a_page_by_default(get, many):
    response = get(ARTICLES)

    assert slugs_of(response) == many[:20]
    assert path_of(response.json()["next"]).startswith(f"{ARTICLES}?cursor=l1.")
    assert slugs_of(get(path_of(response.json()["next"]))) == many[20:]
    assert response.json()["previous"] is None


def test_page_size_may_be_up_to_100(get, many):
    assert slugs_of(get(f"{ARTICLES}?page_size=100")) == many
    assert slugs_of(get(f"{ARTICLES}?page_size=5")) == many[:5]


@pytest.mark.parametrize("page_size", ["101", "0", "-1", "ten"])
def test_a_page_size_out_of_range_is_400(get, many, page_size):
    body = assert_problem(get(f"{ARTICLES}?page_size={page_size}"), 400)

    assert [error["field"] for error in body["errors"]] == ["page_size"]


def test_next_and_previous_links_walk_every_page(get, many):
    seen: list[str] = []
    url: str | None = f"{ARTICLES}?page_size=10"
    pages = []
    while url:
        response = get(url)
        pages.append(response.json())
        seen += slugs_of(response)
        url = path_of(response.json()["next"]) if response.json()["next"] else None

    assert seen == many
    assert [len(page["results"]) for page in pages] == [10, 10, 5]
    assert pages[0]["previous"] is None
    assert "page_size=10" in pages[1]["next"]
    back = get(path_of(pages[2]["previous"]))
    assert slugs_of(back) == many[10:20]


def test_previous_links_walk_back_to_the_first_page(get, many):
    last = get(f"{ARTICLES}?page_size=10&page=3")
    pages = [slugs_of(last)]
    url = last.json()["previous"]
    while url:
        response = get(path_of(url))
        pages.insert(0, slugs_of(response))
        url = response.json()["previous"]

    assert pages == [many[:10], many[10:20], many[20:]]
    assert "page=" not in last.json()["previous"]  # a cursor names its page


def test_a_cursor_page_stays_put_while_newer_articles_go_live(get, live, many):
    # Offsets shift under a reader when an article goes live; a cursor does not.
    first = get(f"{ARTICLES}?page_size=10")
    live("newer-than-all")

    second = get(path_of(first.json()["next"]))

    assert slugs_of(second) == many[10:20]
    assert second.json()["count"] == 26


@pytest.mark.parametrize(
    "query",
    [
        "cursor=nonsense",
        "cursor=l1.bm90IGpzb24",  # base64 of "not json"
        "cursor=l1.WyJ4IiwiMjAyNi0wMS0wMVQwMDowMDowMCswMDowMCIsMSxudWxsXQ",  # direction "x"
        "cursor=l1.WyJhIiwiMjAyNi0wMS0wMVQwMDowMDowMCIsMSxudWxsXQ",  # no time zone
        "cursor=l1.WyJhIiwiMjAyNi0wMS0wMVQwMDowMDowMCswMDowMCIsMCxudWxsXQ",  # article 0
    ],
)
def test_a_cursor_no_list_gave_out_is_400(get, many, query):
    body = assert_problem(get(f"{ARTICLES}?{query}"), 400)

    assert [error["field"] for error in body["errors"]] == ["cursor"]


def test_a_cursor_and_a_page_together_are_400(get, many):
    cursor = get(ARTICLES).json()["next"].split("cursor=")[1]

    body = assert_problem(get(f"{ARTICLES}?cursor={cursor}&page=2"), 400)

    assert [error["field"] for error in body["errors"]] == ["page"]


def test_a_cursor_past_the_last_article_finds_nothing_more(get, many):
    last = get(f"{ARTICLES}?page_size=5&page=5")
    assert last.json()["next"] is None
    beyond = encode_list_cursor(ListKey(datetime(2000, 1, 1, tzinfo=UTC), article_id=1), after=True)

    response = get(f"{ARTICLES}?cursor={beyond}")

    assert slugs_of(response) == []
    assert response.json()["next"] is None


def test_the_list_filters_by_locale(get, live):
    english = live("english-one")
    live("spanish-one", locale="es", translation_of=english)

    assert slugs_of(get(f"{ARTICLES}?locale=es")) == ["spanish-one"]
    assert slugs_of(get(f"{ARTICLES}?locale=en")) == ["english-one"]
    assert set(slugs_of(get(ARTICLES))) == {"english-one", "spanish-one"}


def test_the_list_filters_by_topic(get, live, topic):
    TopicFactory(slug="colon-health", name="Colon health")
    live("breast", topics=["breast-health"])
    live("colon", topics=["colon-health"])
    live("both", topics=["breast-health", "colon-health"])

    assert set(slugs_of(get(f"{ARTICLES}?topic=breast-health"))) == {"breast", "both"}
    assert set(slugs_of(get(f"{ARTICLES}?topic=colon-health"))) == {"colon", "both"}
    assert slugs_of(get(f"{ARTICLES}?topic=no-such-topic")) == []


def test_search_finds_an_english_word_in_another_form(get, live):
    live("calcifications", body="Breast calcifications are small calcium deposits.")
    live("colonoscopy", body="A colonoscopy looks at the inside of the colon.")

    assert slugs_of(get(f"{ARTICLES}?q=calcification")) == ["calcifications"]
    assert slugs_of(get(f"{ARTICLES}?q=calcification&locale=en")) == ["calcifications"]


def test_search_finds_a_spanish_word_in_another_form(get, live):
    live(
        "mamografias",
        locale="es",
        title="Sus mamografías",
        body="Las mamografías detectan cambios pequeños en la mama.",
    )
    live("colonoscopia", locale="es", body="La colonoscopia examina el colon.")

    assert slugs_of(get(f"{ARTICLES}?q=mamografía")) == ["mamografias"]
    assert slugs_of(get(f"{ARTICLES}?q=mamografía&locale=es")) == ["mamografias"]
    assert slugs_of(get(f"{ARTICLES}?q=detecta&locale=es")) == ["mamografias"]


def test_search_looks_at_title_and_summary_too(get, live):
    live("by-title", title="Understanding your A1C", body="Plain body.")
    live("by-summary", summary="How to prepare for a colonoscopy.", body="Plain body.")

    assert slugs_of(get(f"{ARTICLES}?q=A1C")) == ["by-title"]
    assert slugs_of(get(f"{ARTICLES}?q=colonoscopy")) == ["by-summary"]


def test_search_pages_follow_the_ranking_through_cursors(get, live):
    # Ranked by title and summary, then newest first: some tie on rank, some do not.
    live("in-title-1", title="Kidney stones", body="About kidney stones.")
    live("in-title-2", title="Kidney stones and diet", body="About kidney stones.")
    for n in range(5):
        live(f"in-body-{n}", title=f"Other topic {n}", body="A note on kidney stones.")
    everything = slugs_of(get(f"{ARTICLES}?q=kidney&page_size=100"))
    assert len(everything) == 7

    walked, url = [], f"{ARTICLES}?q=kidney&page_size=2"
    for _ in range(10):  # a page walk that went round in circles would stop here
        response = get(url)
        walked += slugs_of(response)
        if not response.json()["next"]:
            break
        url = path_of(response.json()["next"])
    back = get(f"{ARTICLES}?q=kidney&page_size=2&page=3")
    before = get(path_of(back.json()["previous"]))

    assert walked == everything
    assert slugs_of(before) == everything[2:4]


def test_a_cursor_of_the_plain_list_is_no_place_in_a_ranked_search(get, live, many):
    live("kidney-stones", title="Kidney stones", body="About kidney stones.")
    plain = get(f"{ARTICLES}?page_size=5").json()["next"].split("cursor=")[1]

    response = get(f"{ARTICLES}?q=kidney&cursor={plain}")

    if connection.vendor == "postgresql":
        body = assert_problem(response, 400)
        assert [error["field"] for error in body["errors"]] == ["cursor"]
    else:  # SQLite's search is unranked, in the plain list's order: the cursor fits it
        assert response.status_code == 200


def test_the_list_filters_by_updated_since(clock, get, live):
    live("before")
    clock.advance(hours=2)
    live("after")
    between = (clock.now - timedelta(hours=1)).isoformat()

    response = get(ARTICLES, data={"updated_since": between})

    assert slugs_of(response) == ["after"]


@pytest.mark.parametrize("code", ["E119", "E11.9", "e11.9", " E11.9 "])
def test_the_list_filters_by_code_in_any_spelling(get, live, code):
    live("diabetes", codes=[{"system": "icd10cm", "code": "E11.9", "display": "Type 2 diabetes"}])
    live("a1c-test", codes=[{"system": "loinc", "code": "4548-4", "display": "Hemoglobin A1c"}])

    response = get(ARTICLES, data={"code": code, "code_system": "icd10cm"})

    assert slugs_of(response) == ["diabetes"]


def test_the_code_filter_matches_only_in_its_system(get, live):
    live("a1c-test", codes=[{"system": "loinc", "code": "4548-4"}])

    assert slugs_of(get(ARTICLES, data={"code": "4548-4", "code_system": "loinc"})) == ["a1c-test"]
    assert slugs_of(get(ARTICLES, data={"code": "4548-4", "code_system": "snomedct"})) == []


def test_a_code_system_alone_finds_the_articles_with_any_code_of_it(get, live):
    live("a1c-test", codes=[{"system": "loinc", "code": "4548-4"}])
    live("diabetes", codes=[{"system": "icd10cm", "code": "E11.9"}])
    live("no-codes")

    assert slugs_of(get(ARTICLES, data={"code_system": "loinc"})) == ["a1c-test"]
    assert slugs_of(get(ARTICLES, data={"code_system": "snomedct"})) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"code": "E119", "code_system": "icd9"}, "code_system"),
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"locale": "xx"}, "locale"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_field(get, mammogram, query, field):
    body = assert_problem(get(ARTICLES, data=query), 400)

    assert field in [error["field"] for error in body["errors"]]


def test_the_list_answers_304_to_its_own_etag_until_it_changes(get, mammogram, live):
    etag = get(ARTICLES)["ETag"]

    not_modified = get(ARTICLES, HTTP_IF_NONE_MATCH=etag)
    live("another")
    changed = get(ARTICLES, HTTP_IF_NONE_MATCH=etag)

    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "max-age=" in changed["Cache-Control"]


# ------------------------------------------------------------------------------
# Topics
# ------------------------------------------------------------------------------
def test_topics_list_only_those_live_articles_use_and_count_them(get, live, staff, topic):
    TopicFactory(slug="mammography", name="Mammography", parent=topic)
    TopicFactory(slug="colon-health", name="Colon health")
    live("one", topics=["breast-health", "mammography"])
    live("two", topics=["breast-health"])
    gone = live("gone", topics=["colon-health"])
    workflow.article_unpublish(actor=staff["publisher"], article=gone)
    create_article(editor=staff["editor"], slug="draft", topics=["colon-health"])

    response = get(TOPICS)

    assert response.status_code == 200
    assert response.json() == [
        {"slug": "breast-health", "name": "Breast health", "parent": None, "live_articles": 2},
        # colon-health: its article was taken down and a draft names it; not shown to readers.
        {
            "slug": "mammography",
            "name": "Mammography",
            "parent": "breast-health",
            "live_articles": 1,
        },
    ]
    assert "max-age=" in response["Cache-Control"]


# ------------------------------------------------------------------------------
# The changes feed
# ------------------------------------------------------------------------------
def test_the_feed_without_since_starts_at_the_beginning(get, live, staff):
    first = live("first")
    live("second")
    workflow.article_unpublish(actor=staff["publisher"], article=first)

    response = get(CHANGES)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    results = response.json()["results"]
    assert [(r["event"], r["slug"], r["locale"]) for r in results] == [
        ("published", "first", "en"),
        ("published", "second", "en"),
        ("unpublished", "first", "en"),
    ]
    assert all(r["at"].endswith("Z") for r in results)
    assert response.json()["has_more"] is False


def test_the_feed_cursor_continues_where_the_last_page_ended(get, live, staff):
    articles = [live(f"a{n}") for n in range(5)]

    page1 = get(CHANGES, data={"limit": 2}).json()
    page2 = get(CHANGES, data={"limit": 2, "since": page1["cursor"]}).json()
    page3 = get(CHANGES, data={"limit": 2, "since": page2["cursor"]}).json()
    empty = get(CHANGES, data={"since": page3["cursor"]}).json()
    publish_new_revision(articles[0], **staff, title="Changed")
    fresh = get(CHANGES, data={"since": page3["cursor"]}).json()

    assert [r["slug"] for r in page1["results"]] == ["a0", "a1"]
    assert [r["slug"] for r in page2["results"]] == ["a2", "a3"]
    assert [r["slug"] for r in page3["results"]] == ["a4"]
    assert (page1["has_more"], page2["has_more"], page3["has_more"]) == (True, True, False)
    assert empty["results"] == []
    assert empty["cursor"] == page3["cursor"]
    assert [(r["event"], r["slug"]) for r in fresh["results"]] == [("updated", "a0")]


@pytest.mark.parametrize(
    "cursor",
    # Not a cursor; an unknown version; not a number; negative; past any event id.
    ["not-a-cursor", "%%%", "c2.5", "c1.abc", "c1.-1", "c1.9999999999999999999"],
)
def test_a_cursor_the_feed_never_gave_out_is_400(get, mammogram, cursor):
    body = assert_problem(get(CHANGES, data={"since": cursor}), 400)

    assert [error["field"] for error in body["errors"]] == ["since"]


def test_a_cursor_past_the_newest_event_is_400_cursor_ahead(get, live):
    live("first")
    head = get(CHANGES).json()["cursor"]
    ahead = f"c1.{int(head.removeprefix('c1.')) + 977}"

    body = assert_problem(get(CHANGES, data={"since": ahead}), 400)

    assert body["code"] == "cursor-ahead"
    assert head in body["detail"]
    assert "restored" in body["detail"]
    assert [error["field"] for error in body["errors"]] == ["since"]
    # The newest cursor itself is a position the feed gave out: an empty page, not an error.
    assert get(CHANGES, data={"since": head}).json() == {
        "results": [],
        "cursor": head,
        "has_more": False,
    }


# ------------------------------------------------------------------------------
# Preview
# ------------------------------------------------------------------------------
@pytest.fixture
def pending_update(mammogram: Article, staff: dict[str, User]) -> int:
    """A new approved, unpublished revision of the live article; returns its number."""
    revision = approved_revision(mammogram, **staff, title="Draft title")
    return revision.number


def preview_url(article: Article, number: int) -> str:
    return f"/api/v1/preview/articles/{article.pk}/revisions/{number}/"


def test_a_preview_key_reads_any_revision_with_its_state(client, mammogram, pending_update):
    headers = key_header(api_key("preview"))

    unpublished = client.get(preview_url(mammogram, pending_update), **headers)
    live_one = client.get(preview_url(mammogram, 1), **headers)

    assert unpublished.status_code == 200
    assert unpublished["Cache-Control"] == "private, no-store"
    assert unpublished.json()["state"] == "approved"
    assert unpublished.json()["title"] == "Draft title"
    assert unpublished.json()["revision"] == pending_update
    assert set(unpublished.json()) >= DETAIL_FIELDS
    assert live_one.json()["state"] == "published"
    assert live_one["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", list(Role))
def test_any_staff_token_may_preview(api, make_staff, mammogram, editor, role):
    article = create_article(editor=editor, slug="draft", title="Only a draft")

    response = api(make_staff(role, username=f"who-{role}")).get(preview_url(article, 1))

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "draft"
    assert response.json()["title"] == "Only a draft"
    assert response["Cache-Control"] == "private, no-store"


def test_a_delivery_only_key_may_not_preview(get, mammogram, pending_update):
    response = get(preview_url(mammogram, pending_update))

    assert_problem(response, 403)


def test_preview_without_credentials_is_401(client, mammogram):
    assert_problem(client.get(preview_url(mammogram, 1)), 401)


def test_previewing_a_revision_that_does_not_exist_is_404(client, mammogram):
    response = client.get(preview_url(mammogram, 99), **key_header(api_key("preview")))

    assert_problem(response, 404)


# ------------------------------------------------------------------------------
# Query counts
# ------------------------------------------------------------------------------
def test_a_slug_live_in_one_other_locale_is_served_without_asking(get, live):
    live("solo-es", locale="es")

    response = get(f"{ARTICLES}solo-es/")
    again = get(f"{ARTICLES}solo-es/", HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert response.json()["locale"] == "es"
    assert again.status_code == 304


def test_a_code_without_a_system_is_found_in_any_system(get, live):
    live("a1c-test", codes=[{"system": "loinc", "code": "4548-4"}])
    live("diabetes", codes=[{"system": "icd10cm", "code": "E11.9"}])

    assert slugs_of(get(ARTICLES, data={"code": "4548-4"})) == ["a1c-test"]
    assert slugs_of(get(ARTICLES, data={"code": "e119"})) == ["diabetes"]


def test_the_detail_takes_a_fixed_number_of_queries(
    get, live, topic, key_checked_every_time, database_path, django_assert_num_queries
):
    TopicFactory(slug="mammography", name="Mammography")
    live("small")
    live(
        "large",
        topics=["breast-health", "mammography"],
        codes=[{"system": "icd10cm", "code": "R92.8"}, {"system": "icd10cm", "code": "Z12.31"}],
        sources=[{"title": f"Source {n}", "url": f"https://example.org/{n}"} for n in range(5)],
    )

    for slug in ("small", "large"):
        with django_assert_num_queries(DETAIL_QUERIES):
            assert get(f"{ARTICLES}{slug}/").status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES):
        assert get(f"{ARTICLES}missing/", data={"locale": "en"}).status_code == 404
    # Without ?locale=, a miss also asks whether the slug is live in one other locale.
    with django_assert_num_queries(DETAIL_QUERIES + 1):
        assert get(f"{ARTICLES}missing/").status_code == 404


@pytest.mark.parametrize(
    ("page_size", "page", "queries"),
    # One page holds them all: counted as read. Otherwise the count too, the first time;
    # then it comes from the cache, under the live set's generation read with the page.
    [(50, 1, (LIST_QUERIES, LIST_QUERIES)), (5, 1, (LIST_QUERIES + 1, LIST_QUERIES)),
     (20, 2, (LIST_QUERIES + 1, LIST_QUERIES))],
)  # fmt: skip
def test_the_list_takes_the_same_queries_whatever_the_page_size(
    get,
    many,
    key_checked_every_time,
    database_path,
    django_assert_num_queries,
    page_size,
    page,
    queries,
):
    first, again = queries
    with django_assert_num_queries(first):
        response = get(ARTICLES, data={"page_size": page_size, "page": page})
    with django_assert_num_queries(again):
        assert get(ARTICLES, data={"page_size": page_size, "page": page}).status_code == 200

    assert response.json()["count"] == len(many) == 25
    assert len(slugs_of(response)) == min(page_size, len(many) - (page - 1) * page_size)


def test_the_filtered_list_takes_the_same_queries(
    get, live, topic, key_checked_every_time, database_path, django_assert_num_queries
):
    live("one", topics=["breast-health"], codes=[{"system": "icd10cm", "code": "E11.9"}])

    with django_assert_num_queries(SEARCH_QUERIES[connection.vendor]):
        response = get(
            ARTICLES,
            data={
                "topic": "breast-health",
                "code": "E119",
                "code_system": "icd10cm",
                "q": "normal",
            },
        )

    assert slugs_of(response) == ["one"]


def test_the_feed_takes_a_fixed_number_of_queries(
    get, many, key_checked_every_time, django_assert_num_queries
):
    for limit in (3, 100):
        with django_assert_num_queries(CHANGES_QUERIES):
            response = get(CHANGES, data={"limit": limit})
        assert len(response.json()["results"]) == min(limit, 25)


def test_the_topics_take_a_fixed_number_of_queries(
    get, live, key_checked_every_time, django_assert_num_queries
):
    parent = TopicFactory(slug="parent-topic")
    for n in range(6):
        TopicFactory(slug=f"topic-{n}", parent=parent)
    live("one", topics=[f"topic-{n}" for n in range(6)])

    with django_assert_num_queries(TOPICS_QUERIES):
        response = get(TOPICS)

    assert len(response.json()) == 6  # the parent names no live article itself


def test_an_approved_but_unpublished_article_is_not_listed(get, staff, mammogram):
    other = create_article(editor=staff["editor"], slug="approved-only")
    approve(latest(other), editor=staff["editor"], reviewer=staff["reviewer"])

    assert slugs_of(get(ARTICLES)) == ["screening-mammogram-callback"]
    publish(latest(other), publisher=staff["publisher"])
    assert set(slugs_of(get(ARTICLES))) == {"screening-mammogram-callback", "approved-only"}


def test_the_count_kept_for_a_list_moves_with_the_live_set(get, many, live, publisher):
    before = get(ARTICLES, data={"page_size": 5, "page": 2}).json()["count"]
    live("one-more")
    added = get(ARTICLES, data={"page_size": 5, "page": 2}).json()["count"]
    workflow.article_unpublish(
        actor=publisher, article=Article.objects.get(slug="one-more"), reason="x"
    )
    removed = get(ARTICLES, data={"page_size": 5, "page": 2}).json()["count"]

    assert (before, added, removed) == (25, 26, 25)


def test_the_feed_writes_each_time_as_the_documents_do(clock, get, live):
    """Whole seconds lose their fraction, others keep all six digits, always in UTC."""
    live("whole-second")
    clock.advance(seconds=1.5)
    live("half-second")
    clock.advance(microseconds=7)
    live("seven-microseconds")

    feed = get(CHANGES).json()["results"]

    expected = [iso(e.at) for e in ChangeEvent.objects.order_by("id")]
    assert [r["at"] for r in feed] == expected
    assert expected == [
        "2030-01-01T09:00:00Z",
        "2030-01-01T09:00:01.500000Z",
        "2030-01-01T09:00:01.500007Z",
    ]
