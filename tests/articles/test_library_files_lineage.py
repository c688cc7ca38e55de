"""Content files: the lineage keys (what a revision translates, whether a machine wrote it,
whether it changes meaning) as the writer writes them and the reader reads them back."""

from pathlib import Path

from articles.content import RevisionContent
from articles.library_files import ArticleFile, ArticleRef, article_file_parse, article_file_text

TRANSLATION = ArticleFile(
    article=ArticleRef("vacuna-gripe", "es"),
    translation_of=ArticleRef("flu-shot", "en"),
    translates_revision=3,
    machine_translated=True,
    meaning_changed=False,
    meaning_note="Plainer words; no advice changes.",
    content=RevisionContent.from_input({"title": "La vacuna", "summary": "S.", "body": "B\n"}),
)

TRANSLATION_TEXT = """\
---
slug: vacuna-gripe
locale: es
translation_of:
  slug: flu-shot
  locale: en
  revision: 3
machine_translated: true
meaning_changed: false
meaning_note: Plainer words; no advice changes.
title: La vacuna
summary: S.
topics: []
codes: []
sources: []
authors: []
editor_note: ''
---

B
"""


def test_the_writer_puts_the_lineage_keys_right_after_translation_of():
    assert article_file_text(TRANSLATION) == TRANSLATION_TEXT


def test_a_written_lineage_reads_back_as_the_same_article_file():
    file, errors = article_file_parse(Path("es.md"), TRANSLATION_TEXT)

    assert errors == []
    assert file == ArticleFile(**{**vars(TRANSLATION), "path": Path("es.md")})


def test_the_writer_leaves_out_each_lineage_key_at_its_default():
    text = (
        TRANSLATION_TEXT.replace("  revision: 3\n", "")
        .replace(
            "machine_translated: true\nmeaning_changed: false\n",
            "machine_translated: false\nmeaning_changed: true\n",
        )
        .replace("meaning_note: Plainer words; no advice changes.\n", "meaning_note:\n")
    )

    file, errors = article_file_parse(Path("es.md"), text)

    assert errors == []
    assert (file.translates_revision, file.machine_translated) == (None, False)
    assert (file.meaning_changed, file.meaning_note) == (True, "")
    assert article_file_text(file) == (
        "---\nslug: vacuna-gripe\nlocale: es\ntranslation_of:\n  slug: flu-shot\n  locale: en\n"
        "title: La vacuna\n" + TRANSLATION_TEXT.split("title: La vacuna\n")[1]
    )


def test_a_missing_note_is_reported_on_the_line_that_asks_for_it():
    text = TRANSLATION_TEXT.replace("meaning_note: Plainer words; no advice changes.\n", "")

    _, errors = article_file_parse(Path("es.md"), text)

    assert [(e.line, e.field) for e in errors] == [(9, "meaning_note")]
