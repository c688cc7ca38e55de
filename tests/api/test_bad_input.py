"""Bad input to the management write endpoints: 400/413/415 problem+json, and nothing saved."""

import json
from typing import Any

import pytest
from django.conf import settings
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, AuditEvent, Revision, RevisionCode
from tests.conftest import revision_url
from tests.factories import ArticleFactory
from tests.problems import assert_problem

ARTICLES_URL = "/api/v1/manage/articles/"
PROBLEM = "application/problem+json"


def saved_rows() -> dict[str, int]:
    """How many rows of everything a write could create."""
    return {
        "articles": Article.objects.count(),
        "revisions": Revision.objects.count(),
        "codes": RevisionCode.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def assert_field_error(response: Any, field: str, code: str | None = None) -> dict[str, Any]:
    """A 400 problem whose `errors` are {field, message, code} and name `field`."""
    body = assert_problem(response, 400)
    errors = body["errors"]
    assert errors, body
    for error in errors:
        assert set(error) == {"field", "message", "code"}, error
        assert error["message"]
        assert error["code"]
    by_field = {error["field"]: error for error in errors}
    assert field in by_field, errors
    if code is not None:
        assert by_field[field]["code"] == code, errors
    return body


@pytest.fixture
def editor_client(api, editor):
    client = api(editor)
    # A 500 should come back as a response the test can see, not as an exception.
    client.raise_request_exception = False
    return client


def with_changes(payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**payload, **changes}


def post_raw(client: Any, url: str, raw: str | bytes, content_type: str = "application/json"):
    return client.post(url, data=raw, content_type=content_type)


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/: the body as a whole
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        '{"slug": "a", "title": ',
        "{'slug': 'single-quotes'}",
        '{"slug": "trailing-comma",}',
        "not json at all",
        '{"review_interval_days": NaN}',
        '{"review_interval_days": Infinity}',
    ],
    ids=["truncated", "single-quotes", "trailing-comma", "plain-text", "nan", "infinity"],
)
def test_malformed_json_is_a_400_problem_and_saves_nothing(editor_client, raw):
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, raw)

    body = assert_problem(response, 400)
    assert body["code"] == "parse-error"
    assert saved_rows() == before


def test_json_nested_too_deeply_for_the_parser_is_a_400_not_a_500(editor_client):
    before = saved_rows()
    depth = 100_000  # 200 kB, well under the request size limit

    response = post_raw(editor_client, ARTICLES_URL, "[" * depth + "]" * depth)

    assert_problem(response, 400)
    assert saved_rows() == before


@pytest.mark.parametrize(
    "raw",
    ["[]", '[{"slug": "in-a-list"}]', '"a string"', "42", "true", "null"],
    ids=["empty-list", "list-of-object", "string", "number", "boolean", "null"],
)
def test_a_json_body_that_is_not_an_object_is_a_400_with_a_field_error(editor_client, raw):
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, raw)

    assert_field_error(response, "non_field_errors")
    assert saved_rows() == before


def test_an_empty_object_names_every_required_field(editor_client):
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, "{}")

    body = assert_field_error(response, "slug", "required")
    fields = {error["field"] for error in body["errors"]}
    assert {"slug", "locale", "title", "summary", "body"} <= fields
    assert saved_rows() == before


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/: one bad field at a time
# ------------------------------------------------------------------------------
MAX_BODY = settings.MAX_BODY_CHARS

