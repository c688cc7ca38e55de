"""The review page's pure text functions: the word diff, reading text, hardest sentences and
marking them in rendered HTML."""

import re

import pytest

from articles.textdiff import Segment, changed_words, word_diff
from delivery.plain_language import (
    hardest_sentences,
    mark_sentences,
    reading_text,
    sentence_difficulty,
    split_sentences,
)
from delivery.rendering import markdown_to_html


def joined(segments: list[Segment], *kinds: str) -> str:
    return "".join(s.text for s in segments if s.kind in kinds)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Walk a little every hour.", "Walk a little every two hours, then rest."),
        ("Call us if you have a fever.", "Call your surgeon if you have a fever or chills."),
        ("", "All new text."),
        ("All old text.", ""),
        ("Same words.", "Same words."),
    ],
)
def test_word_diff_rebuilds_both_texts(before: str, after: str) -> None:
    segments = word_diff(before, after)
    assert joined(segments, "same", "del").split() == before.split()
    assert joined(segments, "same", "ins").split() == after.split()


def test_word_diff_marks_whole_words_and_counts_them() -> None:
    segments = word_diff("Call us if you have a fever.", "Call your surgeon if you have a fever.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Call "),
        ("del", "us"),
        ("ins", "your surgeon"),
        ("same", " if you have a fever."),
    ]
    assert changed_words(segments) == (2, 1)


def test_word_diff_keeps_punctuation_with_its_word() -> None:
    segments = word_diff("Shown on TV.", "Shown on TV.\n\nA new paragraph.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Shown on TV.\n\n"),
        ("ins", "A new paragraph."),
    ]


def test_word_diff_ignores_white_space_alone() -> None:
    assert [s.kind for s in word_diff("one two", "one\n\ntwo")] == ["same"]


def test_reading_text_is_one_line_per_block_with_soft_breaks_as_spaces() -> None:
    html = markdown_to_html("## Heading\n\nOne two\nthree. Four & five.\n\n* x\n  y\n* z\n")
    assert reading_text(html) == "Heading\nOne two three. Four & five.\nx y\nz"


def test_sentences_end_at_punctuation_and_at_every_block() -> None:
    assert split_sentences("Do not eat. Call us! Why?\nA list item") == [
        "Do not eat.",
        "Call us!",
        "Why?",
        "A list item",
    ]


def test_a_long_sentence_with_long_words_says_both_reasons() -> None:
    sentence = (
        "If your physician recommends a colonoscopy preparation regimen, follow the "
        "instructions carefully and completely, because inadequate preparation frequently "
        "necessitates rescheduling the entire procedure."
    )
    hard = sentence_difficulty(sentence, "en")
    assert hard.words == 23
    assert hard.reasons[0] == "Long sentence: 23 words (aim for 20 or fewer)."
    assert hard.reasons[1].startswith("Long words (3 or more syllables): “physician”")
    assert "more." in hard.reasons[1]


def test_hardest_sentences_are_the_three_hardest_with_a_reason_in_order() -> None:
    text = "\n".join(
        [
            "Walk a little every day.",  # easy: no reason, never listed
            "Call us if the pain is bad or you have a fever.",  # long-ish, no long words
            "Medication adherence is essential for cardiovascular prevention.",
            "Take your pills every day.",
            "Your physician may recommend additional laboratory evaluation.",
            "Ask about the appointment.",
        ]
    )
    hard = hardest_sentences(text, "en")
    assert [h.text for h in hard] == [
        "Medication adherence is essential for cardiovascular prevention.",
        "Your physician may recommend additional laboratory evaluation.",
        "Ask about the appointment.",
    ]
    assert all(h.reasons for h in hard)
    assert hard[0].grade >= hard[1].grade >= hard[2].grade


def test_hardest_sentences_of_easy_text_are_none() -> None:
    assert hardest_sentences("Walk a bit. Then rest. Call us.", "en") == []


def test_spanish_sentences_are_ranked_too() -> None:
    hard = hardest_sentences(
        "Camine un poco.\nLa colonoscopia requiere una preparación intestinal cuidadosa.", "es"
    )
    assert [h.text for h in hard] == [
        "La colonoscopia requiere una preparación intestinal cuidadosa."
    ]


def test_marking_wraps_text_across_inline_tags_and_keeps_the_markup() -> None:
    html = markdown_to_html(
        "Do not eat. If your doctor asks for a **bowel prep**, follow it & call us.\n"
    )
    marked = mark_sentences(html, ["If your doctor asks for a bowel prep, follow it & call us."])
    assert marked == (
        "<p>Do not eat. "
        '<a class="hard-ref" href="#hard-why-1" aria-label="Hard sentence 1: why">1</a>'
        '<mark class="hard" id="hard-1" data-hard="1">If your doctor asks for a </mark>'
        '<strong><mark class="hard" data-hard="1">bowel prep</mark></strong>'
        '<mark class="hard" data-hard="1">, follow it &amp; call us.</mark></p>\n'
    )
    # Without the marks, the fragment is what it was.
    assert re.sub(r"<mark[^>]*>|</mark>|<a class=\"hard-ref\"[^>]*>1</a>", "", marked) == html


def test_marking_numbers_each_sentence_and_skips_one_not_found() -> None:
    html = markdown_to_html("First one here. Second one here.\n\nThird one here.\n")
    marked = mark_sentences(html, ["Third one here.", "Not there at all.", "First one here."])
    assert 'id="hard-1" data-hard="1">Third one here.</mark>' in marked
    assert 'data-hard="2"' not in marked
    assert 'id="hard-3" data-hard="3">First one here.</mark>' in marked


def test_marking_escapes_text_it_rewrites() -> None:
    html = "<p>Use &lt;script&gt; never. Keep 5 &lt; 6 true here.</p>"
    marked = mark_sentences(html, ["Keep 5 < 6 true here."])
    assert "&lt;script&gt;" in marked
    assert ">Keep 5 &lt; 6 true here.</mark>" in marked
