"""The patient page at /{locale}/{slug}/: the stored document as a page a patient reads, in
its language, with its review statement, revalidated like delivery; 410 once taken down."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from articles import workflow
from tests.publishing_helpers import make_live, publish_new_revision
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


@pytest.mark.parametrize("path", ["/en/knee/", "/en/knee.pdf", "/en/gone/"])
def test_a_signed_in_reader_gets_the_page_every_reader_gets(staff: dict, path: str) -> None:
    # A CDN keeps one copy of a page for everyone: nothing in it may depend on, or vary by,
    # the staff session a nurse's browser carries.
    make_live(**staff, slug="knee")
    gone = make_live(**staff, slug="gone")
    workflow.article_unpublish(actor=staff["publisher"], article=gone, reason="Reviewing.")
    client = Client()
    client.force_login(staff["editor"])

    response = client.get(path)

    assert response.status_code in (200, 410)
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


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


def test_the_page_offers_its_handouts_and_a_print_button(staff: dict) -> None:
    live_english(staff)
    live_translation(staff)

    english = page(Client().get("/en/flu-shot/"))
    spanish = page(Client().get("/es/vacuna-gripe/"))

    assert '<a href="/en/flu-shot.pdf" type="application/pdf">' in english
    assert '<a href="/en/flu-shot.pdf?size=large" type="application/pdf">' in english
    assert "?also=" not in english  # English is no translation
    assert '<a href="/es/vacuna-gripe.pdf?also=en" type="application/pdf">' in spanish
    assert "Hoja para imprimir (PDF)" in spanish
    assert '<button type="button" class="print" hidden>Imprimir esta página</button>' in spanish
    assert 'src="/static/delivery/print.js"' in spanish


def test_an_outdated_translation_says_so_and_links_the_english(staff: dict) -> None:
    english = live_english(staff)
    live_translation(staff)
    publish_new_revision(english, **staff, body="## Why it matters\n\nCall us if you faint.\n")

    spanish = page(Client().get("/es/vacuna-gripe/"))

    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', spanish, re.S)
    assert notice is not None
    assert "Esta traducción se está actualizando" in notice[1]
    assert '<a href="/en/flu-shot/" hreflang="en">Leer la versión en inglés</a>' in notice[1]
    assert 'class="notice"' not in page(Client().get("/en/flu-shot/"))


def test_documents_link_their_page_and_handout(staff: dict, settings: Any) -> None:
    settings.DELIVERY_PUBLIC = True
    live_english(staff)

    document = Client().get("/api/v1/articles/flu-shot/").json()

    assert document["links"] == {
        "page": "http://127.0.0.1:8000/en/flu-shot/",
        "handout": "http://127.0.0.1:8000/en/flu-shot.pdf",
    }
    assert document["url"] == "http://127.0.0.1:8000/api/v1/articles/flu-shot/?locale=en"


def test_a_hospital_website_is_the_page_and_pages_off_leave_no_handout(
    staff: dict, settings: Any
) -> None:
    settings.DELIVERY_PUBLIC = True
    settings.ARTICLE_PUBLIC_URL = "https://www.hospital.example/health/{locale}/{slug}/"
    live_english(staff, slug="own-site")
    settings.PATIENT_PAGES = False
    settings.ARTICLE_PUBLIC_URL = ""
    live_english(staff, slug="pages-off")

    own_site = Client().get("/api/v1/articles/own-site/").json()
    pages_off = Client().get("/api/v1/articles/pages-off/").json()

    assert own_site["links"] == {
        "page": "https://www.hospital.example/health/en/own-site/",
        "handout": "http://127.0.0.1:8000/en/own-site.pdf",
    }
    assert pages_off["links"] == {
        "page": "http://127.0.0.1:8000/api/v1/articles/pages-off/?locale=en",
        "handout": None,
    }