BAD_FIELDS = [
    # Wrong JSON types: a 400, never a silent conversion.
    ("title-number", {"title": 123}, "title", None),
    ("title-float", {"title": 1.5}, "title", None),
    ("title-list", {"title": ["a title"]}, "title", None),
    ("summary-null", {"summary": None}, "summary", None),
    ("body-object", {"body": {"markdown": "text"}}, "body", None),
    ("editor-note-number", {"editor_note": 7}, "editor_note", None),
    ("topics-string", {"topics": "breast-health"}, "topics", None),
    ("topics-object", {"topics": {"slug": "breast-health"}}, "topics", None),
    ("codes-object", {"codes": {"system": "icd10cm", "code": "R92.8"}}, "codes", None),
    ("codes-string", {"codes": "icd10cm:R92.8"}, "codes", None),
    ("sources-string", {"sources": "https://example.org"}, "sources", None),
    ("authors-of-strings", {"authors": ["Ana Ruiz"]}, "authors[0]", None),
    ("interval-string", {"review_interval_days": "10"}, "review_interval_days", None),
    ("interval-true", {"review_interval_days": True}, "review_interval_days", None),
    ("interval-float", {"review_interval_days": 10.5}, "review_interval_days", None),
    ("interval-zero", {"review_interval_days": 0}, "review_interval_days", None),
    ("interval-negative", {"review_interval_days": -30}, "review_interval_days", None),
    ("slug-number", {"slug": 42}, "slug", None),
    # Values the domain refuses.
    ("unknown-topic", {"topics": ["breast-helth"]}, "topics", "unknown_topic"),
    (
        "code-system-cpt",
        {"codes": [{"system": "cpt", "code": "77067"}]},
        "codes[0].system",
        None,
    ),
    (
        "code-system-uppercase",
        {"codes": [{"system": "ICD10CM", "code": "R92.8"}]},
        "codes[0].system",
        None,
    ),
    (
        "icd10cm-hello",
        {"codes": [{"system": "icd10cm", "code": "hello"}]},
        "codes[0].code",
        "invalid_code",
    ),
    (
        "snomed-letters",
        {"codes": [{"system": "snomedct", "code": "abc123"}]},
        "codes[0].code",
        "invalid_code",
    ),
    (
        "loinc-no-check-digit",
        {"codes": [{"system": "loinc", "code": "4548"}]},
        "codes[0].code",
        "invalid_code",
    ),
    (
        "code-number",
        {"codes": [{"system": "loinc", "code": 4548}]},
        "codes[0].code",
        None,
    ),
    (
        "code-missing",
        {"codes": [{"system": "loinc"}]},
        "codes[0].code",
        "required",
    ),
    (
        "duplicate-code",
        {
            "codes": [
                {"system": "icd10cm", "code": "R92.8"},
                {"system": "icd10cm", "code": "r92.8"},
            ]
        },
        "codes[1]",
        "duplicate",
    ),
    (
        "duplicate-code-after-normalising",
        {
            "codes": [
                {"system": "icd10cm", "code": "R92.8"},
                {"system": "icd10cm", "code": " r928 "},
            ]
        },
        "codes[1]",
        "duplicate",
    ),
    (
        "source-javascript",
        {"sources": [{"title": "Click", "url": "javascript:alert(1)"}]},
        "sources[0].url",
        None,
    ),
    (
        "source-ftp",
        {"sources": [{"title": "Files", "url": "ftp://example.org/protocol.pdf"}]},
        "sources[0].url",
        None,
    ),
    (
        "source-relative",
        {"sources": [{"title": "Local", "url": "/protocol.pdf"}]},
        "sources[0].url",
        None,
    ),
    (
        "source-data-url",
        {"sources": [{"title": "Data", "url": "data:text/html,<script>alert(1)</script>"}]},
        "sources[0].url",
        None,
    ),
    (
        "source-without-title",
        {"sources": [{"url": "https://example.org"}]},
        "sources[0].title",
        "required",
    ),
    ("slug-with-spaces", {"slug": "two words"}, "slug", None),
    ("slug-with-slash", {"slug": "breast/health"}, "slug", None),
    ("slug-with-dot-dot", {"slug": "../etc"}, "slug", None),
    ("slug-empty", {"slug": ""}, "slug", None),
    ("locale-not-configured", {"locale": "fr"}, "locale", None),
    ("locale-wrong-case", {"locale": "EN"}, "locale", None),
    ("locale-number", {"locale": 1}, "locale", None),
    # NUL characters cannot be stored in PostgreSQL text and have no business in content.
    ("nul-in-title", {"title": "Mammogram\u0000 call-back"}, "title", None),
    ("nul-in-summary", {"summary": "\u0000"}, "summary", None),
    ("nul-in-body", {"body": "## Heading\n\nText\u0000more"}, "body", None),
    ("nul-in-editor-note", {"editor_note": "note\u0000"}, "editor_note", None),
    (
        "nul-in-code-display",
        {"codes": [{"system": "icd10cm", "code": "R92.8", "display": "Abnormal\u0000"}]},
        "codes[0].display",
        None,
    ),
    (
        "nul-in-source-title",
        {"sources": [{"title": "Proto\u0000col", "url": "https://example.org"}]},
        "sources[0].title",
        None,
    ),
    (
        "nul-in-author-name",
        {"authors": [{"name": "Ana\u0000Ruiz"}]},
        "authors[0].name",
        None,
    ),
    # Lengths.
    ("title-100k", {"title": "t" * 100_000}, "title", "max_length"),
    ("title-empty", {"title": ""}, "title", "blank"),
    ("title-whitespace", {"title": "   "}, "title", "blank"),
    ("body-too-long", {"body": "b" * (MAX_BODY + 1)}, "body", "max_length"),
    ("summary-too-long", {"summary": "s" * 1001}, "summary", "max_length"),
    ("too-many-topics", {"topics": [f"t-{n}" for n in range(51)]}, "topics", None),
    (
        "code-display-too-long",
        {"codes": [{"system": "icd10cm", "code": "R92.8", "display": "d" * 301}]},
        "codes[0].display",
        "max_length",
    ),
    ("interval-too-long", {"review_interval_days": 3651}, "review_interval_days", None),
    ("translation-of-string", {"translation_of": "1"}, "translation_of", None),
]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [case[1:] for case in BAD_FIELDS],
    ids=[case[0] for case in BAD_FIELDS],
)
def test_a_bad_field_is_a_400_naming_it_and_saves_nothing(
    editor_client, new_article_payload, changes, field, code
):
    before = saved_rows()

    response = editor_client.post(
        ARTICLES_URL, with_changes(new_article_payload, **changes), format="json"
    )

    assert_field_error(response, field, code)
    assert saved_rows() == before


