"""The handout at /{locale}/{slug}.pdf: a tagged PDF read back as a reader would (its text in
order, its language, its structure tree, its fonts), its footer on every page, large print,
two languages side by side, made once per revision; and its bad requests."""

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from articles import workflow
from delivery import handouts
from delivery.models import Handout
from delivery.rendering import html_to_text
from tests.publishing_helpers import publish_new_revision
from tests.translation_helpers import live_english, live_translation

pytestmark = pytest.mark.django_db

BODY = """Take this sheet home and keep it with your medicines.

## Before the shot

- Tell the nurse if you feel sick today.
- Wear a shirt with loose sleeves.

## After the shot

Your arm may be sore for a day or two. A cool cloth helps.

1. Rest the arm.
2. Drink water.
3. Call us if the redness grows.

More help: [the vaccine clinic](https://clinic.example.org/vaccines).
"""

SPANISH_BODY = """Lleve esta hoja a casa y guárdela con sus medicinas.

## Antes de la vacuna

- Diga a la enfermera si se siente mal hoy.
- Use una camisa de mangas sueltas.

## Después de la vacuna

Puede que le duela el brazo uno o dos días. Un paño fresco ayuda.

1. Descanse el brazo.
2. Beba agua.
3. Llámenos si el enrojecimiento crece.
"""


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def in_order(needles: list[str], haystack: list[str]) -> bool:
    """True when `needles` all appear in `haystack`, in this order (others may come between)."""
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needles)


def get_pdf(path: str, **headers: Any) -> Any:
    response = Client().get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response


def catalog(pdf: bytes) -> dict[str, Any]:
    return PDFDocument(PDFParser(io.BytesIO(pdf))).catalog


def structure_kinds(pdf: bytes) -> set[str]:
    """The element types (`S`) of the PDF's structure tree."""
    kinds: set[str] = set()

    def walk(node: Any) -> None:
        node = resolve1(node)
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if "S" in node:
                kinds.add(node["S"].name)
            if "K" in node:
                walk(node["K"])

    walk(resolve1(catalog(pdf)["StructTreeRoot"])["K"])
    return kinds


@pytest.fixture
def flu_shot(staff: dict) -> Any:
    return live_english(
        staff,
        title="Your flu shot",
        summary="What to do before and after.",
        body=BODY,
        sources=[{"title": "Clinic guide", "url": "https://clinic.example.org/guide"}],
    )


def test_the_handout_has_every_word_in_order_with_the_statement_and_reviewer(
    flu_shot: Any, settings: Any
) -> None:
    settings.DELIVERY_PUBLIC = True
    document = Client().get("/api/v1/articles/flu-shot/").json()
    pdf = get_pdf("/en/flu-shot.pdf").content

    text = words(extract_text(io.BytesIO(pdf)))

    expected = [
        *words("Your flu shot What to do before and after."),
        *words(html_to_text(document["body_html"])),
        *words(document["review_statement"]),
    ]
    assert in_order(expected, text)
    assert in_order(words("Dr. Mei Chen"), text)
    assert "Dr. Mei Chen" in document["review_statement"]


def test_the_handout_is_a_tagged_pdf_in_the_articles_language(flu_shot: Any) -> None:
    pdf = get_pdf("/en/flu-shot.pdf").content

    root = catalog(pdf)
    assert root["Lang"] == b"en"
    assert root["MarkInfo"]["Marked"] is True
    assert resolve1(root["ViewerPreferences"])["DisplayDocTitle"] is True
    info = PDFDocument(PDFParser(io.BytesIO(pdf))).info[0]
    assert info["Title"] == b"Your flu shot"
    # Headings, lists and links are structure, not only looks.
    assert {"H1", "H2", "L", "LI", "Link", "P"} <= structure_kinds(pdf)
    # Every font is embedded (a FontFile in its descriptor), so it prints as it was made.
    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    fonts = [
        resolve1(font)
        for page in PDFPage.create_pages(document)
        for font in resolve1(resolve1(page.resources)["Font"]).values()
    ]
    assert fonts
    for font in fonts:
        descendant = resolve1(font["DescendantFonts"])[0] if "DescendantFonts" in font else font
        descriptor = resolve1(resolve1(descendant)["FontDescriptor"])
        assert {"FontFile", "FontFile2", "FontFile3"} & set(descriptor)


