"""Management API: editor notes, revision diffs, the audit history, and topics."""

from datetime import datetime
from typing import Any

import pytest

from articles import services
from articles.models import Article, AuditEvent, Note, Revision, Topic
from contentapi.models import Role, User
from tests.conftest import revision_url
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from tests.problems import assert_problem, field_errors

ARTICLES_URL = "/api/v1/manage/articles/"
TOPICS_URL = "/api/v1/manage/topics/"

# Token lookup, the revision with its topics, codes and reviews, the page count, the notes
# with their authors.
NOTE_LIST_QUERIES = 7
# Token lookup, the article, page count, the events with actor and revision joined in.
HISTORY_QUERIES = 4
# Token lookup, the page count, the topics with their parents joined in.
TOPIC_LIST_QUERIES = 3


def history_url(article: Article) -> str:
    return f"{ARTICLES_URL}{article.pk}/history/"


def new_revision(article: Article, actor: User, **changes: Any) -> Revision:
    """A new draft of `article` based on its latest revision."""
    article.refresh_from_db()
    return services.revision_create(
        actor=actor, article=article, base_revision=article.latest_revision.number, changes=changes
    )


# ------------------------------------------------------------------------------
# Notes: GET, POST .../revisions/{n}/notes/
# ------------------------------------------------------------------------------
def test_staff_add_a_note_and_the_server_sets_author_and_time(api, editor, reviewer, article):
    response = api(reviewer).post(
        revision_url(article, 1, "notes"),
        {"body": "Is 'call-back' the word patients use?", "author": editor.pk, "created_at": "x"},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["body"] == "Is 'call-back' the word patients use?"
    assert body["author"]["username"] == "reviewer"
    assert body["reply_to"] is None
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    note = Note.objects.get(pk=body["id"])
    assert note.author == reviewer
    assert note.revision == article.latest_revision


def test_a_reply_names_the_note_it_answers(api, editor, reviewer, article):
    question = api(reviewer).post(revision_url(article, 1, "notes"), {"body": "Source?"}).json()

    response = api(editor).post(
        revision_url(article, 1, "notes"), {"body": "Added it.", "reply_to": question["id"]}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["reply_to"] == question["id"]
    assert Note.objects.get(pk=response.json()["id"]).reply_to_id == question["id"]


def test_a_reply_to_a_note_on_another_revision_is_400(api, editor, article):
    elsewhere = api(editor).post(revision_url(article, 1, "notes"), {"body": "On r1"}).json()
    new_revision(article, editor, title="Two")

    response = api(editor).post(
        revision_url(article, 2, "notes"), {"body": "Reply", "reply_to": elsewhere["id"]}
    )

    assert field_errors(assert_problem(response, 400))["reply_to"]["code"] == "not_found"
    assert Note.objects.count() == 1


def test_a_reply_to_a_note_on_another_article_is_400(api, editor, article):
    other = ArticleFactory(created_by=editor)
    elsewhere = api(editor).post(revision_url(other, 1, "notes"), {"body": "Other"}).json()

    response = api(editor).post(
        revision_url(article, 1, "notes"), {"body": "Reply", "reply_to": elsewhere["id"]}
    )

    assert "reply_to" in field_errors(assert_problem(response, 400))
    assert not Note.objects.filter(revision=article.latest_revision).exists()


def test_a_reply_to_a_note_that_does_not_exist_is_400(api, editor, article):
    response = api(editor).post(
        revision_url(article, 1, "notes"), {"body": "Reply", "reply_to": 999_999}
    )

    assert "reply_to" in field_errors(assert_problem(response, 400))
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "payload", [{}, {"body": 42}, {"body": "ok", "reply_to": "1"}], ids=["none", "int", "str"]
)
def test_a_note_with_a_bad_body_is_400(api, editor, article, payload):
    response = api(editor).post(revision_url(article, 1, "notes"), payload)

    assert field_errors(assert_problem(response, 400))
    assert not Note.objects.exists()


def test_notes_are_listed_oldest_first(api, editor, reviewer, article):
    first = api(reviewer).post(revision_url(article, 1, "notes"), {"body": "one"}).json()
    api(editor).post(revision_url(article, 1, "notes"), {"body": "two", "reply_to": first["id"]})
    api(reviewer).post(revision_url(article, 1, "notes"), {"body": "three"})
    new_revision(article, editor, title="Two")
    api(editor).post(revision_url(article, 2, "notes"), {"body": "on revision 2"})

    response = api(editor).get(revision_url(article, 1, "notes"))

    assert response.status_code == 200, response.json()
    notes = response.json()["results"]
    assert response.json()["count"] == 3
    assert [n["body"] for n in notes] == ["one", "two", "three"]
    assert [n["author"]["username"] for n in notes] == ["reviewer", "editor", "reviewer"]
    assert [n["reply_to"] for n in notes] == [None, first["id"], None]


@pytest.mark.parametrize("how_many", [2, 6])
def test_note_list_query_count_does_not_grow_with_rows(
    api, editor, article, django_assert_num_queries, how_many
):
    for index in range(how_many):
        services.note_create(
            actor=UserFactory(username=f"writer{index}"),
            revision=article.latest_revision,
            body=f"note {index}",
        )
    client = api(editor)

    with django_assert_num_queries(NOTE_LIST_QUERIES):
        response = client.get(revision_url(article, 1, "notes"))

    assert len(response.json()["results"]) == response.json()["count"] == how_many


def test_notes_of_an_unknown_revision_are_404(api, editor, article):
    assert_problem(api(editor).get(revision_url(article, 5, "notes")), 404)
    assert_problem(api(editor).post(revision_url(article, 5, "notes"), {"body": "x"}), 404)


def test_notes_without_a_token_are_401(api, article):
    assert_problem(api().get(revision_url(article, 1, "notes")), 401)
    assert_problem(api().post(revision_url(article, 1, "notes"), {"body": "x"}), 401)
    assert not Note.objects.exists()


# ------------------------------------------------------------------------------
# Diff: GET .../revisions/{n}/diff/?against=m
# ------------------------------------------------------------------------------
@pytest.fixture
def two_revisions(editor: User, topic: Topic) -> Article:
    """Revision 1 and a revision 2 that changes the title, a body line and the topics."""
    article = ArticleFactory(created_by=editor)
    first = article.latest_revision
    first.body = "## What it means\n\nMost results are normal.\n\nCall us with questions.\n"
    first.save()
    TopicFactory(slug="cancer-screening", name="Cancer screening")
    new_revision(
        article,
        editor,
        title="What your result means",
        body="## What it means\n\nMost results like this are normal.\n\nCall us with questions.\n",
        topics=["cancer-screening", "breast-health"],
    )
    return article


def test_diff_lists_each_changed_field_with_before_and_after(api, reviewer, two_revisions):
    first = Revision.objects.get(article=two_revisions, number=1)

    response = api(reviewer).get(revision_url(two_revisions, 2, "diff"), {"against": 1})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["base"], body["revision"]) == (1, 2)
    changed = {change["field"]: change for change in body["changed"]}
    assert set(changed) == {"title", "body", "topics"}
    assert changed["title"]["before"] == first.title
    assert changed["title"]["after"] == "What your result means"
    assert changed["topics"]["before"] == []
    assert changed["topics"]["after"] == ["breast-health", "cancer-screening"]