def test_the_payload_without_the_bad_field_is_accepted(editor_client, new_article_payload):
    # Guards the test above: each case fails because of its one bad field, not the rest.
    response = editor_client.post(ARTICLES_URL, new_article_payload, format="json")

    assert response.status_code == 201, response.json()


def test_a_body_of_exactly_the_maximum_length_is_accepted(editor_client, new_article_payload):
    payload = with_changes(new_article_payload, body="b" * MAX_BODY)

    response = editor_client.post(ARTICLES_URL, payload, format="json")

    assert response.status_code == 201, response.content[:500]
    assert len(Revision.objects.get().body) == MAX_BODY


@pytest.mark.parametrize(
    ("field", "raw_value"),
    [("title", '"bad \\ud800 surrogate"'), ("body", '"\\udfff"')],
)
def test_a_lone_surrogate_in_text_is_a_400_not_a_database_error(
    editor_client, new_article_payload, field, raw_value
):
    raw = json.dumps({k: v for k, v in new_article_payload.items() if k != field})
    raw = raw[:-1] + f', "{field}": {raw_value}}}'
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, raw)

    assert_field_error(response, field)
    assert saved_rows() == before


def test_several_bad_fields_are_all_reported(editor_client, new_article_payload):
    payload = with_changes(
        new_article_payload, slug="has space", title=1, locale="xx", topics="breast-health"
    )

    response = editor_client.post(ARTICLES_URL, payload, format="json")

    body = assert_field_error(response, "slug")
    assert {"slug", "title", "locale", "topics"} <= {e["field"] for e in body["errors"]}


def test_every_bad_code_is_reported_with_its_index(editor_client, new_article_payload):
    payload = with_changes(
        new_article_payload,
        codes=[
            {"system": "icd10cm", "code": "R92.8"},
            {"system": "icd10cm", "code": "hello"},
            {"system": "loinc", "code": "nope"},
        ],
    )

    response = editor_client.post(ARTICLES_URL, payload, format="json")

    body = assert_field_error(response, "codes[1].code", "invalid_code")
    assert "codes[2].code" in {e["field"] for e in body["errors"]}
    assert not RevisionCode.objects.exists()


def test_a_duplicate_slug_in_the_same_locale_is_a_400_and_saves_nothing(
    editor_client, editor, new_article_payload
):
    ArticleFactory(created_by=editor, slug=new_article_payload["slug"], locale="en")
    before = saved_rows()

    response = editor_client.post(ARTICLES_URL, new_article_payload, format="json")

    assert_field_error(response, "slug", "unique")
    assert saved_rows() == before


def test_translation_of_an_unknown_article_is_a_400_naming_the_field(
    editor_client, new_article_payload
):
    # The endpoint exists; only a field of the body is wrong, so this is a 400, not a 404.
    before = saved_rows()

    response = editor_client.post(
        ARTICLES_URL, with_changes(new_article_payload, translation_of=987_654), format="json"
    )

    assert_field_error(response, "translation_of")
    assert saved_rows() == before


def test_translation_of_an_article_in_the_same_locale_is_a_400(
    editor_client, editor, new_article_payload
):
    # Two articles of one translation group in one locale would make `translations` ambiguous.
    original = ArticleFactory(created_by=editor, slug="original", locale="en")
    before = saved_rows()

    response = editor_client.post(
        ARTICLES_URL,
        with_changes(new_article_payload, locale="en", translation_of=original.pk),
        format="json",
    )

    assert_field_error(response, "translation_of")
    assert saved_rows() == before


