"""Where a text is hard to read, and why: the hardest sentences, and marking them in HTML.

Pure functions, no database. `hardest_sentences` ranks the sentences of the text patients
read by the Flesch-Kincaid grade each would get alone (0.39 x words + 11.8 x syllables per
word - 15.59, the formula `delivery.readability` uses for the whole text) and keeps those
with a reason a writer can act on: a long sentence, or long words. Spanish syllables are
counted by hyphenation, as textstat does for Spanish; the ranking then only compares
sentences with each other, which is all the review page asks of it.

`mark_sentences` wraps those sentences in `<mark>` inside a rendered (already sanitized)
HTML fragment, wherever they run across inline tags, without breaking the markup.
"""

import html
import itertools
import re
from dataclasses import dataclass

from textstat.backend.utils import get_pyphen

from delivery.readability import _cmu_syllables

# A sentence longer than this is hard to follow for many readers (plain-language guidance
# for patient material: 15 to 20 words on average).
LONG_SENTENCE_WORDS = 20
# Words of this many syllables or more are "long words" (Flesch-Kincaid counts them).
LONG_WORD_SYLLABLES = 3
# Shorter runs (headings, list fragments) are not ranked.
MIN_SENTENCE_WORDS = 4

_TAG = re.compile(r"(<[^>]*>)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)]*\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)


# Where a block of text ends in rendered HTML: a paragraph, a list item, a heading, a cell.
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|blockquote|pre)>|<br\s*/?>|<hr\s*/?>", re.I)


def reading_text(fragment: str) -> str:
    """The text of a rendered HTML fragment as a reader meets it: one line per block
    (paragraph, list item, heading, cell), white space inside a block made single spaces.

    Markdown's soft line breaks are spaces to a reader, so a sentence never breaks in two
    where the editor wrapped a line.
    """
    blocks = _BLOCK_END.sub("\u2029", fragment)  # a paragraph separator: not white space
    text = html.unescape(_TAG.sub("", blocks))
    return "\n".join(" ".join(block.split()) for block in text.split("\u2029") if block.strip())


@dataclass(frozen=True)
class HardSentence:
    """A hard sentence of the text, how hard alone, and why."""

    text: str
    words: int
    long_words: tuple[str, ...]
    grade: float
    reasons: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    """The sentences of plain text; every line (a paragraph, a list item, a heading) ends
    one, so a sentence never runs from one block into the next."""
    found: list[str] = []
    for line in text.splitlines():
        found += [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]
    return found


def syllables(word: str, locale: str) -> int:
    """Syllables of one word: the CMU dictionary in English, else hyphenation points + 1."""
    language = locale.split("-")[0]
    if language == "en":
        known = _cmu_syllables().get(word.lower())
        if known is not None:
            return max(known, 1)
    hyphenator = get_pyphen("es_ES" if language == "es" else "en_US")
    return len(hyphenator.positions(word.lower())) + 1


def sentence_difficulty(sentence: str, locale: str) -> HardSentence:
    words = _WORD.findall(sentence)
    counts = [syllables(word, locale) for word in words]
    grade = 0.0
    if words:
        grade = 0.39 * len(words) + 11.8 * (sum(counts) / len(words)) - 15.59
    long_words = tuple(
        dict.fromkeys(w for w, n in zip(words, counts, strict=True) if n >= LONG_WORD_SYLLABLES)
    )
    reasons = []
    if len(words) > LONG_SENTENCE_WORDS:
        reasons.append(
            f"Long sentence: {len(words)} words (aim for {LONG_SENTENCE_WORDS} or fewer)."
        )
    if long_words:
        shown = ", ".join(f"“{word}”" for word in long_words[:4])
        more = f" and {len(long_words) - 4} more" if len(long_words) > 4 else ""
        reasons.append(f"Long words ({LONG_WORD_SYLLABLES} or more syllables): {shown}{more}.")
    return HardSentence(sentence, len(words), long_words, round(grade, 1), tuple(reasons))


def hardest_sentences(text: str, locale: str, count: int = 3) -> list[HardSentence]:
    """The `count` hardest sentences of `text` that have a reason to be hard, hardest first
    (ties: the earlier sentence first). Repeated sentences are ranked once."""
    scored = [
        sentence_difficulty(sentence, locale)
        for sentence in dict.fromkeys(split_sentences(text))
        if len(_WORD.findall(sentence)) >= MIN_SENTENCE_WORDS
    ]
    hard = [s for s in scored if s.reasons]
    ranked = sorted(enumerate(hard), key=lambda pair: (-pair[1].grade, pair[0]))
    return [sentence for _, sentence in ranked[:count]]


# ------------------------------------------------------------------------------
# Marking sentences in rendered HTML
# ------------------------------------------------------------------------------


def _find(full: str, sentence: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where `sentence` occurs in `full` (any white space between its words), not overlapping
    a range already taken."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    if not pattern:
        return None
    for match in re.finditer(pattern, full):
        start, end = match.span()
        if all(end <= s or start >= e for s, e in taken):
            return start, end
    return None


def mark_sentences(fragment: str, sentences: list[str], *, id_prefix: str = "hard-") -> str:
    """`fragment` with the text of sentence n (from 1) wrapped in
    `<mark class="hard" data-hard="n">`, the first piece with `id="{id_prefix}n"` and after
    a numbered link to `#{id_prefix}why-n`, where the page says why it is hard.

    Only text is wrapped, never a tag: a sentence that runs across inline markup
    (`<strong>`, `<a>`) gets one `<mark>` per piece of text, so the markup stays well formed.
    A sentence not found in the fragment is left unmarked. `fragment` must be sanitized
    HTML (as `delivery.rendering.markdown_to_html` makes it); text is escaped again.
    """
    parts = _TAG.split(fragment)
    texts = [html.unescape(part) for part in parts[::2]]
    full = "".join(texts)
    ranges: list[tuple[int, int, int]] = []
    for number, sentence in enumerate(sentences, start=1):
        found = _find(full, sentence, [(s, e) for s, e, _ in ranges])
        if found is not None:
            ranges.append((*found, number))
    out: list[str] = []
    offset = 0
    opened: set[int] = set()
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
            continue
        text = texts[index // 2]
        start, end = offset, offset + len(text)
        cuts = sorted(
            {start, end} | {point for s, e, _ in ranges for point in (s, e) if start < point < end}
        )
        for left, right in itertools.pairwise(cuts):
            piece = html.escape(text[left - start : right - start], quote=False)
            number = next((n for s, e, n in ranges if s <= left and right <= e), None)
            if number is None or not piece.strip():
                out.append(piece)
                continue
            anchor = ""
            if number not in opened:
                # A numbered link to why it is hard, before its first piece.
                anchor = f' id="{id_prefix}{number}"'
                out.append(
                    f'<a class="hard-ref" href="#{id_prefix}why-{number}" '
                    f'aria-label="Hard sentence {number}: why">{number}</a>'
                )
                opened.add(number)
            out.append(f'<mark class="hard"{anchor} data-hard="{number}">{piece}</mark>')
        offset = end
    return "".join(out)