def test_diff_has_a_line_diff_of_the_body(api, reviewer, two_revisions):
    response = api(reviewer).get(revision_url(two_revisions, 2, "diff"), {"against": 1})

    lines = response.json()["body_diff"]
    assert "-Most results are normal." in lines
    assert "+Most results like this are normal." in lines
    assert " Call us with questions." in lines
    # Only the changed line is removed and added; the diff header names both revisions.
    assert [line for line in lines if line.startswith(("-", "+"))] == [
        "--- revision 1",
        "+++ revision 2",
        "-Most results are normal.",
        "+Most results like this are normal.",
    ]


def test_diff_the_other_way_round_swaps_before_and_after(api, reviewer, two_revisions):
    body = api(reviewer).get(revision_url(two_revisions, 1, "diff"), {"against": 2}).json()

    changed = {change["field"]: change for change in body["changed"]}
    assert changed["title"]["before"] == "What your result means"
    assert "+Most results are normal." in body["body_diff"]
    assert "-Most results like this are normal." in body["body_diff"]


def test_diff_against_itself_is_empty(api, reviewer, two_revisions):
    body = api(reviewer).get(revision_url(two_revisions, 2, "diff"), {"against": 2}).json()

    assert body["changed"] == []
    assert body["body_diff"] == []


def test_diff_shows_changed_codes(api, editor, article):
    new_revision(article, editor, codes=[{"system": "icd10cm", "code": "r92.8", "display": "x"}])

    body = api(editor).get(revision_url(article, 2, "diff"), {"against": 1}).json()

    assert body["changed"] == [
        {
            "field": "codes",
            "before": [],
            "after": [{"system": "icd10cm", "code": "R92.8", "display": "x"}],
        }
    ]
    assert body["body_diff"] == []