@pytest.mark.parametrize("translation_of", [0, -1])
def test_translation_of_a_non_positive_id_is_a_400(
    editor_client, new_article_payload, translation_of
):
    before = saved_rows()

    response = editor_client.post(
        ARTICLES_URL,
        with_changes(new_article_payload, translation_of=translation_of),
        format="json",
    )

    assert_field_error(response, "translation_of")
    assert saved_rows() == before


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/: size and media type
# ------------------------------------------------------------------------------
def test_a_request_larger_than_the_upload_limit_is_a_413_and_saves_nothing(
    editor_client, new_article_payload
):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = json.dumps(with_changes(new_article_payload, body="b" * limit))
    assert len(raw.encode()) > limit
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, raw)

    body = assert_problem(response, 413)
    assert body["code"] == "payload-too-large"
    assert saved_rows() == before


def test_a_request_of_exactly_the_upload_limit_is_parsed(editor_client, new_article_payload):
    # One byte under the 413 line the body is read and judged on its fields.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = json.dumps(with_changes(new_article_payload, body=""))
    raw = raw.replace('"body": ""', '"body": "' + "b" * (limit - len(raw.encode())) + '"')
    assert len(raw.encode()) == limit

    response = post_raw(editor_client, ARTICLES_URL, raw)

    assert_field_error(response, "body", "max_length")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded"],
)
def test_a_body_that_is_not_json_is_a_415_and_saves_nothing(
    editor_client, new_article_payload, content_type
):
    before = saved_rows()

    response = post_raw(
        editor_client, ARTICLES_URL, json.dumps(new_article_payload), content_type=content_type
    )

    body = assert_problem(response, 415)
    assert body["code"] == "unsupported-media-type"
    assert saved_rows() == before


def test_a_multipart_form_is_a_415(editor_client, new_article_payload):
    before = saved_rows()
    form = {k: v for k, v in new_article_payload.items() if isinstance(v, str)}

    response = editor_client.post(ARTICLES_URL, form, format="multipart")

    assert_problem(response, 415)
    assert saved_rows() == before


# ------------------------------------------------------------------------------
# POST /api/v1/manage/articles/{id}/revisions/ and PATCH .../revisions/{n}/
# ------------------------------------------------------------------------------
BAD_REVISION_FIELDS = [
    ("base-missing", {"base_revision": None}, "base_revision", None),
    ("base-string", {"base_revision": "1"}, "base_revision", None),
    ("base-zero", {"base_revision": 0}, "base_revision", None),
    ("base-true", {"base_revision": True}, "base_revision", None),
    ("title-number", {"title": 5}, "title", None),
    ("nul-in-title", {"title": "A\u0000B"}, "title", None),
    ("nul-in-body", {"body": "\u0000"}, "body", None),
    ("body-too-long", {"body": "b" * (MAX_BODY + 1)}, "body", "max_length"),
    ("unknown-topic", {"topics": ["no-such-topic"]}, "topics", "unknown_topic"),
    (
        "icd10cm-hello",
        {"codes": [{"system": "icd10cm", "code": "hello"}]},
        "codes[0].code",
        "invalid_code",
    ),
    ("code-system-cpt", {"codes": [{"system": "cpt", "code": "1"}]}, "codes[0].system", None),
    (
        "source-javascript",
        {"sources": [{"title": "x", "url": "javascript:alert(1)"}]},
        "sources[0].url",
        None,
    ),
]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [case[1:] for case in BAD_REVISION_FIELDS],
    ids=[case[0] for case in BAD_REVISION_FIELDS],
)
def test_a_bad_new_revision_is_a_400_and_saves_nothing(
    editor_client, article, changes, field, code
):
    payload = {"base_revision": 1, "title": "A new title", **changes}
    payload = {k: v for k, v in payload.items() if v is not None}
    before = saved_rows()

    response = editor_client.post(f"{ARTICLES_URL}{article.pk}/revisions/", payload, format="json")

    assert_field_error(response, field, code)
    assert saved_rows() == before
    article.refresh_from_db()
    assert article.latest_revision.number == 1


