"""The medical terms patient text may use, each with a plain-language explanation, and where
a text uses them.

The terms are in `delivery/data/medical_terms.json`, written for this project in English and
Spanish for the subjects of the library (breast, colorectal and lung screening, diabetes, the
heart and blood pressure, bone density, kidney function, vaccines, depression). Each entry has
an `id` (the same concept has the same id in every language), the `term` as a reviewer should
see it, `also` (other names and forms: full names, plurals that do not end in -s or -es,
spellings) and `abbreviations`, and its `explanation` in the entry's language.

How a text's words are matched to the terms:

* whole words only: "CT" is not found in "CTA", nor "polyp" in "polypectomy";
* the term and its other names in any case, with or without accents ("Guillain-Barre"), a
  hyphen written as a hyphen, a space or nothing ("T score"), any white space between words,
  and a plural ending -s or -es (-ies for an English name ending in -y: "biopsies");
* abbreviations only as written, plus a plural -s ("AEDs"): "FIT" is the fecal
  immunochemical test, "fit" the verb is not; a term written the same as one of its
  abbreviations ("BI-RADS") is matched as the abbreviation;
* where names overlap, the longest wins: "low-dose CT" is one use of LDCT, not also of CT.

All the names of a language are compiled once into one pattern, so a text of any length is
read in one pass.
"""

import functools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parent / "data" / "medical_terms.json"

# Accented and unaccented vowels match each other ("Barre" and "Barré"); ñ is its own letter.
_VOWELS = {"a": "aá", "e": "eé", "i": "ií", "o": "oó", "u": "uúü"}
_FOLD = {v: _VOWELS[base] for base in _VOWELS for v in _VOWELS[base]}
_HYPHENS = "-\u2010\u2011"


@dataclass(frozen=True)
class MedicalTerm:
    """One medical term in one language, its other names and what it means in plain words."""

    id: str
    term: str
    also: tuple[str, ...]
    abbreviations: tuple[str, ...]
    explanation: str

    @property
    def names(self) -> tuple[str, ...]:
        """The names matched in any case: the term (unless it is an abbreviation) and the
        others."""
        head = () if self.term in self.abbreviations else (self.term,)
        return head + self.also


def _letters(name: str, *, fold: bool) -> str:
    out = []
    for char in name:
        if char.isspace():
            out.append(r"\s+")
        elif char in _HYPHENS:
            out.append(rf"[{_HYPHENS}\s]?")
        elif fold and char.lower() in _FOLD:
            out.append(f"[{_FOLD[char.lower()]}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _base_letter(char: str) -> str:
    """A letter in lower case without its accent: "É" -> "e"."""
    return unicodedata.normalize("NFD", char)[0].lower()


def _letter_class(letter: str) -> str:
    """Every character whose base letter is `letter`, in both cases: "e" -> [EeÉé]."""
    chars = {letter} | {char for char in _FOLD if _base_letter(char) == letter}
    chars |= {char.upper() for char in chars}
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


def _name_pattern(name: str, language: str) -> str:
    """A name in any case, with its plural (see the module's docstring)."""
    if language == "en" and re.search(r"[^aeiou]y$", name, re.I):
        return "(?i:" + _letters(name[:-1], fold=True) + "(?:y|ies))"
    plural = "(?:s|es)?" if name[-1].isalpha() else ""
    return "(?i:" + _letters(name, fold=True) + plural + ")"


def _abbreviation_pattern(abbreviation: str) -> str:
    """An abbreviation as written, with a plural -s."""
    plural = "s?" if abbreviation[-1].isalpha() and abbreviation[-1].isupper() else ""
    return _letters(abbreviation, fold=False) + plural


class TermIndex:
    """Every name and abbreviation of one language's terms in one compiled pattern, longest
    first, each in a named group that says whose it is."""

    def __init__(self, terms: tuple[MedicalTerm, ...], language: str) -> None:
        self.terms = terms
        alternatives: list[tuple[str, str, MedicalTerm]] = []
        for term in terms:
            alternatives += [(name, _name_pattern(name, language), term) for name in term.names]
            alternatives += [(a, _abbreviation_pattern(a), term) for a in term.abbreviations]
        # Python tries alternatives in order, so the longest name comes first where several
        # start at the same place.
        alternatives.sort(key=lambda alternative: -len(alternative[0]))
        self._term_of_group = {f"g{n}": term for n, (_, _, term) in enumerate(alternatives)}
        # Grouped by first letter behind a lookahead: at each word only the few names that
        # start with its letter are tried, not all of them (some 20 times faster).
        by_letter: dict[str, list[str]] = {}
        for n, (name, pattern, _) in enumerate(alternatives):
            by_letter.setdefault(_base_letter(name[0]), []).append(f"(?P<g{n}>{pattern})")
        self.pattern = re.compile(
            r"(?<!\w)(?:"
            + "|".join(
                f"(?={_letter_class(letter)})(?:{'|'.join(patterns)})"
                for letter, patterns in by_letter.items()
            )
            + r")(?!\w)"
        )

    def term_of(self, match: re.Match[str]) -> MedicalTerm:
        return self._term_of_group[match.lastgroup or ""]

    def uses(self, text: str) -> Iterator[tuple[MedicalTerm, re.Match[str]]]:
        """Each use of a term in `text`, in order."""
        for match in self.pattern.finditer(text):
            yield self.term_of(match), match

    def names_term(self, text: str, term: MedicalTerm) -> bool:
        """Whether `text` is, all of it, a name or abbreviation of `term`."""
        match = self.pattern.fullmatch(text.strip())
        return match is not None and self.term_of(match) is term


@functools.cache
def _all_terms() -> dict[str, tuple[MedicalTerm, ...]]:
    with TERMS_FILE.open(encoding="utf-8") as file:
        data = json.load(file)
    return {
        language: tuple(
            MedicalTerm(
                id=entry["id"],
                term=entry["term"],
                also=tuple(entry.get("also", ())),
                abbreviations=tuple(entry.get("abbreviations", ())),
                explanation=entry["explanation"],
            )
            for entry in entries
        )
        for language, entries in data.items()
    }


def medical_terms(language: str) -> tuple[MedicalTerm, ...]:
    """The terms of a language ("en", "es"); none for a language the file does not have."""
    return _all_terms().get(language, ())


@functools.cache
def term_index(language: str) -> TermIndex:
    """The compiled index of a language's terms, built once per process."""
    return TermIndex(medical_terms(language), language)
