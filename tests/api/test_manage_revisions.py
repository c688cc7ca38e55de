"""Management API: write, list, read and edit revisions; stale writes and frozen revisions."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditEvent, Revision, RevisionState
from contentapi.models import Role, User
from tests.conftest import revision_url
from tests.factories import ArticleFactory, RevisionFactory, UserFactory
from tests.problems import assert_problem, field_errors

ARTICLES_URL = "/api/v1/manage/articles/"

# Token lookup, the article, page count, page rows (with their authors joined in).
REVISION_LIST_QUERIES = 4 + 2  # + the contributors: every revision's lineage, then the users

CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "editor_note",
    "topics",
    "codes",
    "sources",
    "authors",
)


def revisions_url(article: Article) -> str:
    return f"{ARTICLES_URL}{article.pk}/revisions/"


def content_of(revision_body: dict[str, Any]) -> dict[str, Any]:
    return {name: revision_body[name] for name in CONTENT_FIELDS}


def stored_content(revision: Revision) -> dict[str, Any]:
    """What the database holds for a revision's content, read afresh."""
    fresh = Revision.objects.get(pk=revision.pk)
    return {
        "title": fresh.title,
        "summary": fresh.summary,
        "body": fresh.body,
        "editor_note": fresh.editor_note,
        "topics": sorted(fresh.topics.values_list("slug", flat=True)),
        "codes": list(fresh.codes.values_list("system", "code", "display")),
        "sources": fresh.sources,
        "authors": fresh.authors,
    }


