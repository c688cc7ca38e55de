"""Everyday words are never hard words, and medical terms used without explaining them are
found, each with a plain explanation: `delivery.plain_language` and `delivery.medical_terms`.
"""

import json
import unicodedata
from collections import Counter

import pytest

from delivery import plain_language
from delivery.medical_terms import TERMS_FILE, medical_terms, term_index
from delivery.plain_language import (
    everyday_words,
    hardest_sentences,
    is_everyday_word,
    sentence_difficulty,
    split_sentences,
    undefined_terms,
)


def reported(text: str, locale: str = "en") -> list[str]:
    return [found.term_id for found in undefined_terms(text, locale)]


def explanation(term_id: str, language: str) -> str:
    return next(t.explanation for t in medical_terms(language) if t.id == term_id)


# ------------------------------------------------------------------------------
# Everyday words
# ------------------------------------------------------------------------------

# Was listed before everyday words were known: "Long words (3 or more syllables): “family”,
# “history”." (grade 8.2).
FAMILY_HISTORY = "Tell us about your family history of cancer."


def test_family_and_history_no_longer_make_a_sentence_hard() -> None:
    hard = sentence_difficulty(FAMILY_HISTORY, "en")
    assert hard.long_words == ()
    assert hard.reasons == ()
    assert hardest_sentences(f"{FAMILY_HISTORY}\nWalk a bit.", "en") == []


def test_a_long_word_that_is_not_everyday_is_still_listed_beside_everyday_ones() -> None:
    hard = sentence_difficulty("Tell us about your family history of hypertension.", "en")
    assert hard.long_words == ("hypertension",)
    assert hard.reasons == ("Long words (3 or more syllables): “hypertension”.",)


def test_the_grade_still_counts_every_syllable() -> None:
    # Only the reason changes: Flesch-Kincaid counts every syllable, everyday or not.
    assert sentence_difficulty(FAMILY_HISTORY, "en").grade == 8.2


@pytest.mark.parametrize(
    "word",
    ["family", "History", "families", "histories", "family's", "stopped", "getting", "carefully"],
)
def test_everyday_english_words_and_their_inflections_are_everyday(word: str) -> None:
    assert is_everyday_word(word, "en")


@pytest.mark.parametrize("word", ["physician", "appointment", "colonoscopy", "hypertension"])
def test_words_outside_the_dale_chall_list_are_not_everyday(word: str) -> None:
    assert not is_everyday_word(word, "en")


def test_the_english_list_is_textstats_dale_chall_list() -> None:
    words = everyday_words("en")
    assert 2_900 <= len(words) <= 3_000
    assert {"family", "history", "hospital", "medicine"} <= words


def test_everyday_spanish_words_no_longer_make_a_sentence_hard() -> None:
    sentence = "Cuéntenos la historia de su familia y su medicina."
    # Before: “Cuéntenos”, “historia”, “familia”, “medicina”.
    assert sentence_difficulty(sentence, "es").long_words == ()
    hard = sentence_difficulty("Cuéntenos la historia de su familia y su osteoporosis.", "es")
    assert hard.long_words == ("osteoporosis",)


@pytest.mark.parametrize(
    ("word", "everyday"),
    [
        ("familia", True),  # textstat's Spanish list, near its top
        ("historias", True),  # a plural
        ("Siéntese", True),  # data/everyday_words_es.txt
        ("enfermeras", True),  # data/everyday_words_es.txt, plural
        ("hipertensión", False),  # textstat's list has it, far down: not everyday
        ("cuidadosa", False),  # also far down it
    ],
)
def test_spanish_everyday_words_are_the_top_of_textstats_list_and_ours(
    word: str, everyday: bool
) -> None:
    assert is_everyday_word(word, "es") is everyday


def test_a_medical_term_is_never_everyday_even_where_a_word_list_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Taking all 20,000 words of textstat's Spanish list brings in "hipertensión".
    monkeypatch.setattr(plain_language, "SPANISH_EVERYDAY_TOP", 20_000)
    everyday_words.cache_clear()
    try:
        assert "familia" in everyday_words("es")
        assert "hipertensión" not in everyday_words("es")
        assert not is_everyday_word("hipertensión", "es")
        assert not is_everyday_word("osteoporosis", "es")
    finally:
        everyday_words.cache_clear()


