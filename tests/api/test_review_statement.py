"""Every live document carries the sentence the old CMS page could never complete."""

import json

from delivery.models import PublishedDocument
from tests.publishing_helpers import make_live


def _document(slug: str, locale: str) -> dict:
    return json.loads(bytes(PublishedDocument.objects.get(slug=slug, locale=locale).body))


def test_the_english_statement_is_complete_and_agrees_with_the_json_ld(staff, clock):
    make_live(**staff, slug="a1c")

    doc = _document("a1c", "en")

    assert doc["review_statement"] == (
        "Originally published on January 1, 2030. Last reviewed on January 1, 2030 by "
        "Dr. Mei Chen, MD. Next review due January 2031."
    )
    json_ld = doc["json_ld"]
    assert json_ld["datePublished"] == doc["first_published_at"] == "2030-01-01T09:00:00Z"
    assert json_ld["lastReviewed"] == doc["last_reviewed_at"]
    assert json_ld["reviewedBy"]["name"] in doc["review_statement"]


def test_the_spanish_statement_uses_spanish_dates(staff, clock):
    english = make_live(**staff, slug="a1c")
    clock.advance(days=40)
    make_live(**staff, slug="a1c-es", locale="es", translation_of=english)

    doc = _document("a1c-es", "es")

    assert doc["review_statement"] == (
        "Publicado por primera vez el 10 de febrero de 2030. Revisado por última vez el "
        "10 de febrero de 2030 por Dr. Mei Chen, MD. Próxima revisión prevista en "
        "febrero de 2031."
    )
    assert doc["json_ld"]["inLanguage"] == "es"
    assert doc["json_ld"]["datePublished"] == "2030-02-10T09:00:00Z"


def test_a_recertification_moves_the_statements_review_date(staff, clock, reviewer):
    from articles import workflow
    from contentapi.models import Role

    article = make_live(**staff, slug="bp")
    clock.advance(days=200)
    other = type(reviewer).objects.create(
        username="dr.b", roles=[Role.REVIEWER.value], display_name="Dr. Ben Ode", credentials="DO"
    )

    workflow.article_certify_review(actor=other, article=article)

    statement = _document("bp", "en")["review_statement"]
    assert "Last reviewed on July 20, 2030 by Dr. Ben Ode, DO." in statement
    assert statement.endswith("Next review due July 2031.")
