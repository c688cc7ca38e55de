"""What the staff pages show beside a text: the document as patients will see it, with its
hardest sentences marked, how hard it reads, and the medical terms it uses unexplained. The
same for the editor writing it and the reviewer deciding on it, so both see the same
findings."""

import re
from typing import Any

from delivery.plain_language import (
    hardest_sentences,
    mark_sentences,
    reading_text,
    undefined_terms,
    wrap_passages,
)
from delivery.readability import IDEAL_GRADE, PLAIN_LANGUAGE_GRADE, above_plain_language_target

_HEADING = re.compile(r"<(/?)h([1-5])\b")


def shift_headings(fragment: str, by: int = 1) -> str:
    """The rendered body's headings `by` levels down, so they follow the page's own (the
    body's h2 sits under the page's "As patients will see it" h2). Looks are kept by CSS."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}", fragment)


def document_panels(document: dict[str, Any]) -> dict[str, Any]:
    """Template context for `review/_document.html` and `review/_readability.html`: a
    delivery-shaped `document` with its hardest sentences marked, and its reading grade."""
    text = reading_text(document["body_html"])
    hard = hardest_sentences(text, document["locale"])
    grade = document["reading_grade"]
    return {
        "document": document,
        "body_html": shift_headings(mark_sentences(document["body_html"], [s.text for s in hard])),
        "hard_sentences": hard,
        "undefined_terms": undefined_terms(text, document["locale"]),
        "grade": grade,
        "grade_flagged": above_plain_language_target(grade),
        "grade_good": grade is not None and grade <= IDEAL_GRADE,
        "target_grade": PLAIN_LANGUAGE_GRADE,
        "better_grade": IDEAL_GRADE,
    }


def mark_quotes(fragment: str, quotes: list[tuple[int, str]]) -> str:
    """`fragment` with each note's quoted passage (note id, passage) marked, the first piece
    with `id="quote-{id}"` after a link to the note (`#note-{id}`)."""
    ids = [note_id for note_id, _ in quotes]

    def wrap(number: int, piece: str, first: bool) -> str:
        note_id = ids[number - 1]
        if not first:
            return f'<mark class="quote" data-note="{note_id}">{piece}</mark>'
        return (
            f'<a class="quote-ref" href="#note-{note_id}" aria-label="A note on this passage">'
            f"✎</a>"
            f'<mark class="quote" id="quote-{note_id}" data-note="{note_id}">{piece}</mark>'
        )

    return wrap_passages(fragment, [quote for _, quote in quotes], wrap)