def test_a_hyphenated_medical_term_is_not_everyday_though_its_parts_are() -> None:
    assert is_everyday_word("follow-up", "en")
    assert not is_everyday_word("pack-year", "en")


def test_a_language_without_a_list_keeps_every_long_word() -> None:
    assert everyday_words("fr") == frozenset()
    assert not is_everyday_word("famille", "fr")


# ------------------------------------------------------------------------------
# Medical terms used without explaining them
# ------------------------------------------------------------------------------


def test_aed_cpr_and_nitroglycerin_unexplained_are_reported_with_explanations() -> None:
    text = (
        "If a person does not respond, call 911 and start CPR.\n"
        "If there is an AED nearby, use it.\n"
        "If your doctor gave you nitroglycerin for chest pain, take it."
    )
    found = undefined_terms(text, "en")
    assert [(f.term_id, f.term, f.used_as) for f in found] == [
        ("cpr", "cardiopulmonary resuscitation", "CPR"),
        ("aed", "automated external defibrillator", "AED"),
        ("nitroglycerin", "nitroglycerin", "nitroglycerin"),
    ]
    assert found[0].sentence == "If a person does not respond, call 911 and start CPR."
    assert found[1].sentence == "If there is an AED nearby, use it."
    assert [f.explanation for f in found] == [
        explanation("cpr", "en"),
        explanation("aed", "en"),
        explanation("nitroglycerin", "en"),
    ]
    assert "chest" in found[0].explanation
    assert "shock" in found[1].explanation


@pytest.mark.parametrize(
    "text",
    [
        # A parenthesis after the term, or the abbreviation after its full name.
        "Start CPR (pressing hard and fast on the chest) right away.",
        "Use the automated external defibrillator (AED) on the wall.",
        "Use the AED (automated external defibrillator) on the wall.",
        # The abbreviation alone in a parenthesis, after the words that explain it.
        "Use the device that shocks the heart (AED) on the wall.",
        # "is" or "are" then an article, a question word or an -ing verb; "means".
        "An AED is a device that can shock the heart back to a normal beat.",
        "CPR is pressing hard and fast on the chest.",
        "Hypoglycemia is when your blood sugar is too low.",
        "Hypertension means high blood pressure.",
        "Nitroglycerin: a medicine you put under your tongue for chest pain.",
        # An appositive.
        "Keep glucagon, a medicine that raises blood sugar fast, at home.",
        "Hypertension, or high blood pressure, often has no signs.",
        # Named after "called".
        "Your doctor may suggest a test called a colonoscopy.",
        # A question that announces the explanation, as a heading.
        "What is a polyp?\nA small growth on the wall of the bowel.",
        # The next sentence: the term again with its meaning, or what it is.
        "You may need a colonoscopy. A colonoscopy is a test that looks inside the bowel.",
        "You may need glucagon. It is a medicine that raises blood sugar fast.",
        "The most common test is a DXA scan. It uses a very low dose of x-rays.",
    ],
)
def test_a_term_explained_where_it_is_first_used_is_not_reported(text: str) -> None:
    assert reported(text) == []


@pytest.mark.parametrize(
    ("text", "term_id"),
    [
        # A dose in a parenthesis explains nothing.
        ("Take nitroglycerin (0.4 mg) under your tongue.", "nitroglycerin"),
        # "is" followed by neither an article nor a verb in -ing.
        ("Osteoporosis is common in older women.", "osteoporosis"),
        # A list, not an appositive.
        ("Bring your glucagon, the meter and a snack.", "glucagon"),
        # The next sentence says nothing of what it is.
        ("You may need glucagon. Keep it at home.", "glucagon"),
        # Explained, but two sentences after its first use: the reader met it unexplained.
        (
            "Use the AED. Then wait for help. "
            "An automated external defibrillator (AED) is a device that shocks the heart.",
            "aed",
        ),
    ],
)
def test_a_term_not_explained_near_its_first_use_is_reported(text: str, term_id: str) -> None:
    assert reported(text) == [term_id]


