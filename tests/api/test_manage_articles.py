"""Management API: create, list, filter and read articles (/api/v1/manage/articles/)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionCode,
    RevisionState,
)
from contentapi.models import Role, User
from tests.conftest import revision_url
from tests.factories import ArticleFactory
from tests.problems import assert_problem, field_errors

ARTICLES_URL = "/api/v1/manage/articles/"

# Token lookup, page count, page rows (with latest and live revision joined in).
ARTICLE_LIST_QUERIES = 3


def article_url(article: Article | int) -> str:
    pk = article.pk if isinstance(article, Article) else article
    return f"{ARTICLES_URL}{pk}/"


def published(
    *, author: User, approver: User, slug: str, next_review_due: Any, title: str | None = None
) -> Article:
    """A live article, built by setting the fields the workflow would have set."""
    article = ArticleFactory(created_by=author, slug=slug)
    revision = article.latest_revision
    if title is not None:
        revision.title = title
    revision.state = RevisionState.PUBLISHED
    revision.approved_by = approver
    revision.approved_at = next_review_due - timedelta(days=article.review_interval_days)
    revision.save()
    article.status = ArticleStatus.PUBLISHED
    article.live_revision = revision
    article.first_published_at = revision.approved_at
    article.last_updated_at = revision.approved_at
    article.last_reviewed_at = revision.approved_at
    article.last_reviewed_by = approver
    article.next_review_due = next_review_due
    article.save()
    return article


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/
# ------------------------------------------------------------------------------
def test_editor_creates_an_article_with_location_and_etag(api, editor, new_article_payload):
    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    body = response.json()
    article = Article.objects.get(slug="screening-mammogram-callback", locale="en")
    assert body["id"] == article.pk
    assert body["slug"] == "screening-mammogram-callback"
    assert body["locale"] == "en"
    assert body["status"] == "draft"
    assert body["latest_revision"] == 1
    assert body["live_revision"] is None
    assert body["title"] == new_article_payload["title"]
    assert body["review_interval_days"] == 365
    assert response["Location"] == f"http://testserver{article_url(article)}"
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')

    followed = api(editor).get(response["Location"])
    assert followed.status_code == 200
    assert followed.json()["id"] == article.pk
    assert followed["ETag"] == response["ETag"]


def test_first_revision_is_a_draft_written_by_the_caller(api, editor, new_article_payload):
    article_id = api(editor).post(ARTICLES_URL, new_article_payload).json()["id"]
    article = Article.objects.get(pk=article_id)

    response = api(editor).get(revision_url(article, 1))

    assert response.status_code == 200, response.json()
    revision = response.json()
    assert revision["number"] == 1
    assert revision["state"] == "draft"
    assert revision["author"]["username"] == "editor"
    assert revision["author"]["name"] == "Ana Ruiz"
    assert revision["base_revision"] is None
    assert revision["approved_by"] is None
    assert revision["title"] == new_article_payload["title"]
    assert revision["summary"] == new_article_payload["summary"]
    assert revision["body"] == new_article_payload["body"]
    assert revision["topics"] == [{"slug": "breast-health", "name": "Breast health"}]
    assert revision["sources"] == new_article_payload["sources"]
    assert revision["authors"] == new_article_payload["authors"]
    assert article.latest_revision.number == 1
    assert list(article.audit_events.values_list("action", "actor__username")) == [
        (AuditAction.ARTICLE_CREATED, "editor")
    ]


@pytest.mark.parametrize(
    ("system", "typed", "stored"),
    [
        ("icd10cm", "r92.8", "R92.8"),
        ("icd10cm", " r 928 ", "R92.8"),
        ("loinc", " 4548-4 ", "4548-4"),
        ("snomedct", "129 753 004", "129753004"),
    ],
)
def test_codes_are_normalised_on_create(api, editor, new_article_payload, system, typed, stored):
    new_article_payload["codes"] = [{"system": system, "code": typed, "display": "x"}]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert list(RevisionCode.objects.values_list("system", "code")) == [(system, stored)]
    detail = api(editor).get(revision_url(article, 1)).json()
    assert detail["codes"] == [{"system": system, "code": stored, "display": "x"}]


def test_an_invalid_code_is_a_400_naming_the_code_and_saves_nothing(
    api, editor, new_article_payload
):
    new_article_payload["codes"] = [{"system": "icd10cm", "code": "not a code"}]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    body = assert_problem(response, 400)
    assert field_errors(body)["codes[0].code"]["code"] == "invalid_code"
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_duplicate_slug_in_the_same_locale_is_400_on_slug_and_saves_nothing(
    api, editor, new_article_payload
):
    first = api(editor).post(ARTICLES_URL, new_article_payload)
    assert first.status_code == 201
    counts = (Article.objects.count(), Revision.objects.count(), AuditEvent.objects.count())
    new_article_payload["title"] = "A different title"

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    body = assert_problem(response, 400)
    errors = field_errors(body)
    assert list(errors) == ["slug"]
    assert errors["slug"]["code"] == "unique"
    assert (Article.objects.count(), Revision.objects.count(), AuditEvent.objects.count()) == (
        counts
    )
    assert not Revision.objects.filter(title="A different title").exists()


def test_same_slug_in_another_locale_is_a_separate_article(api, editor, new_article_payload):
    english = api(editor).post(ARTICLES_URL, new_article_payload)
    new_article_payload["locale"] = "es"
    new_article_payload["title"] = "Por qué le pueden llamar después de una mamografía"

    spanish = api(editor).post(ARTICLES_URL, new_article_payload)

    assert english.status_code == 201
    assert spanish.status_code == 201, spanish.json()
    assert spanish.json()["id"] != english.json()["id"]
    assert set(
        Article.objects.filter(slug="screening-mammogram-callback").values_list("locale", flat=True)
    ) == {"en", "es"}


def test_an_unknown_locale_is_400_on_locale(api, editor, new_article_payload):
    new_article_payload["locale"] = "xx"

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert "locale" in field_errors(assert_problem(response, 400))
    assert not Article.objects.exists()


def test_missing_required_content_is_400_listing_each_field(api, editor):
    response = api(editor).post(ARTICLES_URL, {"slug": "no-content", "locale": "en"})

    errors = field_errors(assert_problem(response, 400))
    assert {"title", "summary", "body"} <= set(errors)
    assert errors["title"]["code"] == "required"
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PUBLISHER])
def test_staff_who_are_not_editors_may_not_create_articles(
    api, make_staff, new_article_payload, role
):
    response = api(make_staff(role)).post(ARTICLES_URL, new_article_payload)

    assert assert_problem(response, 403)["code"] == "not-allowed"
    assert not Article.objects.exists()


def test_an_admin_may_create_articles(api, admin, new_article_payload):
    response = api(admin).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    assert Revision.objects.get().author == admin


def test_creating_without_a_token_is_401(api, new_article_payload):
    response = api().post(ARTICLES_URL, new_article_payload)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert not Article.objects.exists()


def test_creating_with_a_bad_token_is_401(api, new_article_payload):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token pe_not-a-real-token")

    response = client.post(ARTICLES_URL, new_article_payload)

    assert_problem(response, 401)
    assert not Article.objects.exists()


def test_malformed_json_is_a_400_problem_with_an_errors_list(api, editor):
    response = api(editor).generic(
        "POST", ARTICLES_URL, '{"slug": "x",', content_type="application/json"
    )

    body = assert_problem(response, 400)
    # The contract: every 400 carries `errors`, so clients can rely on one shape.
    assert field_errors(body)
    assert not Article.objects.exists()


def test_a_body_of_only_whitespace_is_400_on_body(api, editor, new_article_payload):
    new_article_payload["body"] = " \n\t\n "

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert "body" in field_errors(assert_problem(response, 400))
    assert not Article.objects.exists()


def test_review_interval_is_taken_from_the_body(api, editor, new_article_payload):
    new_article_payload["review_interval_days"] = 180

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    assert response.json()["review_interval_days"] == 180
    assert Article.objects.get().review_interval_days == 180


@pytest.mark.parametrize("days", [0, -1, "30", 3651])
def test_a_bad_review_interval_is_400(api, editor, new_article_payload, days):
    new_article_payload["review_interval_days"] = days

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert "review_interval_days" in field_errors(assert_problem(response, 400))
    assert not Article.objects.exists()


def test_duplicate_codes_after_normalisation_are_400(api, editor, new_article_payload):
    new_article_payload["codes"] = [
        {"system": "icd10cm", "code": "r92.8"},
        {"system": "icd10cm", "code": "R928"},
    ]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert field_errors(assert_problem(response, 400))["codes[1]"]["code"] == "duplicate"
    assert not Article.objects.exists()


def test_an_unknown_code_system_is_400_on_that_code(api, editor, new_article_payload):
    new_article_payload["codes"] = [{"system": "icd9", "code": "793.80"}]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert field_errors(assert_problem(response, 400))["codes[0].system"]["code"] == (
        "invalid_choice"
    )


def test_a_translation_joins_the_translation_group_of_its_original(
    api, editor, new_article_payload
):
    original = api(editor).post(ARTICLES_URL, new_article_payload).json()
    new_article_payload.update({"locale": "es", "translation_of": original["id"]})

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    assert response.json()["translation_group"] == original["translation_group"]


def test_workflow_fields_sent_on_create_are_ignored(api, editor, reviewer, new_article_payload):
    long_ago = "2020-01-01T00:00:00+00:00"
    new_article_payload.update(
        {
            "status": "published",
            "state": "approved",
            "author": reviewer.pk,
            "approved_by": reviewer.pk,
            "number": 7,
            "latest_revision": 7,
            "live_revision": 7,
            "first_published_at": long_ago,
            "last_updated_at": long_ago,
            "last_reviewed_at": long_ago,
            "next_review_due": long_ago,
            "approved_at": long_ago,
            "submitted_at": long_ago,
        }
    )

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert (body["latest_revision"], body["live_revision"]) == (1, None)
    for date in ("first_published_at", "last_updated_at", "last_reviewed_at", "next_review_due"):
        assert body[date] is None
    revision = Revision.objects.get()
    assert (revision.number, revision.state, revision.author) == (1, "draft", editor)
    assert revision.approved_by is None
    assert revision.approved_at is None
    assert revision.submitted_at is None


# ------------------------------------------------------------------------------
# GET /api/v1/manage/articles/
# ------------------------------------------------------------------------------
@pytest.fixture
def catalogue(editor: User, reviewer: User) -> dict[str, Article]:
    """One article of each kind the filters tell apart."""
    now = timezone.now()
    draft = ArticleFactory(created_by=editor, slug="knee-replacement-recovery")
    draft.latest_revision.title = "Recovering from knee replacement"
    draft.latest_revision.save()
    overdue = published(
        author=editor,
        approver=reviewer,
        slug="understanding-your-a1c",
        title="Understanding your A1C",
        next_review_due=now - timedelta(days=30),
    )
    current = published(
        author=editor,
        approver=reviewer,
        slug="colonoscopy-prep",
        title="What a colonoscopy prep involves",
        next_review_due=now + timedelta(days=200),
    )
    taken_down = ArticleFactory(created_by=editor, slug="old-flu-advice")
    taken_down.status = ArticleStatus.UNPUBLISHED
    taken_down.next_review_due = now - timedelta(days=90)
    taken_down.save()
    return {"draft": draft, "overdue": overdue, "current": current, "taken_down": taken_down}


def test_list_shows_every_article_whatever_its_status(api, reviewer, catalogue):
    response = api(reviewer).get(ARTICLES_URL)

    assert sorted(slugs(response)) == sorted(a.slug for a in catalogue.values())
    body = response.json()
    assert body["next"] is None
    assert body["previous"] is None
    by_slug = {item["slug"]: item for item in body["results"]}
    assert by_slug["understanding-your-a1c"]["status"] == "published"
    assert by_slug["understanding-your-a1c"]["live_revision"] == 1
    assert by_slug["understanding-your-a1c"]["title"] == "Understanding your A1C"
    assert by_slug["knee-replacement-recovery"]["live_revision"] is None


def test_list_is_most_recently_changed_first(api, editor):
    older = ArticleFactory(created_by=editor, slug="older")
    newer = ArticleFactory(created_by=editor, slug="newer")
    older.save()  # touched last

    assert slugs(api(editor).get(ARTICLES_URL)) == [older.slug, newer.slug]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", {"knee-replacement-recovery"}),
        ("published", {"understanding-your-a1c", "colonoscopy-prep"}),
        ("unpublished", {"old-flu-advice"}),
    ],
)
def test_list_filters_by_status(api, editor, catalogue, status, expected):
    response = api(editor).get(ARTICLES_URL, {"status": status})

    assert set(slugs(response)) == expected


def test_review_overdue_lists_only_live_articles_past_their_review_date(api, editor, catalogue):
    response = api(editor).get(ARTICLES_URL, {"review_overdue": "true"})

    assert slugs(response) == ["understanding-your-a1c"]


def test_review_overdue_false_lists_all_the_others(api, editor, catalogue):
    response = api(editor).get(ARTICLES_URL, {"review_overdue": "false"})

    assert set(slugs(response)) == {
        "knee-replacement-recovery",
        "colonoscopy-prep",
        "old-flu-advice",
    }


def test_review_overdue_combines_with_status(api, editor, catalogue):
    overdue_drafts = api(editor).get(ARTICLES_URL, {"status": "draft", "review_overdue": "true"})
    overdue_live = api(editor).get(ARTICLES_URL, {"status": "published", "review_overdue": "true"})

    assert slugs(overdue_drafts) == []
    assert slugs(overdue_live) == ["understanding-your-a1c"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("a1c", {"understanding-your-a1c"}),  # slug and title, any case
        ("COLONOSCOPY", {"colonoscopy-prep"}),
        ("knee replacement", {"knee-replacement-recovery"}),  # only in the title
        ("flu-adv", {"old-flu-advice"}),  # only in the slug
        ("no such words", set()),
    ],
)
def test_q_searches_slug_and_latest_title(api, editor, catalogue, q, expected):
    assert set(slugs(api(editor).get(ARTICLES_URL, {"q": q}))) == expected


def test_q_searches_the_latest_revision_not_older_ones(api, editor):
    article = ArticleFactory(created_by=editor, slug="mammogram")
    response = api(editor).post(
        f"{article_url(article)}revisions/", {"base_revision": 1, "title": "Breast imaging"}
    )
    assert response.status_code == 201, response.json()
    old_title = Revision.objects.get(article=article, number=1).title

    assert slugs(api(editor).get(ARTICLES_URL, {"q": "breast imaging"})) == ["mammogram"]
    assert slugs(api(editor).get(ARTICLES_URL, {"q": old_title})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "live"}, "status"),
        ({"status": "in_review"}, "status"),
        ({"review_overdue": "maybe"}, "review_overdue"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_a_bad_filter_value_is_400_naming_the_filter(api, editor, catalogue, params, field):
    response = api(editor).get(ARTICLES_URL, params)

    assert field in field_errors(assert_problem(response, 400))


def test_list_without_a_token_is_401(api, catalogue):
    assert_problem(api().get(ARTICLES_URL), 401)


@pytest.mark.parametrize("role", list(Role))
def test_any_staff_role_may_list(api, make_staff, catalogue, role):
    assert len(slugs(api(make_staff(role)).get(ARTICLES_URL))) == len(catalogue)


@pytest.mark.parametrize("how_many", [2, 6])
def test_list_query_count_does_not_grow_with_rows(
    api, editor, reviewer, django_assert_num_queries, how_many
):
    for index in range(how_many):
        if index % 2:
            published(
                author=editor,
                approver=reviewer,
                slug=f"live-{index}",
                next_review_due=timezone.now() + timedelta(days=index),
            )
        else:
            ArticleFactory(created_by=editor)
    client = api(editor)

    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = client.get(ARTICLES_URL)

    assert len(slugs(response)) == how_many


@pytest.mark.parametrize("how_many", [2, 6])
def test_filtered_list_query_count_does_not_grow_with_rows(
    api, editor, reviewer, django_assert_num_queries, how_many
):
    for index in range(how_many):
        published(
            author=editor,
            approver=reviewer,
            slug=f"overdue-{index}",
            next_review_due=timezone.now() - timedelta(days=index + 1),
        )
    client = api(editor)
    params = {"status": "published", "review_overdue": "true", "q": "overdue"}

    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = client.get(ARTICLES_URL, params)

    assert len(slugs(response)) == how_many


# ------------------------------------------------------------------------------
# GET /api/v1/manage/articles/{id}/
# ------------------------------------------------------------------------------
def test_detail_has_the_contract_fields_and_an_etag(api, editor, reviewer):
    article = published(
        author=editor,
        approver=reviewer,
        slug="understanding-your-a1c",
        next_review_due=timezone.now() + timedelta(days=100),
    )

    response = api(reviewer).get(article_url(article))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == article.pk
    assert body["slug"] == "understanding-your-a1c"
    assert body["locale"] == "en"
    assert body["status"] == "published"
    assert body["latest_revision"] == 1
    assert body["live_revision"] == 1
    assert body["review_interval_days"] == 365
    for date in ("first_published_at", "last_updated_at", "last_reviewed_at", "next_review_due"):
        assert body[date] is not None
        assert body[date].endswith(("Z", "+00:00"))
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')


def test_detail_with_the_current_etag_in_if_none_match_is_304(api, editor, article):
    client = api(editor)
    etag = client.get(article_url(article))["ETag"]

    response = client.get(article_url(article), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_detail_if_none_match_accepts_a_list_and_weak_tags(api, editor, article):
    client = api(editor)
    etag = client.get(article_url(article))["ETag"]

    response = client.get(article_url(article), HTTP_IF_NONE_MATCH=f'"other", W/{etag}')

    assert response.status_code == 304


def test_detail_etag_changes_when_the_article_gets_a_new_revision(api, editor, article):
    client = api(editor)
    old_etag = client.get(article_url(article))["ETag"]
    created = client.post(f"{article_url(article)}revisions/", {"base_revision": 1, "title": "B"})
    assert created.status_code == 201, created.json()

    response = client.get(article_url(article), HTTP_IF_NONE_MATCH=old_etag)

    assert response.status_code == 200
    assert response["ETag"] != old_etag
    assert response.json()["latest_revision"] == 2


def test_detail_of_an_unknown_article_is_404(api, editor):
    assert_problem(api(editor).get(article_url(999_999)), 404)


def test_detail_without_a_token_is_401(api, article):
    assert_problem(api().get(article_url(article)), 401)


def test_an_article_created_without_an_interval_gets_the_configured_default(
    api, editor, new_article_payload, settings
):
    settings.DEFAULT_REVIEW_INTERVAL_DAYS = 180

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.content
    assert response.json()["review_interval_days"] == 180
