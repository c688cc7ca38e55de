"""Content files: what the writer writes, byte for byte, and that reading it back gives the
same content."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.content import RevisionContent
from articles.library_files import (
    ArticleFile,
    ArticleRef,
    article_file_parse,
    article_file_text,
    body_normalize,
)

A1C_ES = ArticleFile(
    article=ArticleRef("entender-su-a1c", "es"),
    translation_of=ArticleRef("understanding-your-a1c", "en"),
    review_interval_days=180,
    content=RevisionContent.from_input(
        {
            "title": "Entender su prueba de A1C: qué significa",
            "summary": "La prueba muestra su azúcar promedio.\nDe los últimos tres meses.",
            "body": "## ¿Qué es?\n\nUn análisis de sangre.  \nNo necesita ayunar.\n\n\n",
            "editor_note": "Revisado.",
            "topics": ["diabetes", "blood-tests"],
            "codes": [
                {"system": "loinc", "code": "4548-4", "display": "Hemoglobin A1c"},
                {"system": "snomedct", "code": "44054006"},
            ],
            "sources": [{"title": "NIDDK: A1C", "url": "https://www.niddk.nih.gov/a1c"}],
            "authors": [{"name": "Marisol Vega", "credentials": "RN"}, {"name": "Ana Ruiz"}],
        }
    ),
)

A1C_ES_TEXT = """\
---
slug: entender-su-a1c
locale: es
translation_of:
  slug: understanding-your-a1c
  locale: en
title: 'Entender su prueba de A1C: qué significa'
summary: |-
  La prueba muestra su azúcar promedio.
  De los últimos tres meses.
topics:
  - blood-tests
  - diabetes
codes:
  - system: loinc
    code: 4548-4
    display: Hemoglobin A1c
  - system: snomedct
    code: '44054006'
    display: ''
sources:
  - title: 'NIDDK: A1C'
    url: https://www.niddk.nih.gov/a1c
authors:
  - name: Marisol Vega
    credentials: RN
  - name: Ana Ruiz
    credentials: ''
editor_note: Revisado.
review_interval_days: 180
---

## ¿Qué es?

Un análisis de sangre.  
No necesita ayunar.
"""  # noqa: W291 (the two spaces of a Markdown line break are content)


def test_the_writer_writes_every_key_in_a_fixed_order_and_style():
    assert article_file_text(A1C_ES) == A1C_ES_TEXT


def test_the_writer_leaves_out_only_the_translation_and_interval_when_there_are_none():
    plain = ArticleFile(
        article=ArticleRef("low-blood-sugar", "en"),
        content=RevisionContent.from_input({"title": "Low", "summary": "S.", "body": "B\n"}),
    )

    assert article_file_text(plain) == (
        "---\nslug: low-blood-sugar\nlocale: en\ntitle: Low\nsummary: S.\ntopics: []\n"
        "codes: []\nsources: []\nauthors: []\neditor_note: ''\n---\n\nB\n"
    )


def test_a_written_file_reads_back_as_the_same_article_file():
    file, errors = article_file_parse(Path("a1c.md"), A1C_ES_TEXT)

    assert errors == []
    assert file == ArticleFile(
        article=A1C_ES.article,
        translation_of=A1C_ES.translation_of,
        review_interval_days=180,
        content=RevisionContent.from_input(
            {**vars(A1C_ES.content), "body": body_normalize(A1C_ES.content.body)}
        ),
        path=Path("a1c.md"),
    )


def test_windows_line_ends_a_byte_order_mark_and_blank_lines_around_the_body_read_the_same():
    windows = "\ufeff" + A1C_ES_TEXT.replace("\n", "\r\n").replace(
        "---\r\n\r\n##", "---\r\n\r\n\r\n  \r\n##"
    )

    assert article_file_parse(Path("a.md"), windows) == article_file_parse(
        Path("a.md"), A1C_ES_TEXT
    )


# Text the API accepts in a one-line field: no control characters, no text-direction
# overrides, no surrounding whitespace (the API trims it).
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
_chars = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=_BIDI)
_line = st.text(_chars, min_size=1, max_size=40).map(str.strip).filter(bool)
_lines = st.lists(_line, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(title=_line, summary=_lines, note=st.one_of(st.just(""), _lines), body=_lines)
def test_any_text_the_api_accepts_is_written_and_read_back_unchanged(title, summary, note, body):
    file = ArticleFile(
        article=ArticleRef("a", "en"),
        content=RevisionContent.from_input(
            {
                "title": title,
                "summary": summary,
                "editor_note": note,
                "body": body,
                "authors": [{"name": title, "credentials": note.replace("\n", " ")}],
                "sources": [{"title": title, "url": "https://example.org/"}],
            }
        ),
    )

    read, errors = article_file_parse(Path("a.md"), article_file_text(file))

    assert errors == []
    assert read.content == RevisionContent.from_input(
        {**vars(file.content), "body": body_normalize(body)}
    )