def test_each_term_is_reported_once_at_its_first_use_whatever_name_it_goes_by() -> None:
    text = "Bring your A1C results.\nYour hemoglobin A1C was 7.2%.\nAsk about HbA1c goals."
    found = undefined_terms(text, "en")
    assert [(f.term_id, f.used_as, f.sentence) for f in found] == [
        ("a1c", "A1C", "Bring your A1C results.")
    ]


def test_fit_the_verb_is_not_the_fit_test_but_fit_in_capitals_is() -> None:
    assert reported("Make sure the cuff is a good fit. Shoes should fit well.") == []
    assert reported("Do the FIT at home every year.") == ["fit"]
    assert reported("Do the fecal immunochemical test at home every year.") == ["fit"]


@pytest.mark.parametrize(
    ("text", "term_id", "used_as"),
    [
        ("Where are the AEDs kept?", "aed", "AEDs"),  # an abbreviation's plural
        ("The doctor took out two polyps.", "polyp", "polyps"),  # a name's plural
        ("She had two biopsies last year.", "biopsy", "biopsies"),  # -y to -ies
        ("Her T score was low.", "t-score", "T score"),  # a hyphen written as a space
        ("It can follow Guillain-Barre syndrome.", "guillain-barre", "Guillain-Barre syndrome"),
        ("Ask for a low-dose CT scan of the chest.", "ldct", "low-dose CT scan"),  # not CT too
    ],
)
def test_terms_are_found_in_their_usual_forms(text: str, term_id: str, used_as: str) -> None:
    assert [(f.term_id, f.used_as) for f in undefined_terms(text, "en")] == [(term_id, used_as)]


def test_terms_are_whole_words_only() -> None:
    assert reported("A CTA is not the same as a polypectomy.") == []


def test_spanish_terms_used_without_explaining_are_reported_in_spanish() -> None:
    text = (
        "Si una persona no responde, llame al 911 y empiece la RCP.\n"
        "Si hay un DEA cerca, úselo.\n"
        "Si su médico le dio nitroglicerina, tómela."
    )
    found = undefined_terms(text, "es")
    assert [(f.term_id, f.term, f.used_as) for f in found] == [
        ("cpr", "reanimación cardiopulmonar", "RCP"),
        ("aed", "desfibrilador externo automático", "DEA"),
        ("nitroglycerin", "nitroglicerina", "nitroglicerina"),
    ]
    assert found[0].explanation == explanation("cpr", "es")
    assert "pecho" in found[0].explanation


@pytest.mark.parametrize(
    "text",
    [
        "Use el desfibrilador externo automático (DEA) de la pared.",
        "Empiece la RCP (empujar fuerte y rápido en el centro del pecho).",
        "La hipertensión es la presión arterial alta.",
        "La hipertensión significa presión arterial alta.",
        "Tenga glucagón, un medicamento que sube rápido el azúcar, en casa.",
        "Su médico le pedirá una prueba llamada colonoscopia.",
        "¿Qué es un pólipo?\nEs un pequeño crecimiento en la pared del intestino.",
        "Puede necesitar una colonoscopia. Es una prueba que mira el intestino por dentro.",
    ],
)
def test_spanish_terms_explained_where_first_used_are_not_reported(text: str) -> None:
    assert reported(text, "es") == []


def test_spanish_terms_are_found_with_or_without_accents_and_in_es_us() -> None:
    assert reported("La hipertension daña el corazón.", "es-US") == ["hypertension"]
    assert reported("Le quitaron dos pólipos.", "es") == ["polyp"]
    assert reported("La osteoporosis es común.", "es") == ["osteoporosis"]


def test_a_language_without_terms_has_none_to_report() -> None:
    assert undefined_terms("Utilisez le DEA.", "fr") == []


def test_the_term_index_is_compiled_once() -> None:
    assert term_index("en") is term_index("en")


def test_a_long_text_is_read_in_one_pass() -> None:
    # About 5,000 words with the term far in: found once, at its first use.
    filler = "Walk a little every day and rest when you need to. " * 450
    text = filler + "Keep glucagon at home. " + filler + "Keep glucagon, a medicine, at home."
    assert len(text.split()) > 5_000
    found = undefined_terms(text, "en")
    assert [(f.term_id, f.sentence) for f in found] == [("glucagon", "Keep glucagon at home.")]


