"""The few words the patient page and the handout print around an article, per language.

The article's own words come from its document; these are the labels around them. A
language without its own labels gets the English ones.
"""

from typing import Any

from django.conf import settings

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language": "English",
        "sources": "Sources",
        "reviewed_by": "Reviewed by",
        "revision": "Revision",
        "tools": "Print or read in another language",
        "print": "Print this page",
        "handout": "Printable handout (PDF)",
        "handout_large": "Large print (PDF)",
        "handout_both": "Handout in both languages, side by side (PDF)",
        "read_in": "Read in",
        "scan": "Scan to read online",
        "page": "Page",
        "of": "of",
        "outdated": "This translation is being updated. The English version has newer information.",
        "read_english": "Read the English version",
        "editor_note": "Note from the editors",
    },
    "es": {
        "language": "Español",
        "sources": "Fuentes",
        "reviewed_by": "Revisado por",
        "revision": "Revisión",
        "tools": "Imprimir o leer en otro idioma",
        "print": "Imprimir esta página",
        "handout": "Hoja para imprimir (PDF)",
        "handout_large": "Letra grande (PDF)",
        "handout_both": "Hoja en los dos idiomas, lado a lado (PDF)",
        "read_in": "Leer en",
        "scan": "Escanee para leer en línea",
        "page": "Página",
        "of": "de",
        "outdated": "Esta traducción se está actualizando. La versión en inglés tiene "
        "información más reciente.",
        "read_english": "Leer la versión en inglés",
        "editor_note": "Nota de los editores",
    },
}


def words_for(locale: str) -> dict[str, Any]:
    """The labels for a content locale (`es-US` uses `es`), English when it has none."""
    return WORDS.get(locale.split("-")[0], WORDS["en"])


def language_name(locale: str) -> str:
    """A language's name in itself where we have it (`Español`), else Django's (English)."""
    own = WORDS.get(locale.split("-")[0])
    return own["language"] if own else dict(settings.LANGUAGES).get(locale, locale)
