"""The demo library: enough live, plain-language, coded and sourced articles, in English and
Spanish, with every workflow state on show, loaded through the real workflow only once."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from articles import workflow
from articles.demo import DEMO_LIBRARY, DEMO_STAFF, DEMO_TOPICS, DEMO_WORKFLOW
from articles.library_files import (
    ArticleFile,
    article_file_parse,
    article_file_read,
    article_file_text,
    library_paths,
)
from articles.management.commands.load_demo_content import demo_library_files
from articles.models import (
    Article,
    ArticleStatus,
    Note,
    Review,
    ReviewDecision,
    Revision,
    RevisionState,
)
from articles.selectors import managed_article_list
from contentapi.models import User
from delivery.models import PublishedDocument, PublishedTopic
from delivery.rendering import body_reading_grade
from tests.factories import TopicFactory
from tests.publishing_helpers import key_header

MIN_WORDS, MAX_WORDS = 300, 900
MAX_GRADE = 8.0
# Every file of the demo library: each is one revision the demo writes.
DEMO_FILES = [
    pytest.param(path, id=path.relative_to(DEMO_LIBRARY).as_posix())
    for path in library_paths(DEMO_LIBRARY)
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db: None) -> str:
    return load_demo()


def live_documents(locale: str | None = None) -> list[dict[str, Any]]:
    documents = PublishedDocument.objects.all()
    if locale:
        documents = documents.filter(locale=locale)
    return [json.loads(bytes(body)) for body in documents.values_list("body", flat=True)]


def demo_file(path: Path) -> ArticleFile:
    """The demo file at `path`, read with the checks that need no database."""
    file, errors = article_file_parse(path, path.read_text(encoding="utf-8"))
    assert not errors, [str(error) for error in errors]
    assert file is not None
    return file


@pytest.fixture
def demo_topics(db: None) -> None:
    for slug, name, _ in DEMO_TOPICS:
        TopicFactory(slug=slug, name=name)


# ------------------------------------------------------------------------------
# The content as written
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", DEMO_FILES)
def test_every_demo_revision_is_plain_language_of_a_readable_length(path):
    file = demo_file(path)
    words = len(file.content.body.split())

    assert MIN_WORDS <= words <= MAX_WORDS, f"{path}: {words} words"
    assert body_reading_grade(file.content.body, file.article.locale) <= MAX_GRADE


@pytest.mark.parametrize("path", DEMO_FILES)
def test_every_demo_revision_passes_the_checks_the_api_and_the_import_apply(demo_topics, path):
    file, errors = article_file_read(path, path.read_text(encoding="utf-8"))

    assert not errors, [str(error) for error in errors]
    content = file.content
    assert content.codes
    assert all(code["display"] for code in content.codes)
    assert content.sources
    assert content.authors
    assert all(author["credentials"] for author in content.authors)


@pytest.mark.parametrize("path", DEMO_FILES)
def test_every_demo_file_is_written_as_an_export_would_write_it(path):
    # So the demo library doubles as the format's reference: what export writes, exactly.
    assert article_file_text(demo_file(path)) == path.read_text(encoding="utf-8")


def test_the_demo_workflow_takes_each_file_of_the_library_once_in_a_loadable_order(demo_topics):
    files = demo_library_files()  # refuses a file without a step, or a step without a file
    seen: dict[Any, str] = {}

    for step in DEMO_WORKFLOW:
        file = files[step.file]
        # An original before its translations, and an article's files in their sorted order,
        # the order of its revisions for `import_articles` too.
        assert file.translation_of is None or file.translation_of in seen, step.file
        assert seen.get(file.article, "") < step.file
        seen[file.article] = step.file


def test_every_reviewer_and_editor_has_a_name_and_credentials():
    for username, roles, name, credentials, _languages in DEMO_STAFF:
        if {"editor", "reviewer"} & set(roles):
            assert name, username
            assert credentials, username


def test_each_demo_revision_is_approved_by_a_reviewer_of_its_language():
    languages = {username: langs for username, _, _, _, langs in DEMO_STAFF}
    for step in DEMO_WORKFLOW:
        locale = step.file.split("/")[0]
        assert locale in (languages[step.reviewer] or [settings.DEFAULT_CONTENT_LOCALE]), step


# ------------------------------------------------------------------------------
# The library once loaded
# ------------------------------------------------------------------------------
def test_the_demo_has_a_dozen_live_english_articles_over_six_topics(demo_output):
    live_english = Article.objects.filter(status=ArticleStatus.PUBLISHED, locale="en")
    topics_with_live_articles = PublishedTopic.objects.values("topic").distinct()

    assert live_english.count() >= 12
    assert topics_with_live_articles.count() >= 6
    articles = {file.article for file in demo_library_files().values()}
    assert f"Loaded {len(articles)} demo articles." in demo_output
    assert Article.objects.count() == len(articles)


def test_live_spanish_translations_share_a_group_with_their_live_english_originals(demo_output):
    english_groups = set(
        Article.objects.filter(status=ArticleStatus.PUBLISHED, locale="en").values_list(
            "translation_group", flat=True
        )
    )
    spanish = Article.objects.filter(status=ArticleStatus.PUBLISHED, locale="es")
    linked = [article for article in spanish if article.translation_group in english_groups]

    assert len(linked) >= 3
    for document in live_documents("es"):
        assert [t["locale"] for t in document["translations"]] == ["en"], document["slug"]


def test_one_spanish_article_is_outdated_by_an_english_warning_sign_and_others_current(
    demo_output,
):
    documents = {document["slug"]: document for document in live_documents("es")}
    statuses = {slug: doc["translation"]["status"] for slug, doc in documents.items()}

    # The English A1C article went live with a new warning sign after it was translated.
    assert statuses["entender-su-a1c"] == "outdated"
    assert documents["entender-su-a1c"]["translation"]["source_revision"] == 1
    english = Article.objects.get(slug="understanding-your-a1c", locale="en")
    assert english.live_revision.number == 2
    assert "When to call your care team" in english.live_revision.body
    # The English blood pressure article's revision 2 changed wording only: still current.
    pressure = Article.objects.get(slug="reading-your-blood-pressure", locale="en")
    assert (pressure.live_revision.number, pressure.live_revision.meaning_changed) == (2, False)
    assert statuses["como-leer-su-presion-arterial"] == "current"
    assert statuses["llamada-despues-de-mamografia"] == "current"


def test_spanish_articles_name_their_codes_in_spanish(demo_output):
    a1c = next(doc for doc in live_documents("es") if doc["slug"] == "entender-su-a1c")

    displays = {code["code"]: code["display"] for code in a1c["codes"]}
    assert displays["E11.9"] == "Diabetes mellitus tipo 2 sin complicaciones"


def test_every_live_article_is_plain_language_of_a_readable_length(demo_output):
    documents = live_documents()

    assert documents
    for document in documents:
        body = document["body_markdown"]
        assert MIN_WORDS <= len(body.split()) <= MAX_WORDS, document["slug"]
        assert document["reading_grade"] <= MAX_GRADE, document["slug"]
        assert body_reading_grade(body, document["locale"]) == document["reading_grade"]


def test_every_live_article_shows_codes_sources_authors_and_its_reviewer(demo_output):
    for document in live_documents():
        slug = document["slug"]
        assert document["codes"], slug
        assert all(code["display"].strip() for code in document["codes"]), slug
        assert document["sources"], slug
        assert all(s["title"] and s["url"].startswith("https://") for s in document["sources"])
        assert document["authors"], slug
        assert all(a["name"] and a["credentials"] for a in document["authors"]), slug
        assert document["reviewed_by"]["credentials"], slug


def test_one_revision_waits_in_review_with_a_threaded_note(demo_output):
    in_review = Revision.objects.filter(state=RevisionState.IN_REVIEW)
    replied = Note.objects.filter(
        revision__in=in_review, reply_to__isnull=True, replies__isnull=False
    )

    assert in_review.exists()
    assert replied.exists()
    # The revision in review is the latest of its article, a live one that stays live meanwhile.
    revision = replied.first().revision
    assert revision.article.latest_revision_id == revision.pk
    assert revision.article.status == ArticleStatus.PUBLISHED


def test_one_revision_was_sent_back_with_a_comment(demo_output):
    sent_back = Review.objects.filter(
        decision=ReviewDecision.CHANGES_REQUESTED,
        revision__state=RevisionState.CHANGES_REQUESTED,
    ).exclude(comment="")

    assert sent_back.exists()


def test_one_approved_revision_is_scheduled_to_go_live_in_a_few_days(demo_output):
    now = timezone.now()
    scheduled = Revision.objects.get(state=RevisionState.SCHEDULED)

    assert now + timedelta(days=1) < scheduled.publish_at < now + timedelta(days=7)
    assert scheduled.article.status == ArticleStatus.DRAFT
    # When its time comes, nothing stands in its way.
    assert workflow.scheduled_publish_due(now=scheduled.publish_at) == [scheduled]
    scheduled.article.refresh_from_db()
    assert scheduled.article.status == ArticleStatus.PUBLISHED


def test_one_live_article_is_due_for_review_tomorrow_and_overdue_the_day_after(demo_output):
    now = timezone.now()
    due_soon = Article.objects.filter(
        status=ArticleStatus.PUBLISHED, next_review_due__lt=now + timedelta(days=2)
    )

    assert due_soon.count() == 1
    assert not managed_article_list(review_overdue=True).exists()
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=2)):
        assert list(managed_article_list(review_overdue=True)) == list(due_soon)


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("colonoscopy preparation", "colonoscopy-prep"),
        ("hemoglobin A1C", "understanding-your-a1c"),
        ("high blood pressure reading", "reading-your-blood-pressure"),
        ("mamografía", "llamada-despues-de-mamografia"),
    ],
)
def test_the_first_searches_a_reader_makes_find_the_demo_article(demo_output, query, slug):
    # The demo portal key the command printed last.
    key = demo_output.strip().splitlines()[-1].strip()

    response = APIClient().get("/api/v1/articles/", {"q": query}, **key_header(key))

    assert response.status_code == 200, response.content
    assert slug in [item["slug"] for item in response.json()["results"]]


def test_loading_twice_creates_nothing_and_prints_fresh_credentials(demo_output):
    counts = (Article.objects.count(), Revision.objects.count(), Note.objects.count())
    staff = User.objects.count()

    again = load_demo()

    assert (Article.objects.count(), Revision.objects.count(), Note.objects.count()) == counts
    assert User.objects.count() == staff == len(DEMO_STAFF)
    assert "Articles exist already; demo content left as it is." in again
    first_key, second_key = (out.strip().splitlines()[-1] for out in (demo_output, again))
    assert first_key != second_key
    for username, *_ in DEMO_STAFF:
        first, second = (token_line(out, username) for out in (demo_output, again))
        assert first != second


def token_line(output: str, username: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:1] == [username])
