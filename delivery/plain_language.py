"""Where a text is hard to read, and why: the hardest sentences, the medical terms it uses
without explaining them, and marking sentences in HTML.

Pure functions, no database. `hardest_sentences` ranks the sentences of the text patients
read by the Flesch-Kincaid grade each would get alone (0.39 x words + 11.8 x syllables per
word - 15.59, the formula `delivery.readability` uses for the whole text) and keeps those
with a reason a writer can act on: a long sentence, or long words. Spanish syllables are
counted by hyphenation, as textstat does for Spanish; the ranking then only compares
sentences with each other, which is all the review page asks of it.

A long word is one of three syllables or more that is not everyday vocabulary
(`is_everyday_word`): "family" and "history" are long but every reader knows them. The grade
still counts every syllable, as Flesch-Kincaid does; only the reason given changes.

`undefined_terms` lists the medical terms of `delivery.medical_terms` that a text uses without
explaining them where it first uses them, each with a plain-language explanation to suggest.

`mark_sentences` wraps those sentences in `<mark>` inside a rendered (already sanitized)
HTML fragment, wherever they run across inline tags, without breaking the markup.
"""

import bisect
import functools
import html
import importlib.resources
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textstat.backend.utils import get_pyphen

from delivery.medical_terms import MedicalTerm, TermIndex, medical_terms, term_index
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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of plain text starts and ends (white space around it left out);
    every line (a paragraph, a list item, a heading) ends one, so a sentence never runs from
    one block into the next."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start = 0
        for end in [*_SENTENCE_END.finditer(line), None]:
            part = line[start : end.start() if end else len(line)]
            if part.strip():
                left = offset + start + len(part) - len(part.lstrip())
                spans.append((left, left + len(part.strip())))
            if end:
                start = end.end()
        offset += len(line)
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of plain text (see `sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _language(locale: str) -> str:
    return re.split(r"[-_]", locale, maxsplit=1)[0].lower()


def syllables(word: str, locale: str) -> int:
    """Syllables of one word: the CMU dictionary in English, else hyphenation points + 1."""
    language = _language(locale)
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
        dict.fromkeys(
            word
            for word, count in zip(words, counts, strict=True)
            if count >= LONG_WORD_SYLLABLES and not is_everyday_word(word, locale)
        )
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
# Everyday vocabulary
# ------------------------------------------------------------------------------

# textstat 0.7.8's Spanish list is 20,000 words in order of frequency, of unknown source, and
# far down it are words few patients know ("hipertensión", "osteoporosis"; textstat issue
# #207). Its top is everyday Spanish: this many words, about as many as Dale-Chall's list.
SPANISH_EVERYDAY_TOP = 3000
SPANISH_EVERYDAY_FILE = Path(__file__).resolve().parent / "data" / "everyday_words_es.txt"


def _textstat_easy_words(language: str) -> list[str]:
    resource = importlib.resources.files("textstat") / "resources" / language / "easy_words.txt"
    lines = resource.read_text(encoding="utf-8").splitlines()
    return [line.strip().lower() for line in lines if line.strip()]


@functools.cache
def _medical_words(language: str) -> frozenset[str]:
    """The one-word names of the language's medical terms, lower case: never everyday,
    whatever a word list says. Not abbreviations, which are matched as written: "fit" is an
    everyday word, "FIT" a test."""
    return frozenset(
        name.lower()
        for term in medical_terms(language)
        for name in term.names
        if not any(char.isspace() for char in name)
    )


@functools.cache
def everyday_words(language: str) -> frozenset[str]:
    """The everyday words of a language, lower case; none for a language without a list.

    English: the Dale-Chall list of about 3,000 words most fourth-graders know, as textstat
    0.7.8 ships it (`textstat/resources/en/easy_words.txt`). Spanish: the first
    `SPANISH_EVERYDAY_TOP` words of textstat's Spanish list (`resources/es/easy_words.txt`),
    and `data/everyday_words_es.txt`, written for this project: everyday words of patient
    text (home, body, food, the clinic, polite commands such as "siéntese") further down it.
    The medical terms' own names are taken out of both.
    """
    if language == "en":
        words = set(_textstat_easy_words("en"))
    elif language == "es":
        words = set(_textstat_easy_words("es")[:SPANISH_EVERYDAY_TOP])
        lines = SPANISH_EVERYDAY_FILE.read_text(encoding="utf-8").splitlines()
        words |= {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    else:
        return frozenset()
    return frozenset(words - _medical_words(language))


def _base_forms(word: str, language: str) -> list[str]:
    """`word` and what it may be an inflection of: plurals, and in English also -'s, -ed,
    -ing and -ly ("families" -> "family", "stopped" -> "stop", "taking" -> "take")."""
    forms = [word]
    if language == "en":
        if word.endswith("'s"):
            word = word[:-2]
            forms.append(word)
        endings = {
            "ies": ["y"], "es": [""], "s": [""], "ied": ["y"], "ed": ["", "e"],
            "ing": ["", "e"], "ily": ["y"], "ly": [""],
        }  # fmt: skip
    elif language == "es":
        endings = {"es": [""], "s": [""]}
    else:
        return forms
    for ending, replacements in endings.items():
        stem = word.removesuffix(ending)
        if stem == word or len(stem) < 3:
            continue
        forms += [stem + replacement for replacement in replacements]
        if ending in ("ed", "ing") and len(stem) > 3 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])  # stopped, getting
    return forms


def is_everyday_word(word: str, locale: str) -> bool:
    """Whether a word is everyday vocabulary in the locale's language (`everyday_words`), in
    any case, as written or as a simple inflection of an everyday word. A hyphenated word is
    everyday when each of its parts is ("follow-up"); a medical term's name never is."""
    language = _language(locale)
    known = everyday_words(language)
    word = word.lower().replace("\u2019", "'")
    if not known or word in _medical_words(language):
        return False
    return all(
        any(form in known for form in _base_forms(part, language))
        for part in word.split("-")
        if part
    )


# ------------------------------------------------------------------------------
# Medical terms used without explaining them
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndefinedTerm:
    """A medical term the text uses without explaining it where it first uses it."""

    term_id: str  # the same concept has the same id in every language
    term: str  # as the term list names it: "automated external defibrillator"
    used_as: str  # as the text first writes it: "AED"
    sentence: str  # the sentence of that first use
    explanation: str  # a plain-language explanation to suggest


@dataclass(frozen=True)
class _DefiningCues:
    """The words that explain a term in one language: right after a use of it, right
    before it, at the start of the next sentence, and the question that announces an
    explanation ("What is a polyp?")."""

    after: re.Pattern[str]
    before: re.Pattern[str]
    opener: re.Pattern[str]
    question: re.Pattern[str]


_PARENTHESIS_AFTER = re.compile(r"\s*\(([^()]*)\)")
_OPEN_PARENTHESIS_BEFORE = re.compile(r"\(\s*$")
_CLOSE_PARENTHESIS_AFTER = re.compile(r"\s*\)")
# The end of "What is X?": the term, perhaps one more word ("an A1C test"), the question mark.
_QUESTION_END = re.compile(r"(?:\s+[^\W\d_]+)?\s*\?")

_CUES = {
    "en": _DefiningCues(
        after=re.compile(
            r"""\s*[:\u2013\u2014]\s*[^\W\d_]  # "CPR: pressing…", "CPR — pressing…"
            | \s+-\s+[^\W\d_]
            | \s+(?:is|are)\s+(?:also\s+)?(?:a|an|the|when|where|what|how|one|another
                |something|someone|called|known\s+as|short\s+for|\w+ing)\b
            | \s+(?:means?|stands?\s+for|refers?\s+to)\b
            | \s*,\s+(?:a|an|or|which|meaning|that\s+is|i\.e\.|(?:also\s+)?called
                |(?:also\s+)?known\s+as)\b""",
            re.I | re.X,
        ),
        before=re.compile(r"\b(?:called|known\s+as|named|termed)\s+(?:(?:a|an|the)\s+)?$", re.I),
        opener=re.compile(
            r"""(?:it|this|that|these|they)(?:\s+(?:test|exam|scan|medicine|drug|device|word
                |number|score|shot|vaccine|condition|procedure|treatment|result)s?)?
              \s+(?:(?:is|are)\s+(?:also\s+)?(?:a|an|the|when|where|what|how|one|another
                |something|someone|called|short\s+for|\w+ing)\b
                |means?\b
                |(?:uses?|checks?|measures?|shows?|looks?|finds?|tests?|treats?|lowers?
                  |raises?)\b)
            | it['\u2019]s\s+(?:a|an|the|when|how)\b
            | in\s+other\s+words\b""",
            re.I | re.X,
        ),
        question=re.compile(r"\bwhat\s+(?:is|are)\s+(?:(?:a|an|the)\s+)?$", re.I),
    ),
    "es": _DefiningCues(
        after=re.compile(
            r"""\s*[:\u2013\u2014]\s*[^\W\d_]
            | \s+-\s+[^\W\d_]
            | \s+(?:es|son)\s+(?:también\s+)?(?:un|una|unos|unas|el|la|los|las|lo|cuando
                |donde|algo|alguien|otro|otra|llamad[oa]s?|conocid[oa]s?\s+como
                |\w+(?:ar|er|ir))\b
            | \s+(?:significan?|quieren?\s+decir|se\s+refieren?\s+a)\b
            | \s*,\s+(?:un|una|unos|unas|o|que\s+es|que\s+son|es\s+decir
                |(?:también\s+)?llamad[oa]s?|(?:también\s+)?conocid[oa]s?\s+como)\b""",
            re.I | re.X,
        ),
        before=re.compile(
            r"""\b(?:llamad[oa]s?|se\s+llaman?|conocid[oa]s?\s+como|denominad[oa]s?)
            \s+(?:(?:el|la|los|las|un|una)\s+)?$""",
            re.I | re.X,
        ),
        opener=re.compile(
            r"""(?:es|son)\s+(?:un|una|unos|unas|el|la|los|las|lo|cuando|donde|algo
                |\w+(?:ar|er|ir))\b
            | (?:(?:esto|eso|este|esta|estos|estas|ese|esa)(?:\s+(?:examen|prueba|estudio
                |medicamento|aparato|número|nombre|palabra|resultado|tratamiento
                |vacuna)(?:e?s)?)?\s+)?
              (?:(?:es|son)\s+(?:también\s+)?(?:un|una|unos|unas|el|la|los|las|lo|cuando
                |donde|algo|alguien|llamad[oa]s?|\w+(?:ar|er|ir))\b
                |significan?\b|quieren?\s+decir\b
                |(?:usan?|miden?|revisan?|muestran?|buscan?|tratan?|bajan?|suben?)\b)
            | es\s+decir\b
            | se\s+trata\s+de\b""",
            re.I | re.X,
        ),
        question=re.compile(r"\bqué\s+(?:es|son)\s+(?:(?:el|la|los|las|un|una)\s+)?$", re.I),
    ),
}


def _explained_at(
    text: str,
    use: re.Match[str],
    sentence: tuple[int, int],
    term: MedicalTerm,
    index: TermIndex,
    cues: _DefiningCues,
) -> bool:
    """Whether this use of `term`, in the sentence that holds it, comes with its meaning."""
    start, end = sentence
    parenthesis = _PARENTHESIS_AFTER.match(text, use.end(), end)
    if parenthesis and (
        len(_WORD.findall(parenthesis[1])) >= 2 or index.names_term(parenthesis[1], term)
    ):
        return True
    if _OPEN_PARENTHESIS_BEFORE.search(text, start, use.start()) and (
        _CLOSE_PARENTHESIS_AFTER.match(text, use.end(), end)
    ):
        return True
    if cues.question.search(text, start, use.start()) and _QUESTION_END.match(text, use.end(), end):
        return True
    return bool(
        cues.after.match(text, use.end(), end) or cues.before.search(text, start, use.start())
    )


def undefined_terms(text: str, locale: str) -> list[UndefinedTerm]:
    """The medical terms (`delivery.medical_terms`) that plain `text` uses without explaining
    them near their first use, in the order of their first use; none in a language the term
    list does not have.

    A term counts as explained when the sentence of its first use, or the sentence after it,
    explains it; in English (Spanish alike, with its own words):

    * a use of the term followed by a parenthesis of two words or more, or by another of its
      names: "CPR (pressing hard and fast on the chest)", "automated external defibrillator
      (AED)"; "nitroglycerin (0.4 mg)" does not explain it;
    * a use of the term that is the whole of a parenthesis, after the words that explain it:
      "a device that shocks the heart (AED)";
    * a use of the term followed by "is" or "are" and then an article, a question word or a
      verb in -ing ("An AED is a device…", "CPR is pressing…", "Hypoglycemia is when…"), or
      by "means", "stands for", "refers to", a colon or a dash; "es"/"son" then an article,
      "cuando" or an infinitive, "significa", "quiere decir", "se refiere a" in Spanish.
      "Osteoporosis is common" explains nothing, and nor does "Hypertension is high blood
      pressure": write "Hypertension means high blood pressure";
    * an appositive: the term, a comma, then "a", "an", "or", "which", "meaning", "that is",
      "called" or "known as" ("glucagon, a medicine that…"); in Spanish "un", "una", "o",
      "que es", "es decir", "llamado", "conocido como";
    * the term named after "called", "known as" or "named" ("a test called a colonoscopy");
      "llamado", "se llama", "conocido como" or "denominado" in Spanish;
    * a question that announces the explanation, as a heading often does: "What is a
      polyp?", "What are dense breasts?", "What is an A1C test?"; "¿Qué es la RCP?";
    * the sentence after the first use starting with what explains it: "It is a…", "This
      test is a…", "This means…", "It uses…" (or checks, measures, shows, looks, finds,
      tests, treats, lowers, raises), "In other words…"; "Es un…", "Esta prueba es una…",
      "Significa…", "Usa…" (or mide, revisa, muestra, busca, trata, baja, sube), "Es
      decir…" in Spanish.

    Only where it is first used: a term explained three sentences later is still listed, for
    the reader has already met it. Terms are matched as `delivery.medical_terms` says:
    whole words, in any case except abbreviations ("fit" the verb is not FIT). These are
    heuristics a reviewer reads, not a grammar: they trust the words, not their sense.
    """
    language = _language(locale)
    cues = _CUES.get(language)
    if cues is None:
        return []
    index = term_index(language)
    spans = sentence_spans(text)
    starts = [start for start, _ in spans]
    first: dict[str, tuple[MedicalTerm, re.Match[str], int]] = {}
    explained: set[str] = set()
    for term, use in index.uses(text):
        sentence = bisect.bisect_right(starts, use.start()) - 1
        if term.id not in first:
            first[term.id] = (term, use, sentence)
        elif term.id in explained or sentence > first[term.id][2] + 1:
            continue
        if _explained_at(text, use, spans[sentence], term, index, cues):
            explained.add(term.id)
    found = []
    for term, use, sentence in first.values():
        if term.id in explained:
            continue
        if sentence + 1 < len(spans) and cues.opener.match(text, *spans[sentence + 1]):
            continue
        found.append(
            UndefinedTerm(
                term_id=term.id,
                term=term.term,
                used_as=use[0],
                sentence=text[slice(*spans[sentence])],
                explanation=term.explanation,
            )
        )
    return found


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


# How one piece of a passage is wrapped: (passage number from 1, the escaped text of the
# piece, whether it is the passage's first piece) -> HTML.
Wrap = Callable[[int, str, bool], str]


def wrap_passages(fragment: str, passages: list[str], wrap: Wrap) -> str:
    """`fragment` with the text of each passage (found in order, any white space between its
    words, never overlapping an earlier one) wrapped by `wrap`, piece by piece.

    Only text is wrapped, never a tag: a passage that runs across inline markup (`<strong>`,
    `<a>`) is wrapped once per piece of text, so the markup stays well formed. A passage not
    found in the fragment is left unmarked. `fragment` must be sanitized HTML (as
    `delivery.rendering.markdown_to_html` makes it); text is escaped again.
    """
    parts = _TAG.split(fragment)
    texts = [html.unescape(part) for part in parts[::2]]
    full = "".join(texts)
    ranges: list[tuple[int, int, int]] = []
    for number, passage in enumerate(passages, start=1):
        found = _find(full, passage, [(s, e) for s, e, _ in ranges])
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
            out.append(wrap(number, piece, number not in opened))
            opened.add(number)
        offset = end
    return "".join(out)


def passage_found(fragment: str, passage: str) -> bool:
    """Whether `passage` occurs in the text of sanitized HTML `fragment`."""
    text = "".join(html.unescape(part) for part in _TAG.split(fragment)[::2])
    return _find(text, passage, []) is not None


def mark_sentences(fragment: str, sentences: list[str], *, id_prefix: str = "hard-") -> str:
    """`fragment` with the text of sentence n (from 1) wrapped in
    `<mark class="hard" data-hard="n">`, the first piece with `id="{id_prefix}n"` and after
    a numbered link to `#{id_prefix}why-n`, where the page says why it is hard
    (`wrap_passages`)."""

    def wrap(number: int, piece: str, first: bool) -> str:
        if not first:
            return f'<mark class="hard" data-hard="{number}">{piece}</mark>'
        # A numbered link to why it is hard, before its first piece.
        return (
            f'<a class="hard-ref" href="#{id_prefix}why-{number}" '
            f'aria-label="Hard sentence {number}: why">{number}</a>'
            f'<mark class="hard" id="{id_prefix}{number}" data-hard="{number}">{piece}</mark>'
        )

    return wrap_passages(fragment, sentences, wrap)
