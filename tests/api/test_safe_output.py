"""What the delivery API sends is safe wherever a portal puts it: a script tag, an attribute."""

import json

import pytest

from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import make_live


def _detail(api, headers, slug):
    response = api().get(f"/api/v1/articles/{slug}/", **headers)
    assert response.status_code == 200
    return response


def test_a_title_that_closes_a_script_tag_is_escaped_in_every_json_string(
    api, staff, delivery_headers
):
    title = "T</script><script>alert(1)</script> & more"
    make_live(**staff, slug="escaped", title=title, body="Fine <b>words</b>.\n")

    response = _detail(api, delivery_headers, "escaped")

    raw = response.content
    for character in (b"<", b">", b"&"):
        assert character not in raw
    assert b"\\u003c/script\\u003e" in raw
    document = json.loads(raw)
    assert document["title"] == title
    assert document["json_ld"]["name"] == title
    listed = api().get("/api/v1/articles/", **delivery_headers).content
    assert b"</script" not in listed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Line\nbreak"),
        ("title", "Bell\x07"),
        ("title", "evil\u202etxt.exe"),
        ("summary", "Escape \x1b[31m red"),
        ("editor_note", "Hidden\u2066 isolate"),
        ("body", "Form feed\x0c in the body"),
    ],
)
def test_control_characters_in_reader_text_are_refused(
    api, editor, new_article_payload, field, value
):
    response = api(editor).post("/api/v1/manage/articles/", {**new_article_payload, field: value})

    assert field in field_errors(assert_problem(response, 400))


def test_line_breaks_are_fine_where_text_has_lines(api, editor, new_article_payload):
    payload = {**new_article_payload, "summary": "One.\nTwo.", "editor_note": "A\r\nB\tC"}

    assert api(editor).post("/api/v1/manage/articles/", payload).status_code == 201


@pytest.mark.parametrize(
    "url",
    [
        'https://ok.example/"><script>alert(1)</script>',
        "https://ok.example/a b",
        "https://ok.example/<x>",
        "https://ok.example/it's",
        "https://ok.example/100%",
        "//ok.example/path",
        "javascript:alert(1)",
    ],
)
def test_a_source_url_must_be_absolute_and_valid_as_it_stands(
    api, editor, new_article_payload, url
):
    payload = {**new_article_payload, "sources": [{"title": "A source", "url": url}]}

    response = api(editor).post("/api/v1/manage/articles/", payload)

    assert "sources[0].url" in field_errors(assert_problem(response, 400))


def test_a_percent_encoded_source_url_is_accepted(api, editor, new_article_payload):
    url = "https://ok.example/a%20b?q=%22x%22#part"
    payload = {**new_article_payload, "sources": [{"title": "A source", "url": url}]}

    assert api(editor).post("/api/v1/manage/articles/", payload).status_code == 201


@pytest.mark.parametrize(
    "href",
    ["//evil.example/x", "/\\evil.example/x", "https:/evil.example", "/relative/page", "#top"],
)
def test_links_that_depend_on_where_they_are_shown_are_dropped(api, staff, delivery_headers, href):
    make_live(**staff, slug="links", body=f"[Read more]({href}) and [ok](https://ok.example/)\n")

    html = json.loads(_detail(api, delivery_headers, "links").content)["body_html"]

    for dropped in ("evil", "relative", "#top"):
        assert dropped not in html
    assert '<a rel="noopener noreferrer">Read more</a>' in html
    assert 'href="https://ok.example/"' in html