def test_sentences_found_for_terms_are_the_sentences_split_for_hard_ones() -> None:
    text = "Do not eat. Call us! Why?\nA list item\n\n  Spaced.  \n"
    assert split_sentences(text) == ["Do not eat.", "Call us!", "Why?", "A list item", "Spaced."]


# ------------------------------------------------------------------------------
# The term list
# ------------------------------------------------------------------------------


def fold(name: str) -> str:
    """A name as matching sees it: any case, any accents, hyphens as spaces."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)
    )
    return " ".join(stripped.lower().replace("-", " ").split())


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    with TERMS_FILE.open(encoding="utf-8") as file:
        return json.load(file)


def test_the_term_list_has_english_and_spanish_for_the_same_concepts(data) -> None:
    assert set(data) == {"en", "es"}
    assert 60 <= len(data["en"]) <= 120
    assert {entry["id"] for entry in data["en"]} == {entry["id"] for entry in data["es"]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_term_has_an_explanation_and_only_known_fields(data, language: str) -> None:
    for entry in data[language]:
        assert set(entry) <= {"id", "term", "also", "abbreviations", "explanation"}, entry
        assert entry["term"].strip(), entry
        assert len(entry["explanation"].split()) >= 2, entry
        assert entry["explanation"].rstrip().endswith("."), entry


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_explanation_is_written_in_its_own_language(data, language: str) -> None:
    other = {"en": "es", "es": "en"}[language]
    for entry in data[language]:
        words = plain_language._WORD.findall(entry["explanation"].lower())
        own = sum(word in everyday_words(language) for word in words)
        foreign = sum(word in everyday_words(other) for word in words)
        assert own > foreign, entry


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_term_id_name_or_abbreviation_is_listed_twice(data, language: str) -> None:
    ids = Counter(entry["id"] for entry in data[language])
    names = Counter(
        fold(name)
        for entry in data[language]
        for name in {entry["term"], *entry.get("also", [])} - set(entry.get("abbreviations", []))
    )
    abbreviations = Counter(a for entry in data[language] for a in entry.get("abbreviations", []))
    assert [i for i, n in ids.items() if n > 1] == []
    assert [name for name, n in names.items() if n > 1] == []
    assert [a for a, n in abbreviations.items() if n > 1] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_name_and_abbreviation_is_found_as_its_own_term(language: str) -> None:
    index = term_index(language)
    for term in medical_terms(language):
        for name in (*term.names, *term.abbreviations):
            uses = [(found.id, use[0]) for found, use in index.uses(f"About {name} here.")]
            assert uses == [(term.id, name)], name


@pytest.mark.parametrize(
    ("language", "text", "term_id"),
    [
        ("en", "AED", "aed"),
        ("en", "automated external defibrillator", "aed"),
        ("en", "CPR", "cpr"),
        ("en", "nitroglycerin", "nitroglycerin"),
        ("en", "A1C", "a1c"),
        ("en", "hemoglobin A1C", "a1c"),
        ("en", "colonoscopy", "colonoscopy"),
        ("en", "mammogram", "mammogram"),
        ("en", "hypertension", "hypertension"),
        ("en", "eGFR", "egfr"),
        ("en", "BI-RADS", "birads"),
        ("en", "calcifications", "calcifications"),
        ("en", "glucagon", "glucagon"),
        ("en", "hypoglycemia", "hypoglycemia"),
        ("en", "polyp", "polyp"),
        ("en", "biopsy", "biopsy"),
        ("en", "stool test", "stool-test"),
        ("en", "FIT", "fit"),
        ("en", "osteoporosis", "osteoporosis"),
        ("en", "T-score", "t-score"),
        ("en", "LDCT", "ldct"),
        ("es", "desfibrilador externo automático (DEA)", "aed"),
        ("es", "RCP", "cpr"),
        ("es", "nitroglicerina", "nitroglycerin"),
        ("es", "hipertensión", "hypertension"),
        ("es", "colonoscopia", "colonoscopy"),
        ("es", "mamografía", "mammogram"),
    ],
)
def test_the_terms_the_library_needs_are_listed(language: str, text: str, term_id: str) -> None:
    assert [term.id for term, _ in term_index(language).uses(text)][:1] == [term_id]