@pytest.mark.parametrize("params", [{}, {"against": "one"}, {"against": "0"}, {"against": "-1"}])
def test_diff_with_a_missing_or_bad_against_is_400(api, reviewer, two_revisions, params):
    response = api(reviewer).get(revision_url(two_revisions, 2, "diff"), params)

    assert "against" in field_errors(assert_problem(response, 400))


def test_diff_against_an_unknown_revision_is_404(api, reviewer, two_revisions):
    response = api(reviewer).get(revision_url(two_revisions, 2, "diff"), {"against": 9})

    assert_problem(response, 404)


def test_diff_of_an_unknown_revision_is_404(api, reviewer, two_revisions):
    response = api(reviewer).get(revision_url(two_revisions, 9, "diff"), {"against": 1})

    assert_problem(response, 404)


def test_diff_without_a_token_is_401(api, two_revisions):
    assert_problem(api().get(revision_url(two_revisions, 2, "diff"), {"against": 1}), 401)


# ------------------------------------------------------------------------------
# History: GET /api/v1/manage/articles/{id}/history/
# ------------------------------------------------------------------------------
def test_history_records_one_event_per_state_change_oldest_first(
    api, editor, other_editor, reviewer, publisher, new_article_payload
):
    ed, ed2, rev, pub = api(editor), api(other_editor), api(reviewer), api(publisher)
    created = ed.post(ARTICLES_URL, new_article_payload)
    assert created.status_code == 201
    article = Article.objects.get(pk=created.json()["id"])
    counts = [AuditEvent.objects.filter(article=article).count()]
    assert counts == [1]

    def exactly_one_event(response: Any) -> None:
        assert response.status_code in (200, 201), response.json()
        counts.append(AuditEvent.objects.filter(article=article).count())
        assert counts[-1] == counts[-2] + 1

    etag = ed.get(revision_url(article, 1))["ETag"]
    exactly_one_event(ed.patch(revision_url(article, 1), {"title": "Edited"}, HTTP_IF_MATCH=etag))
    exactly_one_event(ed.post(revision_url(article, 1, "submit")))
    exactly_one_event(
        rev.post(revision_url(article, 1, "request-changes"), {"comment": "Say when to call."})
    )
    exactly_one_event(
        ed2.post(f"{ARTICLES_URL}{article.pk}/revisions/", {"base_revision": 1, "body": "Call."})
    )
    exactly_one_event(ed2.post(revision_url(article, 2, "submit"), {"comment": "Ready."}))
    exactly_one_event(rev.post(revision_url(article, 2, "approve"), {"comment": "Accurate."}))
    exactly_one_event(pub.post(revision_url(article, 2, "publish"), {}))

    response = api(reviewer).get(history_url(article))

    assert response.status_code == 200, response.json()
    events = response.json()["results"]
    assert [(e["action"], e["actor"]["username"], e["revision"], e["comment"]) for e in events] == [
        ("article_created", "editor", 1, ""),
        ("revision_edited", "editor", 1, ""),
        ("submitted", "editor", 1, ""),
        ("changes_requested", "reviewer", 1, "Say when to call."),
        ("revision_created", "editor2", 2, ""),
        ("submitted", "editor2", 2, "Ready."),
        ("approved", "reviewer", 2, "Accurate."),
        ("published", "publisher", 2, ""),
    ]
    assert events[3]["actor"] == {
        "username": "reviewer",
        "name": "Dr. Mei Chen",
        "credentials": "MD",
    }
    times = [datetime.fromisoformat(e["at"]) for e in events]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times)


def test_refused_writes_add_no_history(api, editor, other_editor, reviewer, article):
    ed = api(editor)
    etag = ed.get(revision_url(article, 1))["ETag"]
    ed.patch(revision_url(article, 1), {"title": "Edited"}, HTTP_IF_MATCH=etag)
    events = AuditEvent.objects.filter(article=article).count()

    refused = [
        ed.patch(revision_url(article, 1), {"title": "Stale"}, HTTP_IF_MATCH=etag),  # 412
        ed.patch(revision_url(article, 1), {"title": "Unconditional"}),  # 428
        api(other_editor).patch(revision_url(article, 1), {"title": "X"}, HTTP_IF_MATCH="*"),
        api(reviewer).post(revision_url(article, 1, "approve")),  # a draft: 409
        ed.post(f"{ARTICLES_URL}{article.pk}/revisions/", {"base_revision": 5}),  # 409
        api(reviewer).post(revision_url(article, 1, "submit")),  # not an editor: 403
    ]

    assert [r.status_code for r in refused] == [412, 428, 403, 409, 409, 403]
    assert AuditEvent.objects.filter(article=article).count() == events


