"""Who wrote the words of a revision: its contributors, whom the four-eyes rule excludes.

Two rules, both checked when a reviewer approves or re-certifies (`workflow.check_four_eyes`):

By lineage. The contributors of a revision are the authors of that revision and of every
revision it was based on, back to (not including) the nearest ancestor that a reviewer
approved. Whoever copies a colleague's revision unchanged into a new one does not make its
words theirs: the colleague is still a contributor and still may not approve it.

By words (`copied_from`). Lineage cannot see text copied into another article row: a new
article, or a translation carrying the same body. So a reviewer also may not sign off a
revision in which a substantial part of the text matches sentences they wrote anywhere in the
library, in any article or locale. What they wrote is what they introduced: the sentences of
title, summary and body of each revision they authored, minus those already in its base
revision (editing one sentence of a colleague's article does not make the rest theirs).
Sentences are compared after normalisation (NFKC, case-folded, whitespace collapsed, Markdown
markup, list markers and surrounding punctuation stripped), and a match is substantial when
  - three consecutive sentences of the revision (title, summary, body in that order) are all
    theirs, or
  - sentences of four words or more that are theirs make up at least a third of the
    revision's sentences, or of its characters (short boilerplate such as "Call your doctor."
    never counts toward the third on its own, only as part of a run of three).
Words another clinician has already approved in the same article are not the reviewer's
unapproved words: sentences found in any other revision of the candidate's article that
someone other than the reviewer approved are left out of the match (this is where the text
was checked by four eyes, as the approved ancestor ends the lineage walk). The candidate's
own approval never counts, so whoever wrote its words may not re-certify it. The same words
in a different article row (another article, or a translation) were approved for another
context and are refused.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import OuterRef, Subquery

from articles.models import Revision


@dataclass(frozen=True)
class Contributor:
    """One person who wrote part of a revision's text, and in which revisions."""

    user_id: int
    username: str
    revisions: tuple[int, ...]  # newest first


@dataclass(frozen=True)
class _Row:
    base: int | None
    author_id: int
    author: str
    approved: bool


def _lineage(rows: dict[int, _Row], number: int) -> list[Contributor]:
    """Walk from `number` back through its bases to the nearest approved ancestor."""
    written: dict[tuple[int, str], list[int]] = {}
    current: int | None = number
    while current is not None and current in rows:
        row = rows[current]
        if current != number and row.approved:
            break
        written.setdefault((row.author_id, row.author), []).append(current)
        current = row.base
    return [Contributor(pk, name, tuple(numbers)) for (pk, name), numbers in written.items()]


def _rows(article_id: int, up_to: int | None = None) -> dict[int, _Row]:
    revisions = Revision.objects.filter(article_id=article_id)
    if up_to is not None:
        revisions = revisions.filter(number__lte=up_to)
    return {
        number: _Row(base, author_id, author, approved_by_id is not None)
        for number, base, author_id, author, approved_by_id in revisions.values_list(
            "number", "base_revision", "author_id", "author__username", "approved_by_id"
        )
    }


def revision_contributors(revision: Revision) -> list[Contributor]:
    """The contributors of one revision (one query)."""
    return _lineage(_rows(revision.article_id, revision.number), revision.number)


def article_contributors(article_id: int) -> dict[int, list[Contributor]]:
    """The contributors of every revision of an article, by revision number (one query)."""
    rows = _rows(article_id)
    return {number: _lineage(rows, number) for number in rows}


def contribution_of(user_id: int, contributors: list[Contributor]) -> Contributor | None:
    """What `user_id` wrote of the text, if anything."""
    return next((c for c in contributors if c.user_id == user_id), None)


def revisions_phrase(numbers: tuple[int, ...]) -> str:
    """'revision 1' or 'revisions 1 and 3' or 'revisions 1, 2 and 4', oldest first."""
    ordered = [str(n) for n in sorted(numbers)]
    if len(ordered) == 1:
        return f"revision {ordered[0]}"
    return f"revisions {', '.join(ordered[:-1])} and {ordered[-1]}"


# ------------------------------------------------------------------------------
# Four eyes by words
# ------------------------------------------------------------------------------
# This many consecutive sentences that the reviewer wrote make a match, whatever their length.
RUN = 3
# Sentences the reviewer wrote making up this share of the text (by count or by characters)
# make a match; only sentences of at least SUBSTANTIAL_WORDS words count toward it.
SHARE = Fraction(1, 3)
SUBSTANTIAL_WORDS = 4