def test_its_links_work(flu_shot: Any) -> None:
    pdf = get_pdf("/en/flu-shot.pdf").content
    document = PDFDocument(PDFParser(io.BytesIO(pdf)))

    targets = {
        resolve1(resolve1(annotation)["A"])["URI"].decode()
        for page in PDFPage.create_pages(document)
        for annotation in resolve1(page.annots) or []
        if "A" in resolve1(annotation)
    }

    assert "https://clinic.example.org/vaccines" in targets
    assert "https://clinic.example.org/guide" in targets
    assert "http://127.0.0.1:8000/en/flu-shot/" in targets  # the footer's address


def test_every_page_is_signed_at_its_foot_with_statement_revision_address_and_qr_code(
    staff: dict,
) -> None:
    long_body = "\n\n".join(f"## Part {n}\n\n" + "Keep taking your pills each day. " * 30
                            for n in range(8))  # fmt: skip
    live_english(staff, body=long_body)
    pdf = get_pdf("/en/flu-shot.pdf").content

    pages = list(extract_pages(io.BytesIO(pdf)))

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = [
            line.get_text()
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            if isinstance(line, LTTextLine)
        ]
        text = " ".join(lines)
        assert "Last reviewed on" in text, number
        assert "Dr. Mei Chen" in text
        assert "Revision 1" in text
        assert "http://127.0.0.1:8000/en/flu-shot/" in text
        assert f"Page {number} of {len(pages)}" in text
        # The QR code: drawn as vectors in the bottom margin, beside the footer's text.
        drawn = [
            shape for shape in page if isinstance(shape, LTCurve) and shape.y1 < page.height / 6
        ]
        assert len(drawn) > 50


def test_large_print_is_eighteen_points_or_more(flu_shot: Any) -> None:
    standard = get_pdf("/en/flu-shot.pdf").content
    large = get_pdf("/en/flu-shot.pdf?size=large").content

    def body_sizes(pdf: bytes) -> list[float]:
        # The characters of the body's first sentence, wherever they fall.
        sizes = []
        for page in extract_pages(io.BytesIO(pdf)):
            for box in page:
                if isinstance(box, LTTextContainer) and "Take this sheet" in box.get_text():
                    sizes += [
                        char.size for line in box for char in line if isinstance(char, LTChar)
                    ]
        return sizes

    assert body_sizes(large)
    assert min(body_sizes(large)) >= 18
    assert max(body_sizes(standard)) < 18
    assert len(list(extract_pages(io.BytesIO(large)))) > len(
        list(extract_pages(io.BytesIO(standard)))
    )


def test_a_translation_prints_beside_its_english_section_by_section(
    staff: dict, flu_shot: Any
) -> None:
    live_translation(staff, body=SPANISH_BODY)

    pdf = get_pdf("/es/vacuna-gripe.pdf?also=en").content

    assert catalog(pdf)["Lang"] == b"es"
    lines = [
        (line.get_text().strip(), line.x0, line.y0, number)
        for number, page in enumerate(extract_pages(io.BytesIO(pdf)))
        for box in page
        if isinstance(box, LTTextContainer)
        for line in box
        if isinstance(line, LTTextLine)
    ]

    def where(text: str) -> tuple[float, float, int]:
        (found,) = [(x, y, page) for line, x, y, page in lines if line == text]
        return found

    pairs = [
        ("La vacuna contra la gripe", "Your flu shot"),
        ("Antes de la vacuna", "Before the shot"),
        ("Después de la vacuna", "After the shot"),
    ]
    for spanish, english in pairs:
        (es_x, es_y, es_page), (en_x, en_y, en_page) = where(spanish), where(english)
        assert es_page == en_page, (spanish, english)
        assert abs(es_y - en_y) < 2, (spanish, english)  # on the same line
        assert en_x > es_x + 200  # in the right-hand column
    # Each column is its own language's words, in order.
    text = words(extract_text(io.BytesIO(pdf)))
    assert in_order(words("Descanse el brazo. Beba agua."), text)
    assert in_order(words("Rest the arm. Drink water."), text)