def test_notes_are_not_state_changes_and_add_no_history(api, editor, article):
    events = AuditEvent.objects.filter(article=article).count()

    api(editor).post(revision_url(article, 1, "notes"), {"body": "A thought."})

    assert AuditEvent.objects.filter(article=article).count() == events


@pytest.mark.parametrize("how_many", [2, 6])
def test_history_query_count_does_not_grow_with_rows(
    api, editor, article, django_assert_num_queries, how_many
):
    for index in range(how_many - 1):  # the article's creation is the first event
        new_revision(article, UserFactory(username=f"writer{index}", roles=["editor"]))
    client = api(editor)

    with django_assert_num_queries(HISTORY_QUERIES):
        response = client.get(history_url(article))

    assert [e["revision"] for e in response.json()["results"]] == list(range(1, how_many + 1))


def test_history_of_an_unknown_article_is_404(api, editor):
    assert_problem(api(editor).get(f"{ARTICLES_URL}999999/history/"), 404)


def test_history_without_a_token_is_401(api, article):
    assert_problem(api().get(history_url(article)), 401)


# ------------------------------------------------------------------------------
# Topics: GET, POST /api/v1/manage/topics/, PATCH /api/v1/manage/topics/{slug}/
# ------------------------------------------------------------------------------
@pytest.fixture
def tree(db: None) -> dict[str, Topic]:
    """cancer > breast-cancer > breast-cancer-screening, and a separate heart topic."""
    cancer = TopicFactory(slug="cancer", name="Cancer")
    breast = TopicFactory(slug="breast-cancer", name="Breast cancer", parent=cancer)
    screening = TopicFactory(slug="breast-cancer-screening", name="Screening", parent=breast)
    heart = TopicFactory(slug="heart", name="Heart")
    return {"cancer": cancer, "breast": breast, "screening": screening, "heart": heart}


@pytest.mark.parametrize("role", list(Role))
def test_any_staff_role_lists_the_topics(api, make_staff, tree, role):
    response = api(make_staff(role)).get(TOPICS_URL)

    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [
        {"slug": "breast-cancer", "name": "Breast cancer", "parent": "cancer"},
        {"slug": "breast-cancer-screening", "name": "Screening", "parent": "breast-cancer"},
        {"slug": "cancer", "name": "Cancer", "parent": None},
        {"slug": "heart", "name": "Heart", "parent": None},
    ]


@pytest.mark.parametrize("how_many", [2, 6])
def test_topic_list_query_count_does_not_grow_with_rows(
    api, editor, django_assert_num_queries, how_many
):
    for index in range(how_many // 2):
        TopicFactory(slug=f"child-{index}", parent=TopicFactory(slug=f"parent-{index}"))
    client = api(editor)

    with django_assert_num_queries(TOPIC_LIST_QUERIES):
        response = client.get(TOPICS_URL)

    assert len(response.json()["results"]) == response.json()["count"] == how_many


def test_one_topic_by_slug(api, reviewer, tree):
    response = api(reviewer).get(f"{TOPICS_URL}breast-cancer/")

    assert response.json() == {"slug": "breast-cancer", "name": "Breast cancer", "parent": "cancer"}
    assert_problem(api(reviewer).get(f"{TOPICS_URL}nope/"), 404)


def test_topics_without_a_token_are_401(api, tree):
    assert_problem(api().get(TOPICS_URL), 401)
    assert_problem(api().post(TOPICS_URL, {"slug": "lungs", "name": "Lungs"}), 401)
    assert not Topic.objects.filter(slug="lungs").exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_create_topics(api, make_staff, tree, role):
    response = api(make_staff(role)).post(
        TOPICS_URL, {"slug": "mammography", "name": "Mammography", "parent": "breast-cancer"}
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "slug": "mammography",
        "name": "Mammography",
        "parent": "breast-cancer",
    }
    assert response["Location"] == f"http://testserver{TOPICS_URL}mammography/"
    assert Topic.objects.get(slug="mammography").parent == tree["breast"]


def test_a_topic_without_a_parent_is_top_level(api, editor):
    response = api(editor).post(TOPICS_URL, {"slug": "lungs", "name": "Lungs"})

    assert response.status_code == 201, response.json()
    assert response.json()["parent"] is None


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PUBLISHER])
def test_other_roles_may_not_create_topics(api, make_staff, tree, role):
    response = api(make_staff(role)).post(TOPICS_URL, {"slug": "lungs", "name": "Lungs"})

    assert assert_problem(response, 403)["code"] == "not-allowed"
    assert not Topic.objects.filter(slug="lungs").exists()