# A line that starts a Markdown block of its own: heading, list item, table row.
_BLOCK_START = re.compile(r"^ {0,3}(?:>\s*)*(?:#{1,6}(?:\s|$)|[-+*]\s|\d{1,9}[.)]\s|\|)")
# A block that is one line only: heading, table row, thematic break.
_ONE_LINE = re.compile(r"^ {0,3}(?:>\s*)*(?:#{1,6}(?:\s|$)|\||(?:[-*_]\s*){3,}$)")
_QUOTE = re.compile(r"^ {0,3}>")
# Quote and list markers at the start of a line, nested too (a hyphen inside a word is kept).
_LINE_MARKERS = re.compile(r"^\s*(?:>\s*|[-+*]\s+|\d{1,9}[.)]\s+)*")
# A sentence ends at ., ! or ? (or an ellipsis), maybe closed by a quote or bracket, and space.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019\u00bb)\]]*\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Markdown markup, and double quotes (a closing one may be cut off with the sentence end).
_MARKUP = re.compile(r"[*_#>`~|\"\u201c\u201d\u201e\u00ab\u00bb]")
# Punctuation and symbols around a sentence: ¿ and ¡ before, . ! ? : and quotes after.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_WORD = re.compile(r"\w+")


def _blocks(text: str) -> list[str]:
    """Markdown blocks: a blank line, heading, list item, quote or table row starts a new one,
    and lines wrapped inside a paragraph are joined, so re-wrapping a copy cannot hide it."""
    blocks: list[str] = []
    lines: list[str] = []
    quoted = False
    for line in text.splitlines():
        starts_quote = bool(_QUOTE.match(line)) and not quoted
        quoted = bool(_QUOTE.match(line))
        if not line.strip() or starts_quote or _BLOCK_START.match(line):
            if lines:
                blocks.append(" ".join(lines))
            lines = []
        if line.strip():
            lines.append(_LINE_MARKERS.sub("", line))
        if _ONE_LINE.match(line):
            blocks.append(" ".join(lines))
            lines = []
    if lines:
        blocks.append(" ".join(lines))
    return blocks


def normalise(sentence: str) -> str:
    """One sentence as compared: NFKC, links reduced to their text, Markdown markup and
    surrounding punctuation gone, case-folded, whitespace collapsed."""
    text = _LINK.sub(r"\1", unicodedata.normalize("NFKC", sentence))
    text = " ".join(_MARKUP.sub("", text).casefold().split())
    return _EDGES.sub("", text)


def sentences(*texts: str) -> list[str]:
    """The normalised sentences of `texts` (title, summary, body), in order, empty ones left
    out. Splits on blank lines and Markdown block starts, and on . ! ? followed by space."""
    found: list[str] = []
    for text in texts:
        for block in _blocks(unicodedata.normalize("NFKC", text)):
            for piece in _SENTENCE_END.split(block):
                sentence = normalise(piece)
                if sentence:
                    found.append(sentence)
    return found


def substantial(sentence: str) -> bool:
    """Long enough to count toward the share on its own (not "Call your doctor.")."""
    return len(_WORD.findall(sentence)) >= SUBSTANTIAL_WORDS


@dataclass(frozen=True)
class Source:
    """Where the reviewer wrote matching text: an article, its locale, which revisions."""

    slug: str
    locale: str
    revisions: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.slug} ({self.locale}) {revisions_phrase(self.revisions)}"


@dataclass(frozen=True)
class Match:
    """Why a revision's text is the reviewer's own words: which rule, and where they wrote
    the sentences that make the match."""

    consecutive: bool  # three consecutive sentences; else a third of the text
    sources: tuple[Source, ...]

    @property
    def reason(self) -> str:
        """The refusal's first sentence: which rule, and where the reviewer wrote the words."""
        where = " and ".join(str(source) for source in self.sources)
        if self.consecutive:
            return f"Three consecutive sentences of this text match what you wrote in {where}."
        return f"A third of this text matches what you wrote in {where}."


# Where one sentence was introduced: (article id, slug, locale, revision number, revision id).
_Place = tuple[int, str, str, int, int]
_remembered: ContextVar[dict[int, dict[str, set[_Place]]] | None] = ContextVar(
    "remembered_words", default=None
)