def test_a_handout_is_made_once_per_revision_and_revalidates(
    staff: dict, flu_shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = get_pdf("/en/flu-shot.pdf")
    assert Handout.objects.filter(article=flu_shot, size="standard").count() == 1

    def not_again(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("made twice")

    monkeypatch.setattr(handouts, "make_handout", not_again)
    again = get_pdf("/en/flu-shot.pdf")
    unchanged = Client().get("/en/flu-shot.pdf", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert unchanged.status_code == 304
    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["Surrogate-Key"]
    assert first["Content-Disposition"] == 'inline; filename="flu-shot.pdf"'

    monkeypatch.undo()
    publish_new_revision(flu_shot, **staff, body=BODY + "\nBring your vaccine card.\n")
    newer = get_pdf("/en/flu-shot.pdf", HTTP_IF_NONE_MATCH=first["ETag"])

    assert newer["ETag"] != first["ETag"]
    assert "Bring your vaccine card" in extract_text(io.BytesIO(newer.content))
    assert "Revision 2" in extract_text(io.BytesIO(newer.content))
    assert Handout.objects.filter(article=flu_shot).count() == 1  # replaced, not added


def test_a_translation_handout_changes_when_its_english_does(staff: dict, flu_shot: Any) -> None:
    live_translation(staff, body=SPANISH_BODY)
    first = get_pdf("/es/vacuna-gripe.pdf?also=en")

    publish_new_revision(flu_shot, **staff, title="Your flu shot this fall")
    again = get_pdf("/es/vacuna-gripe.pdf?also=en")

    assert again["ETag"] != first["ETag"]
    assert "Your flu shot this fall" in extract_text(io.BytesIO(again.content))


def test_a_handout_prints_the_address_patients_are_sent_to_now(
    flu_shot: Any, settings: Any
) -> None:
    # A kept handout must not print (nor hold in its QR code) an address the hospital has
    # since moved away from.
    first = get_pdf("/en/flu-shot.pdf")

    settings.ARTICLE_PUBLIC_URL = "https://www.hospital.example/health/{locale}/{slug}/"
    moved = get_pdf("/en/flu-shot.pdf")

    assert moved["ETag"] != first["ETag"]
    assert "https://www.hospital.example/health/en/flu-shot/" in extract_text(
        io.BytesIO(moved.content)
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [("size=huge", "size"), ("also=fr", "also"), ("also=es", "also"), ("also=en", "also")],
)
def test_a_bad_handout_request_is_a_clear_problem(flu_shot: Any, query: str, field: str) -> None:
    response = Client().get(f"/en/flu-shot.pdf?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert [error["field"] for error in problem["errors"]] == [field]


def test_a_taken_down_article_has_no_handout(staff: dict, flu_shot: Any, settings: Any) -> None:
    workflow.article_unpublish(actor=staff["publisher"], article=flu_shot, reason="Reviewing.")

    gone = Client().get("/en/flu-shot.pdf")

    assert gone.status_code == 410
    assert "This page is no longer available" in gone.content.decode()
    assert Client().get("/en/never-was.pdf").status_code == 404
    settings.PATIENT_PAGES = False
    assert Client().get("/en/never-was.pdf").status_code == 404


def test_turned_off_pages_have_no_handouts(flu_shot: Any, settings: Any) -> None:
    settings.PATIENT_PAGES = False

    assert Client().get("/en/flu-shot.pdf").status_code == 404


def test_a_server_without_pango_says_so_and_the_page_still_works(
    flu_shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pango(*args: Any, **kwargs: Any) -> bytes:
        raise handouts.HandoutUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(handouts, "make_handout", no_pango)

    response = Client().get("/en/flu-shot.pdf")

    assert response.status_code == 503
    assert response.json()["code"] == "handouts-unavailable"
    assert Client().get("/en/flu-shot/").status_code == 200
    # Its claim is released, so the next request tries again at once, not after the claim
    # runs out (an operator may have installed pango meanwhile).
    monkeypatch.undo()
    assert get_pdf("/en/flu-shot.pdf").content.startswith(b"%PDF-")


def test_two_languages_too_long_for_one_sheet_are_refused_not_timed_out(
    staff: dict, flu_shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Side by side, the longest bodies would take longer to make than a worker may run.
    live_translation(staff, body=SPANISH_BODY)
    monkeypatch.setattr(handouts, "PAIR_MAX_CHARS", len(BODY) + len(SPANISH_BODY) - 1)
    monkeypatch.setattr(handouts, "make_handout", never_made_here)

    response = Client().get("/es/vacuna-gripe.pdf?also=en")

    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["field"] == "also"
    assert "too long to print side by side" in problem["detail"]
    assert not Handout.objects.filter(also="en").exists()  # nothing claimed


def claimed_by_another_request(article: Any, *, age_seconds: float = 0) -> Handout:
    """The row a request making the standard English handout holds while it makes it."""
    etag = handouts.handout_source(slug="flu-shot", locale="en", size="standard", also="").etag
    return Handout.objects.create(
        article=article,
        size="standard",
        etag=etag,
        pdf=b"",
        made_at=timezone.now() - timedelta(seconds=age_seconds),
        make_seconds=0,
    )


def never_made_here(*args: Any, **kwargs: Any) -> bytes:
    raise AssertionError("made by a second request")


def test_a_handout_being_made_is_waited_for_and_not_made_twice(
    flu_shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = claimed_by_another_request(flu_shot)
    monkeypatch.setattr(handouts, "make_handout", never_made_here)

    def other_request_finishes(seconds: float) -> None:
        Handout.objects.filter(pk=claim.pk).update(pdf=b"%PDF-1.7 made by the other request")

    monkeypatch.setattr(handouts.time, "sleep", other_request_finishes)

    response = get_pdf("/en/flu-shot.pdf")

    assert response.content == b"%PDF-1.7 made by the other request"


def test_a_handout_not_ready_in_time_is_a_503_to_retry(
    flu_shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    claimed_by_another_request(flu_shot)
    monkeypatch.setattr(handouts, "make_handout", never_made_here)
    monkeypatch.setattr(handouts, "WAIT_SECONDS", 0.3)
    monkeypatch.setattr(handouts, "POLL_SECONDS", 0.1)

    response = Client().get("/en/flu-shot.pdf")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "handout-being-made"
    assert response["Retry-After"] == "5"


def test_a_claim_whose_maker_died_is_taken_over(flu_shot: Any) -> None:
    claimed_by_another_request(flu_shot, age_seconds=handouts.CLAIM_SECONDS + 1)

    response = get_pdf("/en/flu-shot.pdf")

    assert response.content.startswith(b"%PDF-")
    kept = Handout.objects.get(article=flu_shot, size="standard")
    assert bytes(kept.pdf) == response.content
    assert kept.make_seconds > 0


def test_of_two_claims_for_one_handout_exactly_one_wins(flu_shot: Any) -> None:
    source = handouts.handout_source(slug="flu-shot", locale="en", size="standard", also="")

    first, second = handouts._claim(source, source.etag), handouts._claim(source, source.etag)

    assert (first, second) == (True, False)
    assert Handout.objects.filter(article=flu_shot).count() == 1


def test_a_handout_fetches_nothing_whatever_its_document_holds(tmp_path: Any) -> None:
    # A stored document is sanitized at publish; this one is not, as if the table had been
    # written by hand: its image and style sheet name files of the server's own.
    image = tmp_path / "secret.png"
    image.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    style = tmp_path / "evil.css"
    style.write_text("body { display: none }")
    document = {
        "slug": "plain",
        "locale": "en",
        "title": "Plain",
        "summary": "Nothing to fetch.",
        "body_html": f'<link rel="stylesheet" href="file://{style}">'
        f'<p>Still here.</p><img src="file://{image}" alt="">',
        "editor_note": "",
        "sources": [],
        "authors": [],
        "review_statement": "Reviewed.",
        "revision": 1,
        "translation": None,
    }

    pdf = handouts.make_handout(document, size="standard")

    assert "Still here." in extract_text(io.BytesIO(pdf))
    document_images = [
        item
        for page in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(pdf))))
        for item in (resolve1(resolve1(page.resources).get("XObject")) or {}).values()
        if resolve1(item).attrs.get("Subtype").name == "Image"
    ]
    assert document_images == []
