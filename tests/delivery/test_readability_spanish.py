"""Spanish readability: Fernández-Huerta and INFLESZ on hand-counted text, the INFLESZ bands,
and the `readability` field of the delivery document.

The texts are written for these tests and counted by hand, syllable by syllable; the counts
are in comments. No published worked example (a text or its counts with the published index)
could be found, so the formulas are checked on these counts (delivery/readability.py).
"""

from collections.abc import Callable
from typing import Any

import pytest
import textstat
from rest_framework.test import APIClient

from articles.models import Article
from delivery.readability import (
    SpanishReadability,
    inflesz_band,
    readability,
    spanish_readability,
    szigriszt_pazos,
)

# Mi-da su pre-sión por la ma-ña-na (6 words, 10 syllables). Sién-te-se con la es-pal-da
# rec-ta (5, 10). Pon-ga el bra-zo so-bre la me-sa (6, 10). Es-cri-ba los dos nú-me-ros en
# su li-bre-ta (7, 13). 24 words, 43 syllables, 4 sentences.
EASY = (
    "Mida su presión por la mañana. Siéntese con la espalda recta. "
    "Ponga el brazo sobre la mesa. Escriba los dos números en su libreta."
)
# La pre-sión ar-te-rial al-ta au-men-ta el ries-go de su-frir en-fer-me-da-des del co-ra-zón
# y de los ri-ño-nes (16 words, 32 syllables). Su mé-di-co le pue-de re-ce-tar
# me-di-ca-men-tos que con-tro-lan la pre-sión du-ran-te to-do el tiem-po (14, 30).
# 30 words, 62 syllables, 2 sentences.
NORMAL = (
    "La presión arterial alta aumenta el riesgo de sufrir enfermedades del corazón y de los "
    "riñones. Su médico le puede recetar medicamentos que controlan la presión durante todo "
    "el tiempo."
)
HAND_COUNTS = [(EASY, 43, 24, 4), (NORMAL, 62, 30, 2)]


def fernandez_huerta(syllables: int, words: int, sentences: int) -> float:
    """Law's (2011) correction: 0.60 per syllable in 100 words, 1.02 per word in a sentence."""
    return 206.84 - 0.60 * (100 * syllables / words) - 1.02 * (words / sentences)


def inflesz(syllables: int, words: int, sentences: int) -> float:
    """Szigriszt-Pazos' perspicuity, as published."""
    return 206.835 - 62.3 * syllables / words - words / sentences


@pytest.mark.parametrize(("text", "syllables", "words", "sentences"), HAND_COUNTS)
def test_textstat_counts_the_hand_counted_texts_as_counted_by_hand(
    text, syllables, words, sentences
):
    textstat.set_lang("es")

    assert textstat.syllable_count(text) == syllables
    assert textstat.lexicon_count(text) == words
    assert textstat.sentence_count(text) == sentences


@pytest.mark.parametrize(("text", "syllables", "words", "sentences"), HAND_COUNTS)
def test_the_indices_are_the_formulas_on_the_hand_counts(text, syllables, words, sentences):
    indices = spanish_readability(text)

    assert indices is not None
    assert indices.fernandez_huerta == round(fernandez_huerta(syllables, words, sentences), 1)
    assert indices.inflesz == round(inflesz(syllables, words, sentences), 1)


def test_the_hand_counted_texts_score_what_the_arithmetic_gives():
    # 206.84 - 60 * 43/24 - 1.02 * 6 = 93.22; 206.835 - 62.3 * 43/24 - 6 = 89.214…
    assert spanish_readability(EASY) == SpanishReadability(
        fernandez_huerta=93.2, inflesz=89.2, inflesz_band="muy fácil"
    )
    # 206.84 - 60 * 62/30 - 1.02 * 15 = 67.54; 206.835 - 62.3 * 62/30 - 15 = 63.081…
    assert spanish_readability(NORMAL) == SpanishReadability(
        fernandez_huerta=67.5, inflesz=63.1, inflesz_band="normal"
    )


def test_szigriszt_pazos_starts_from_206_835_where_textstat_starts_from_206_84():
    textstat.set_lang("es")

    ours = szigriszt_pazos(syllables=43, words=24, sentences=4)

    assert ours == pytest.approx(206.835 - 62.3 * 43 / 24 - 24 / 4)
    assert textstat.szigriszt_pazos(EASY) - ours == pytest.approx(0.005)


def test_cutting_a_sentence_in_two_makes_the_text_easier():
    """As printed, with F the sentences per 100 words, a second full stop would lower it."""
    one = spanish_readability("Mida su presión por la mañana, siéntese con la espalda recta.")
    two = spanish_readability("Mida su presión por la mañana. Siéntese con la espalda recta.")

    assert two.fernandez_huerta > one.fernandez_huerta
    assert two.inflesz > one.inflesz


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "muy difícil"),
        (39.9, "muy difícil"),
        (40.0, "algo difícil"),
        (54.9, "algo difícil"),
        (55.0, "normal"),
        (64.9, "normal"),
        (65.0, "bastante fácil"),
        (80.0, "bastante fácil"),
        (80.1, "muy fácil"),
        (100.0, "muy fácil"),
        # Published: Ballesteros-Peña and Fernández-Aedo, An Sist Sanit Navar 2013;36(3).
        (52.62, "algo difícil"),
    ],
)
def test_each_inflesz_band_begins_at_its_lower_edge_and_muy_facil_above_80(score, band):
    assert inflesz_band(score) == band


@pytest.mark.parametrize("locale", ["es", "es-US", "es-419"])
def test_spanish_locales_get_the_indices_in_the_documents_shape(locale):
    assert readability(NORMAL, locale) == {
        "fernandez_huerta": 67.5,
        "inflesz": 63.1,
        "inflesz_band": "normal",
    }


@pytest.mark.parametrize("locale", ["en", "en-US", "fr"])
def test_other_locales_get_none(locale):
    assert readability(NORMAL, locale) is None


@pytest.mark.parametrize("text", ["", "  \n", "… — ¿?"])
def test_text_with_no_words_gets_none(text):
    assert spanish_readability(text) is None
    assert readability(text, "es") is None


# ------------------------------------------------------------------------------
# The delivery document
# ------------------------------------------------------------------------------
def fetch(headers: dict[str, str], slug: str, locale: str) -> dict[str, Any]:
    response = APIClient().get(f"/api/v1/articles/{slug}/?locale={locale}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_live_spanish_article_carries_its_readability_and_band(
    live: Callable[..., Article], delivery_headers: dict[str, str]
):
    live(
        "presion-arterial-alta",
        locale="es",
        title="La presión arterial alta",
        summary="Qué es y cómo se trata.",
        body=f"{NORMAL}\n",
    )

    doc = fetch(delivery_headers, "presion-arterial-alta", "es")

    assert doc["readability"] == {
        "fernandez_huerta": 67.5,
        "inflesz": 63.1,
        "inflesz_band": "normal",
    }
    keys = list(doc)
    assert keys.index("readability") == keys.index("reading_grade") + 1


def test_a_live_english_article_has_null_readability(
    live: Callable[..., Article], delivery_headers: dict[str, str]
):
    live("high-blood-pressure", body="High blood pressure raises the risk of a stroke.\n")

    doc = fetch(delivery_headers, "high-blood-pressure", "en")

    assert "readability" in doc
    assert doc["readability"] is None
    assert doc["reading_grade"] is not None