@contextmanager
def words_remembered() -> Iterator[None]:
    """Read each reviewer's words once for everything checked inside: a page that shows the
    refusal of every revision in a queue asks for the same reviewer's words each time."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _written_by(reviewer_id: int) -> dict[str, set[_Place]]:
    remembered = _remembered.get()
    if remembered is None:
        return _read_written_by(reviewer_id)
    if reviewer_id not in remembered:
        remembered[reviewer_id] = _read_written_by(reviewer_id)
    return remembered[reviewer_id]


def _read_written_by(reviewer_id: int) -> dict[str, set[_Place]]:
    """The sentences `reviewer_id` introduced anywhere, and where (one query): each of their
    revisions with its base revision's text to subtract."""
    base = Revision.objects.filter(
        article_id=OuterRef("article_id"), number=OuterRef("base_revision")
    )
    rows = (
        Revision.objects.filter(author_id=reviewer_id)
        .annotate(
            base_title=Subquery(base.values("title")[:1]),
            base_summary=Subquery(base.values("summary")[:1]),
            base_body=Subquery(base.values("body")[:1]),
        )
        .order_by()
        .values_list(
            "pk",
            "article_id",
            "article__slug",
            "article__locale",
            "number",
            "title",
            "summary",
            "body",
            "base_title",
            "base_summary",
            "base_body",
        )
    )
    written: dict[str, set[_Place]] = {}
    for pk, article_id, slug, locale, number, *text in rows:
        title, summary, body, *base_text = text
        before = set(sentences(*(part or "" for part in base_text)))
        for sentence in sentences(title, summary, body):
            if sentence not in before:
                written.setdefault(sentence, set()).add((article_id, slug, locale, number, pk))
    return written


def _approved_by_others(reviewer_id: int, revision: Revision) -> set[str]:
    """Sentences that another clinician approved in this article, in a revision other than
    `revision` itself (one query)."""
    approved = (
        Revision.objects.filter(article_id=revision.article_id, approved_by__isnull=False)
        .exclude(approved_by_id=reviewer_id)
        .exclude(pk=revision.pk)
        .values_list("title", "summary", "body")
    )
    return {sentence for texts in approved for sentence in sentences(*texts)}


def _matching(text: list[str], mine: Iterable[bool]) -> tuple[bool, list[int]] | None:
    """Whether the sentences of `text` flagged in `mine` make a match: (consecutive?, the
    positions that make it), or None."""
    flags = list(mine)
    in_runs: list[int] = []
    start = 0
    for end in range(len(flags) + 1):
        if end == len(flags) or not flags[end]:
            if end - start >= RUN:
                in_runs.extend(range(start, end))
            start = end + 1
    if in_runs:
        return True, in_runs
    counted = [i for i, flag in enumerate(flags) if flag and substantial(text[i])]
    if not counted:
        return None
    by_count = Fraction(len(counted), len(text))
    by_chars = Fraction(sum(len(text[i]) for i in counted), sum(len(s) for s in text))
    if by_count >= SHARE or by_chars >= SHARE:
        return False, counted
    return None


def copied_from(reviewer_id: int, revision: Revision) -> Match | None:
    """Whether a substantial part of `revision`'s text is sentences `reviewer_id` wrote
    elsewhere in the library, and where; None if not (one query, two when there is a match).

    The revision's own lineage is the lineage rule's to check, first: this one only excludes
    the revision itself and the words other clinicians approved in its article.
    """
    text = sentences(revision.title, revision.summary, revision.body)
    if not text:
        return None
    everywhere = _written_by(reviewer_id)
    written = {
        sentence: others
        for sentence in text
        if (others := {p for p in everywhere.get(sentence, ()) if p[4] != revision.pk})
    }
    if _matching(text, (s in written for s in text)) is None:
        return None
    approved = _approved_by_others(reviewer_id, revision)
    found = _matching(text, (s in written and s not in approved for s in text))
    if found is None:
        return None
    consecutive, positions = found
    places = {place for i in positions for place in written[text[i]]}
    numbers: dict[tuple[int, str, str], set[int]] = {}
    for article_id, slug, locale, number, _ in places:
        numbers.setdefault((article_id, slug, locale), set()).add(number)
    sources = tuple(
        Source(slug, locale, tuple(sorted(found_in)))
        for (_, slug, locale), found_in in sorted(numbers.items(), key=lambda kv: kv[0][1:])
    )
    return Match(consecutive, sources)
