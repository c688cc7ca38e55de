"""The patient page at /{locale}/{slug}/: the stored document as a page a patient reads, in
its language, with its review statement, revalidated like delivery; 410 once taken down."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from articles import workflow
from tests.publishing_helpers import make_live
from tests.translation_helpers import live_english, live_translation

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return response.content.decode()


def test_a_live_article_reads_as_a_page_in_its_language(staff: dict) -> None:
    live_english(staff, title="The flu shot")
    live_translation(staff)

    response = Client().get("/en/flu-shot/")

    html = page(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in html
    assert "<h1>The flu shot</h1>" in html
    assert "<h2>Why it matters</h2>" in html  # the stored, sanitized body
    assert re.search(r'<p class="statement">[^<]*Dr\. Mei Chen', html)
    assert '<link rel="alternate" hreflang="es" href="/es/vacuna-gripe/">' in html
    spanish = page(Client().get("/es/vacuna-gripe/"))
    assert '<html lang="es">' in spanish
    assert '<link rel="alternate" hreflang="en" href="/en/flu-shot/">' in spanish


def test_the_json_ld_cannot_end_its_script_early(staff: dict) -> None:
    make_live(**staff, slug="tricky", title="Know the signs </script><script>alert(1)</script>")

    html = page(Client().get("/en/tricky/"))

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "<" not in block[1]
    assert json.loads(block[1])["@type"] == "MedicalWebPage"
    assert "alert(1)</script>" not in html.split("</head>")[0]


def test_it_revalidates_like_delivery(staff: dict) -> None:
    make_live(**staff, slug="knee")
    client = Client()
    first = client.get("/en/knee/")

    again = client.get("/en/knee/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["Last-Modified"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_taken_down_article_is_gone_calmly(staff: dict) -> None:
    article = make_live(**staff, slug="knee")
    workflow.article_unpublish(actor=staff["publisher"], article=article, reason="Reviewing.")

    response = Client().get("/en/knee/")

    assert response.status_code == 410
    assert "This page is no longer available" in page(response)
    assert "Traceback" not in page(response)


def test_unknown_articles_and_turned_off_pages_are_not_found(staff: dict, settings: Any) -> None:
    make_live(**staff, slug="knee")

    assert Client().get("/en/nothing/").status_code == 404
    assert Client().get("/fr/knee/").status_code == 404
    settings.PATIENT_PAGES = False
    assert Client().get("/en/knee/").status_code == 404
