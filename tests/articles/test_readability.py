"""The reading grade: textstat's formulas, without textstat's 70 MB dictionary."""

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.demo import DEMO_LIBRARY
from articles.library_files import article_file_parse, library_paths
from delivery.readability import (
    _textstat_caches,
    above_plain_language_target,
    flesch_kincaid_grade,
    readability,
    reading_grade,
)
from delivery.rendering import html_to_text, markdown_to_html

WORDS = [
    "call",
    "the",
    "breast",
    "imaging",
    "team",
    "radiologist",
    "colonoscopy",
    "if",
    "you",
    "notice",
    "a",
    "new",
    "lump",
    "calcifications",
    "xqzt",
    "hemoglobin",
    "walk",
    "daily",
]


@pytest.mark.parametrize(
    "path", library_paths(DEMO_LIBRARY), ids=lambda p: p.relative_to(DEMO_LIBRARY).as_posix()
)
def test_the_grade_of_each_demo_revision_equals_textstats(path):
    file, errors = article_file_parse(path, path.read_text(encoding="utf-8"))
    assert file is not None, errors
    locale = file.article.locale
    text = html_to_text(markdown_to_html(file.content.body))
    if locale == "es":
        textstat.set_lang("es")
        expected = textstat.crawford(text)
    else:
        textstat.set_lang("en_US")
        expected = textstat.flesch_kincaid_grade(text)

    assert reading_grade(text, locale) == round(max(expected, 0.0), 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=6))
def test_flesch_kincaid_equals_textstat_on_any_sentences(sentences):
    text = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    textstat.set_lang("en_US")

    assert flesch_kincaid_grade(text) == pytest.approx(textstat.flesch_kincaid_grade(text))


def test_no_text_has_no_grade():
    assert reading_grade("  \n", "en") is None


def test_plain_short_sentences_read_below_grade_eight_and_dense_ones_above():
    plain = "Walk a little every day. Drink water. Call us if you feel sick."
    dense = (
        "Postoperative rehabilitation necessitates individualized physiotherapeutic "
        "interventions, anticoagulation management, and comprehensive evaluation of "
        "cardiovascular complications following arthroplasty procedures."
    )

    assert reading_grade(plain, "en") < 8
    assert reading_grade(dense, "en") > 12


@pytest.mark.parametrize(
    ("grade", "above"), [(None, False), (6.0, False), (8.0, False), (8.1, True), (12.4, True)]
)
def test_a_grade_is_above_the_plain_language_target_only_past_grade_8(grade, above):
    assert above_plain_language_target(grade) is above


@pytest.mark.parametrize("locale", ["en", "es"])
def test_measuring_a_text_leaves_nothing_in_textstats_caches(locale):
    # textstat keeps the last 128 texts (and the word lists made from them) in every function;
    # a worker previewing many bodies would grow by tens of megabytes.
    text = "The vaccine protects you. Get it every autumn, before the winter comes."
    reading_grade(text, locale)
    readability(text, locale)

    assert _textstat_caches()
    assert all(function.cache_info().currsize == 0 for function in _textstat_caches())