@pytest.fixture
def created(api: Any, editor: User, new_article_payload: dict[str, Any]) -> Article:
    """An article made through the API, so its first revision has topics, codes and sources."""
    response = api(editor).post(ARTICLES_URL, new_article_payload)
    assert response.status_code == 201, response.json()
    return Article.objects.get(pk=response.json()["id"])


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/{id}/revisions/
# ------------------------------------------------------------------------------
def test_a_revision_based_on_the_latest_is_created_as_a_draft(api, editor, created):
    response = api(editor).post(
        revisions_url(created), {"base_revision": 1, "title": "Called back after a mammogram?"}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 2
    assert body["state"] == "draft"
    assert body["base_revision"] == 1
    assert body["author"]["username"] == "editor"
    assert body["title"] == "Called back after a mammogram?"
    assert response["Location"] == f"http://testserver{revision_url(created, 2)}"
    assert response["ETag"] == api(editor).get(revision_url(created, 2))["ETag"]
    created.refresh_from_db()
    assert created.latest_revision.number == 2


def test_fields_left_out_are_carried_over_from_the_base(api, editor, other_editor, created):
    base = api(editor).get(revision_url(created, 1)).json()

    response = api(other_editor).post(
        revisions_url(created), {"base_revision": 1, "body": "## New body\n"}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["body"] == "## New body\n"
    assert body["author"]["username"] == "editor2"
    for name in ("title", "summary", "editor_note", "topics", "codes", "sources", "authors"):
        assert body[name] == base[name], name
    assert body["codes"] == [
        {"system": "icd10cm", "code": "R92.8", "display": "Abnormal breast imaging"}
    ]
    assert body["topics"] == [{"slug": "breast-health", "name": "Breast health"}]


def test_lists_sent_empty_replace_the_base_lists(api, editor, created):
    response = api(editor).post(
        revisions_url(created),
        {"base_revision": 1, "topics": [], "codes": [], "sources": [], "authors": []},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["topics"], body["codes"], body["sources"], body["authors"]) == ([], [], [], [])
    assert api(editor).get(revision_url(created, 1)).json()["topics"] != []


def test_codes_in_a_new_revision_are_normalised(api, editor, created):
    response = api(editor).post(
        revisions_url(created),
        {"base_revision": 1, "codes": [{"system": "icd10cm", "code": "n63"}]},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["codes"] == [{"system": "icd10cm", "code": "N63", "display": ""}]


@pytest.mark.parametrize("base_revision", [1, 3])
def test_a_revision_not_based_on_the_latest_is_409_and_saves_nothing(
    api, editor, other_editor, created, base_revision
):
    assert (
        api(editor).post(revisions_url(created), {"base_revision": 1, "title": "Two"}).status_code
        == 201
    )
    created.refresh_from_db()
    article_version = created.version
    events = AuditEvent.objects.count()

    response = api(other_editor).post(
        revisions_url(created), {"base_revision": base_revision, "title": "Lost update"}
    )

    assert assert_problem(response, 409)["code"] == "stale-revision"
    assert Revision.objects.filter(article=created).count() == 2
    assert not Revision.objects.filter(title="Lost update").exists()
    created.refresh_from_db()
    assert created.latest_revision.number == 2
    assert created.version == article_version
    assert AuditEvent.objects.count() == events


def test_base_revision_is_required(api, editor, created):
    response = api(editor).post(revisions_url(created), {"title": "No base"})

    assert field_errors(assert_problem(response, 400))["base_revision"]["code"] == "required"
    assert Revision.objects.filter(article=created).count() == 1


@pytest.mark.parametrize("base_revision", ["1", 1.0, True, 0, None])
def test_base_revision_must_be_a_positive_integer(api, editor, created, base_revision):
    response = api(editor).post(
        revisions_url(created), {"base_revision": base_revision, "title": "Bad base"}, format="json"
    )

    assert "base_revision" in field_errors(assert_problem(response, 400))
    assert Revision.objects.filter(article=created).count() == 1


def test_a_new_revision_naming_an_unknown_topic_is_400_and_saves_nothing(api, editor, created):
    response = api(editor).post(
        revisions_url(created), {"base_revision": 1, "topics": ["breast-helth"]}
    )

    assert field_errors(assert_problem(response, 400))["topics"]["code"] == "unknown_topic"
    assert Revision.objects.filter(article=created).count() == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PUBLISHER])
def test_only_editors_write_revisions(api, make_staff, created, role):
    response = api(make_staff(role)).post(revisions_url(created), {"base_revision": 1})

    assert_problem(response, 403)
    assert Revision.objects.filter(article=created).count() == 1


def test_writing_a_revision_without_a_token_is_401(api, created):
    assert_problem(api().post(revisions_url(created), {"base_revision": 1}), 401)
    assert Revision.objects.filter(article=created).count() == 1


def test_writing_a_revision_of_an_unknown_article_is_404(api, editor):
    response = api(editor).post(f"{ARTICLES_URL}999999/revisions/", {"base_revision": 1})

    assert_problem(response, 404)


def test_workflow_fields_sent_with_a_new_revision_are_ignored(api, editor, reviewer, created):
    long_ago = "2020-01-01T00:00:00+00:00"

    response = api(editor).post(
        revisions_url(created),
        {
            "base_revision": 1,
            "title": "Two",
            "state": "approved",
            "author": reviewer.pk,
            "approved_by": reviewer.pk,
            "number": 42,
            "approved_at": long_ago,
            "submitted_at": long_ago,
            "created_at": long_ago,
            "updated_at": long_ago,
            "reviews": [{"decision": "approved"}],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["state"], body["title"]) == (2, "draft", "Two")
    assert body["author"]["username"] == "editor"
    assert body["approved_by"] is None
    assert body["approved_at"] is None
    assert body["submitted_at"] is None
    assert body["reviews"] == []
    revision = Revision.objects.get(article=created, number=2)
    assert revision.created_at > timezone.now() - timedelta(minutes=5)
    assert (revision.state, revision.author, revision.approved_by) == ("draft", editor, None)


# ------------------------------------------------------------------------------
# GET /api/v1/manage/articles/{id}/revisions/
# ------------------------------------------------------------------------------
def test_revisions_are_listed_newest_first(api, editor, other_editor, reviewer, created):
    api(editor).post(revisions_url(created), {"base_revision": 1, "title": "Two"})
    api(other_editor).post(revisions_url(created), {"base_revision": 2, "title": "Three"})

    response = api(reviewer).get(revisions_url(created))

    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["number"] for r in results] == [3, 2, 1]
    assert [r["state"] for r in results] == ["draft", "draft", "draft"]
    assert [r["author"]["username"] for r in results] == ["editor2", "editor", "editor"]
    assert [r["title"] for r in results] == ["Three", "Two", created.latest_revision.title]
    for item in results:
        assert item["created_at"].endswith(("Z", "+00:00"))


def test_revision_list_shows_each_state(api, editor, reviewer, created):
    workflow.revision_submit(actor=editor, revision=created.latest_revision)

    results = api(reviewer).get(revisions_url(created)).json()["results"]

    assert [(r["number"], r["state"]) for r in results] == [(1, "in_review")]


def test_revisions_of_an_unknown_article_are_404(api, editor):
    assert_problem(api(editor).get(f"{ARTICLES_URL}999999/revisions/"), 404)


def test_revision_list_without_a_token_is_401(api, created):
    assert_problem(api().get(revisions_url(created)), 401)


@pytest.mark.parametrize("how_many", [2, 6])
def test_revision_list_query_count_does_not_grow_with_rows(
    api, editor, django_assert_num_queries, how_many
):
    article = ArticleFactory(created_by=editor)
    for number in range(2, how_many + 1):
        # A different author each time, so a missing join would show as extra queries.
        RevisionFactory(
            article=article,
            number=number,
            base_revision=number - 1,
            author=UserFactory(username=f"writer{number}"),
        )
    client = api(editor)

    with django_assert_num_queries(REVISION_LIST_QUERIES):
        response = client.get(revisions_url(article))

    assert [r["number"] for r in response.json()["results"]] == list(range(how_many, 0, -1))


# ------------------------------------------------------------------------------
# GET /api/v1/manage/articles/{id}/revisions/{n}/
# ------------------------------------------------------------------------------
def test_revision_detail_has_its_content_state_author_and_an_etag(api, reviewer, created):
    response = api(reviewer).get(revision_url(created, 1))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["article"] == created.pk
    assert body["number"] == 1
    assert body["state"] == "draft"
    assert body["author"] == {"username": "editor", "name": "Ana Ruiz", "credentials": "MD"}
    assert body["base_revision"] is None
    assert body["reviews"] == []
    assert body["codes"] == [
        {"system": "icd10cm", "code": "R92.8", "display": "Abnormal breast imaging"}
    ]
    etag = response["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert api(reviewer).get(revision_url(created, 1))["ETag"] == etag


def test_revision_detail_shows_reviews(api, editor, reviewer, created):
    workflow.revision_submit(actor=editor, revision=created.latest_revision)
    workflow.revision_request_changes(
        actor=reviewer, revision=created.latest_revision, comment="Say when to call."
    )

    body = api(editor).get(revision_url(created, 1)).json()

    assert body["state"] == "changes_requested"
    assert len(body["reviews"]) == 1
    review = body["reviews"][0]
    assert review["decision"] == "changes_requested"
    assert review["comment"] == "Say when to call."
    assert review["reviewer"]["name"] == "Dr. Mei Chen"
    assert review["reviewer"]["credentials"] == "MD"


def test_revision_detail_with_the_current_etag_is_304(api, editor, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]

    response = client.get(revision_url(created, 1), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_revision_etag_changes_on_a_state_change(api, editor, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    assert client.post(revision_url(created, 1, "submit")).status_code == 200

    response = client.get(revision_url(created, 1), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_an_unknown_revision_number_is_404(api, editor, created):
    assert_problem(api(editor).get(revision_url(created, 2)), 404)


def test_a_revision_is_only_found_under_its_own_article(api, editor, created):
    other = ArticleFactory(created_by=editor)
    assert api(editor).get(revision_url(other, 1)).json()["article"] == other.pk
    assert_problem(api(editor).get(revision_url(other, 2)), 404)


# ------------------------------------------------------------------------------
# PATCH /api/v1/manage/articles/{id}/revisions/{n}/
# ------------------------------------------------------------------------------
def test_the_author_edits_a_draft_with_its_etag(api, editor, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]

    response = client.patch(
        revision_url(created, 1),
        {"title": "Called back?", "codes": [{"system": "icd10cm", "code": "r922"}]},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Called back?"
    assert body["codes"] == [{"system": "icd10cm", "code": "R92.2", "display": ""}]
    assert body["summary"] == "Most call-backs are not cancer."  # not sent, kept
    assert body["number"] == 1
    assert body["state"] == "draft"
    assert response["ETag"] != etag
    assert response["ETag"] == client.get(revision_url(created, 1))["ETag"]
    assert Revision.objects.filter(article=created).count() == 1


def test_editing_a_draft_changes_the_article_etag(api, editor, created):
    client = api(editor)
    article_etag = client.get(f"{ARTICLES_URL}{created.pk}/")["ETag"]
    etag = client.get(revision_url(created, 1))["ETag"]

    client.patch(revision_url(created, 1), {"title": "Changed"}, HTTP_IF_MATCH=etag)

    assert client.get(f"{ARTICLES_URL}{created.pk}/")["ETag"] != article_etag


def test_patch_without_if_match_is_428_and_changes_nothing(api, editor, created):
    before = stored_content(created.latest_revision)

    response = api(editor).patch(revision_url(created, 1), {"title": "Unconditional"})

    assert assert_problem(response, 428)["code"] == "precondition-required"
    assert stored_content(created.latest_revision) == before


def test_patch_with_a_stale_etag_is_412_and_changes_nothing(api, editor, created):
    client = api(editor)
    stale = client.get(revision_url(created, 1))["ETag"]
    first = client.patch(revision_url(created, 1), {"title": "First edit"}, HTTP_IF_MATCH=stale)
    assert first.status_code == 200
    after_first = stored_content(created.latest_revision)
    events = AuditEvent.objects.count()

    response = client.patch(revision_url(created, 1), {"title": "Lost edit"}, HTTP_IF_MATCH=stale)

    assert assert_problem(response, 412)["code"] == "precondition-failed"
    assert stored_content(created.latest_revision) == after_first
    assert client.get(revision_url(created, 1))["ETag"] == first["ETag"]
    assert AuditEvent.objects.count() == events


def test_patch_with_a_weak_etag_is_412(api, editor, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    before = stored_content(created.latest_revision)

    response = client.patch(revision_url(created, 1), {"title": "Weak"}, HTTP_IF_MATCH=f"W/{etag}")

    assert_problem(response, 412)
    assert stored_content(created.latest_revision) == before


def test_patch_by_someone_other_than_the_author_is_403(api, other_editor, created):
    client = api(other_editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    before = stored_content(created.latest_revision)

    response = client.patch(revision_url(created, 1), {"title": "Not mine"}, HTTP_IF_MATCH=etag)

    assert assert_problem(response, 403)["code"] == "not-allowed"
    assert stored_content(created.latest_revision) == before


def test_patch_by_an_admin_who_is_not_the_author_is_403(api, admin, created):
    client = api(admin)
    etag = client.get(revision_url(created, 1))["ETag"]

    response = client.patch(revision_url(created, 1), {"title": "Admin"}, HTTP_IF_MATCH=etag)

    assert_problem(response, 403)


@pytest.mark.parametrize(
    "state",
    [
        RevisionState.IN_REVIEW,
        RevisionState.CHANGES_REQUESTED,
        RevisionState.APPROVED,
        RevisionState.SCHEDULED,
        RevisionState.PUBLISHED,
        RevisionState.SUPERSEDED,
    ],
)
def test_patch_of_a_revision_that_is_not_a_draft_is_409(api, editor, reviewer, created, state):
    revision = created.latest_revision
    revision.state = state
    if state not in (RevisionState.IN_REVIEW, RevisionState.CHANGES_REQUESTED):
        revision.approved_by = reviewer
    revision.save()
    before = stored_content(revision)
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]

    response = client.patch(revision_url(created, 1), {"title": "Too late"}, HTTP_IF_MATCH=etag)

    assert assert_problem(response, 409)["code"] == "invalid-transition"
    assert stored_content(revision) == before


def test_patch_with_invalid_content_is_400_and_changes_nothing(api, editor, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    before = stored_content(created.latest_revision)

    response = client.patch(
        revision_url(created, 1),
        {"title": "Valid", "topics": ["no-such-topic"]},
        HTTP_IF_MATCH=etag,
    )

    assert field_errors(assert_problem(response, 400))["topics"]["code"] == "unknown_topic"
    assert stored_content(created.latest_revision) == before
    assert client.get(revision_url(created, 1))["ETag"] == etag


def test_workflow_fields_sent_in_a_patch_are_ignored(api, editor, reviewer, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    long_ago = "2020-01-01T00:00:00+00:00"

    response = client.patch(
        revision_url(created, 1),
        {
            "title": "Edited",
            "state": "approved",
            "author": reviewer.pk,
            "approved_by": reviewer.pk,
            "number": 9,
            "base_revision": 7,
            "approved_at": long_ago,
            "submitted_at": long_ago,
            "created_at": long_ago,
        },
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Edited"
    assert (body["number"], body["state"], body["base_revision"]) == (1, "draft", None)
    assert body["author"]["username"] == "editor"
    assert (body["approved_by"], body["approved_at"], body["submitted_at"]) == (None, None, None)
    revision = Revision.objects.get(article=created, number=1)
    assert (revision.state, revision.author, revision.approved_by) == ("draft", editor, None)
    assert revision.created_at > timezone.now() - timedelta(minutes=5)


def test_a_patch_of_only_workflow_fields_changes_nothing(api, editor, reviewer, created):
    client = api(editor)
    etag = client.get(revision_url(created, 1))["ETag"]
    before = stored_content(created.latest_revision)
    events = AuditEvent.objects.count()

    response = client.patch(
        revision_url(created, 1),
        {"state": "approved", "approved_by": reviewer.pk, "number": 9},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "draft"
    assert stored_content(created.latest_revision) == before
    # Nothing changed, so the ETag still holds (another editor's If-Match must not go stale)
    # and the history records no edit.
    assert response["ETag"] == etag
    assert AuditEvent.objects.count() == events


# ------------------------------------------------------------------------------
# Invariant 4: a submitted revision never changes
# ------------------------------------------------------------------------------
def test_a_submitted_revision_never_changes_whatever_is_sent(
    api, editor, other_editor, reviewer, created
):
    editor_client = api(editor)
    assert editor_client.post(revision_url(created, 1, "submit")).status_code == 200
    frozen = content_of(editor_client.get(revision_url(created, 1)).json())
    first = Revision.objects.get(article=created, number=1)
    stored = stored_content(first)

    etag = editor_client.get(revision_url(created, 1))["ETag"]
    attempts = [
        editor_client.patch(revision_url(created, 1), {"title": "Sneaky"}, HTTP_IF_MATCH=etag),
        editor_client.patch(revision_url(created, 1), {"body": "Sneaky"}, HTTP_IF_MATCH="*"),
        api(other_editor).patch(revision_url(created, 1), {"title": "X"}, HTTP_IF_MATCH=etag),
    ]
    assert [r.status_code for r in attempts] == [409, 409, 403]
    # Editing means a new revision; the submitted one stays as it was.
    new = editor_client.post(
        revisions_url(created), {"base_revision": 1, "title": "Revised", "body": "New"}
    )
    assert new.status_code == 201
    notes = api(reviewer).post(revision_url(created, 1, "notes"), {"body": "Looks fine."})
    assert notes.status_code == 201
    assert editor_client.post(revision_url(created, 1, "submit")).status_code == 409
    reviewed = api(reviewer).post(
        revision_url(created, 1, "request-changes"), {"comment": "Shorter, please."}
    )
    assert reviewed.status_code == 200
    after_review = editor_client.get(revision_url(created, 1)).json()
    assert after_review["state"] == "changes_requested"
    etag = editor_client.get(revision_url(created, 1))["ETag"]
    late = editor_client.patch(revision_url(created, 1), {"title": "Late"}, HTTP_IF_MATCH=etag)
    assert late.status_code == 409

    assert content_of(editor_client.get(revision_url(created, 1)).json()) == frozen
    assert stored_content(first) == stored
    assert Revision.objects.get(article=created, number=2).title == "Revised"


def test_approval_publication_and_supersession_never_change_a_revisions_content(
    api, editor, reviewer, publisher, created
):
    client = api(editor)
    client.post(revision_url(created, 1, "submit"))
    frozen = content_of(client.get(revision_url(created, 1)).json())
    first = Revision.objects.get(article=created, number=1)
    stored = stored_content(first)
    approved = api(reviewer).post(revision_url(created, 1, "approve"), {"comment": "Accurate."})
    published = api(publisher).post(revision_url(created, 1, "publish"), {})
    assert (approved.status_code, published.status_code) == (200, 200)
    assert content_of(approved.json()) == frozen
    assert content_of(published.json()) == frozen

    etag = client.get(revision_url(created, 1))["ETag"]
    late = client.patch(revision_url(created, 1), {"title": "Live edit"}, HTTP_IF_MATCH=etag)
    assert assert_problem(late, 409)["code"] == "invalid-transition"

    # A newer revision goes live; the old one is superseded, its content untouched.
    assert (
        client.post(revisions_url(created), {"base_revision": 1, "title": "R2"}).status_code == 201
    )
    client.post(revision_url(created, 2, "submit"))
    api(reviewer).post(revision_url(created, 2, "approve"))
    assert api(publisher).post(revision_url(created, 2, "publish"), {}).status_code == 200

    old = client.get(revision_url(created, 1)).json()
    assert old["state"] == "superseded"
    assert content_of(old) == frozen
    assert stored_content(first) == stored