def test_a_new_revision_with_malformed_json_or_the_wrong_media_type_saves_nothing(
    editor_client, article
):
    url = f"{ARTICLES_URL}{article.pk}/revisions/"
    before = saved_rows()

    malformed = post_raw(editor_client, url, '{"base_revision": 1,')
    not_json = post_raw(editor_client, url, '{"base_revision": 1}', content_type="text/plain")

    assert_problem(malformed, 400)
    assert_problem(not_json, 415)
    assert saved_rows() == before


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [case[1:] for case in BAD_REVISION_FIELDS if not case[0].startswith("base")],
    ids=[case[0] for case in BAD_REVISION_FIELDS if not case[0].startswith("base")],
)
def test_a_bad_draft_edit_is_a_400_and_changes_nothing(editor_client, draft, changes, field, code):
    before_rows = saved_rows()
    before = (draft.title, draft.body, draft.version)

    response = editor_client.patch(
        revision_url(draft.article, 1), changes, format="json", HTTP_IF_MATCH=draft.etag
    )

    assert_field_error(response, field, code)
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.version) == before
    assert saved_rows() == before_rows


def test_a_draft_edit_with_malformed_json_or_the_wrong_media_type_changes_nothing(
    editor_client, draft
):
    url = revision_url(draft.article, 1)
    version = draft.version

    malformed = editor_client.patch(
        url, data='{"title": ', content_type="application/json", HTTP_IF_MATCH=draft.etag
    )
    not_json = editor_client.patch(
        url, data='{"title": "x"}', content_type="text/plain", HTTP_IF_MATCH=draft.etag
    )

    assert_problem(malformed, 400)
    assert_problem(not_json, 415)
    draft.refresh_from_db()
    assert draft.version == version


# ------------------------------------------------------------------------------
# Whatever arrives, the answer is never a 500
# ------------------------------------------------------------------------------
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    # Every code point, lone surrogates and NUL included: json.dumps escapes them.
    | st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

valid_codes = [
    {"system": "icd10cm", "code": "R92.8", "display": "Abnormal breast imaging"},
    {"system": "icd10cm", "code": "z12.31"},
    {"system": "snomedct", "code": "254837009", "display": "Breast cancer"},
    {"system": "loinc", "code": "4548-4", "display": "Hemoglobin A1c"},
]
valid_article = st.fixed_dictionaries(
    {
        "slug": st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,2}", fullmatch=True),
        "locale": st.sampled_from(settings.CONTENT_LOCALES),
        "title": st.text(min_size=1, max_size=40),
        "summary": st.text(min_size=1, max_size=40),
        "body": st.text(min_size=1, max_size=300),
    },
    optional={
        "editor_note": st.text(max_size=40),
        "topics": st.lists(st.just("breast-health"), max_size=2),
        "codes": st.lists(st.sampled_from(valid_codes), max_size=3, unique_by=lambda c: c["code"]),
        "sources": st.lists(
            st.fixed_dictionaries(
                {"title": st.text(min_size=1, max_size=20), "url": st.just("https://example.org")}
            ),
            max_size=2,
        ),
        "authors": st.lists(
            st.fixed_dictionaries({"name": st.text(min_size=1, max_size=20)}), max_size=2
        ),
        "review_interval_days": st.integers(min_value=1, max_value=3650),
    },
)
FIELD_NAMES = [
    "slug",
    "locale",
    "title",
    "summary",
    "body",
    "editor_note",
    "topics",
    "codes",
    "sources",
    "authors",
    "review_interval_days",
    "state",
    "author",
]


@st.composite
def mutated_article(draw: Any) -> dict[str, Any]:
    """A plausible create body with a few fields dropped or replaced by any JSON at all."""
    body = dict(draw(valid_article))
    for name in draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=3, unique=True)):
        if draw(st.booleans()):
            body.pop(name, None)
        else:
            body[name] = draw(json_values)
    return body


# `translation_of` is left out on purpose: an unknown id is a 404 today, which
# test_translation_of_an_unknown_article_is_a_400_naming_the_field reports on its own.
any_body = (
    mutated_article() | st.dictionaries(st.text(max_size=20), json_values, max_size=8) | json_values
)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=any_body)
def test_no_create_body_ever_gives_a_server_error(editor_client, topic, body):
    before = saved_rows()

    response = post_raw(editor_client, ARTICLES_URL, json.dumps(body))

    event(f"status {response.status_code}")
    assert response.status_code in {201, 400, 403, 413}, (response.status_code, body)
    if response.status_code == 201:
        assert response["Location"]
        assert Article.objects.count() == before["articles"] + 1
    else:
        assert_problem(response, response.status_code)
        assert saved_rows() == before
