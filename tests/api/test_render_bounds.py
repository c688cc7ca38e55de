"""Bodies whose structure would make rendering slow are refused at write time; previews are
rendered once per version."""

import pytest

from articles import selectors
from delivery.rendering import markdown_to_html
from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import create_article


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[*" * 3001, "too_much_markup"),
        ("|a|b|c|\n" * 1999, "too_much_markup"),
        ("- a\n" * 2001, "too_many_lines"),
    ],
)
def test_a_body_too_complex_to_render_quickly_is_refused(
    api, editor, new_article_payload, settings, body, code
):
    response = api(editor).post("/api/v1/manage/articles/", {**new_article_payload, "body": body})

    errors = field_errors(assert_problem(response, 400))
    assert errors["body"]["code"] == code


def test_a_long_article_of_ordinary_prose_is_accepted(api, editor, new_article_payload):
    paragraph = "Walk a little every hour, and call us if the pain gets worse. " * 20
    advice = "**Call 911** if you have chest pain. See [our clinic](https://h.example/c)."
    body = "\n\n".join(f"## Part {n}\n\n{paragraph}\n\n{advice}" for n in range(100))

    response = api(editor).post("/api/v1/manage/articles/", {**new_article_payload, "body": body})

    assert response.status_code == 201, response.json()


def test_a_preview_is_rendered_once_per_version(api, editor, other_editor, monkeypatch):
    article = create_article(editor=editor, slug="previewed")
    client = api(editor)
    url = f"/api/v1/preview/articles/{article.pk}/revisions/1/"
    renders = []
    real = selectors.revision_preview

    def counted(revision):
        renders.append(revision.pk)
        return real(revision)

    monkeypatch.setattr(selectors, "revision_preview", counted)

    first = client.get(url).content
    again = client.get(url).content
    edited = client.patch(
        f"/api/v1/manage/articles/{article.pk}/revisions/1/",
        {"title": "A new title"},
        HTTP_IF_MATCH=client.get(f"/api/v1/manage/articles/{article.pk}/revisions/1/")["ETag"],
    )
    after_edit = client.get(url).json()

    assert first == again
    assert edited.status_code == 200
    assert after_edit["title"] == "A new title"
    assert len(renders) == 2


def test_rendering_is_remembered_for_the_same_body():
    markdown_to_html.cache_clear()
    markdown_to_html("Some **bold** words.")
    markdown_to_html("Some **bold** words.")

    assert markdown_to_html.cache_info().hits == 1