def test_a_new_topics_parent_must_exist(api, editor, tree):
    response = api(editor).post(TOPICS_URL, {"slug": "lungs", "name": "Lungs", "parent": "chest"})

    assert field_errors(assert_problem(response, 400))["parent"]["code"] == "unknown_topic"
    assert not Topic.objects.filter(slug="lungs").exists()


def test_a_duplicate_topic_slug_is_400(api, editor, tree):
    response = api(editor).post(TOPICS_URL, {"slug": "heart", "name": "Another heart"})

    assert field_errors(assert_problem(response, 400))["slug"]["code"] == "unique"
    assert Topic.objects.get(slug="heart").name == "Heart"


@pytest.mark.parametrize(
    "payload",
    [{"name": "No slug"}, {"slug": "Not A Slug!", "name": "x"}, {"slug": "ok"}, {"slug": 1}],
)
def test_a_bad_topic_is_400(api, editor, payload):
    response = api(editor).post(TOPICS_URL, payload)

    assert field_errors(assert_problem(response, 400))
    assert not Topic.objects.exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_rename_and_move_topics(api, make_staff, tree, role):
    response = api(make_staff(role)).patch(
        f"{TOPICS_URL}breast-cancer/", {"name": "Breast health", "parent": "heart"}
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"slug": "breast-cancer", "name": "Breast health", "parent": "heart"}
    tree["breast"].refresh_from_db()
    assert (tree["breast"].name, tree["breast"].parent) == ("Breast health", tree["heart"])


def test_a_topic_moved_to_no_parent_is_top_level(api, editor, tree):
    response = api(editor).patch(f"{TOPICS_URL}breast-cancer/", {"parent": None})

    assert response.status_code == 200, response.json()
    assert response.json()["parent"] is None
    assert response.json()["name"] == "Breast cancer"


def test_a_patch_that_leaves_parent_out_keeps_it(api, editor, tree):
    response = api(editor).patch(f"{TOPICS_URL}breast-cancer/", {"name": "Breasts"})

    assert response.json() == {"slug": "breast-cancer", "name": "Breasts", "parent": "cancer"}


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PUBLISHER])
def test_other_roles_may_not_change_topics(api, make_staff, tree, role):
    response = api(make_staff(role)).patch(f"{TOPICS_URL}heart/", {"name": "Cardiology"})

    assert_problem(response, 403)
    assert Topic.objects.get(slug="heart").name == "Heart"


@pytest.mark.parametrize(
    "new_parent", ["cancer", "breast-cancer", "breast-cancer-screening"], ids=str
)
def test_a_topic_cannot_move_under_itself_or_its_descendants(api, editor, tree, new_parent):
    response = api(editor).patch(f"{TOPICS_URL}cancer/", {"parent": new_parent})

    assert "parent" in field_errors(assert_problem(response, 400))
    tree["cancer"].refresh_from_db()
    assert tree["cancer"].parent is None


def test_a_topic_cannot_move_under_a_topic_that_does_not_exist(api, editor, tree):
    response = api(editor).patch(f"{TOPICS_URL}heart/", {"parent": "chest"})

    assert field_errors(assert_problem(response, 400))["parent"]["code"] == "unknown_topic"
    assert Topic.objects.get(slug="heart").parent is None


def test_patching_an_unknown_topic_is_404(api, editor):
    assert_problem(api(editor).patch(f"{TOPICS_URL}nope/", {"name": "x"}), 404)


def test_an_article_naming_a_topic_that_does_not_exist_is_400(api, editor, new_article_payload):
    new_article_payload["topics"] = ["breast-health", "breast-helth"]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    errors = field_errors(assert_problem(response, 400))
    assert errors["topics"]["code"] == "unknown_topic"
    assert "breast-helth" in errors["topics"]["message"]
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_a_draft_edit_naming_a_topic_that_does_not_exist_is_400(api, editor, article):
    client = api(editor)
    etag = client.get(revision_url(article, 1))["ETag"]

    response = client.patch(revision_url(article, 1), {"topics": ["nope"]}, HTTP_IF_MATCH=etag)

    assert field_errors(assert_problem(response, 400))["topics"]["code"] == "unknown_topic"
    assert not article.latest_revision.topics.exists()


def test_an_article_may_name_a_topic_created_through_the_api(api, editor, new_article_payload):
    assert api(editor).post(TOPICS_URL, {"slug": "imaging", "name": "Imaging"}).status_code == 201
    new_article_payload["topics"] = ["imaging"]

    response = api(editor).post(ARTICLES_URL, new_article_payload)

    assert response.status_code == 201, response.json()
    topics = api(editor).get(revision_url(Article.objects.get(), 1)).json()["topics"]
    assert topics == [{"slug": "imaging", "name": "Imaging"}]
