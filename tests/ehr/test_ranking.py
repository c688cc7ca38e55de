"""The one ranking of live documents for codes, as Infobutton and CDS Hooks both ask it: per
translation group, the most specific code, in the preferred language, newest first."""

import json

from ehr.ranking import ranked_answers
from tests.publishing_helpers import make_live

ICD = "icd10cm"
A1C = [(ICD, "E11.65"), (ICD, "E11.6"), (ICD, "E11")]
PRESSURE = [(ICD, "I10")]


def _codes(*codes: str) -> list[dict[str, str]]:
    return [{"system": ICD, "code": code} for code in codes]


def test_each_question_is_answered_in_the_preferred_language_with_a_fallback(staff):
    a1c = make_live(**staff, slug="a1c", codes=_codes("E11"))
    make_live(**staff, slug="a1c-es", locale="es", translation_of=a1c)
    make_live(**staff, slug="pressure", codes=_codes("I10"))

    answers = ranked_answers([A1C, PRESSURE], locales=["es", "en"], per_question=3)

    # The Spanish translation answers for the code its English original carries; the
    # article with no translation answers in English.
    assert [(a.question, a.locale, a.code) for a in answers] == [
        (0, "es", "E11"),
        (1, "en", "I10"),
    ]
    assert answers[0].translation_group == a1c.translation_group


def test_the_most_specific_code_ranks_first_then_the_newest(staff):
    make_live(**staff, slug="diabetes-general", codes=_codes("E11"))
    make_live(**staff, slug="foot-care", codes=_codes("E11.6"))
    make_live(**staff, slug="newest-general", codes=_codes("E11"))

    answers = ranked_answers([A1C], locales=["en"], per_question=2, with_body=True)

    assert [(a.code, json.loads(a.body)["slug"]) for a in answers] == [
        ("E11.6", "foot-care"),
        ("E11", "newest-general"),
    ]


def test_a_group_with_no_live_article_in_the_languages_asked_does_not_answer(staff):
    make_live(**staff, slug="solo-es", locale="es", codes=_codes("I10"))

    assert ranked_answers([PRESSURE], locales=["en"], per_question=3) == []
    assert [a.locale for a in ranked_answers([PRESSURE], locales=["en", "es"], per_question=3)] == [
        "es"
    ]


def test_a_ranking_is_one_query_however_many_questions(staff, django_assert_num_queries):
    make_live(**staff, slug="pressure", codes=_codes("I10"))
    questions = [PRESSURE, A1C, [(ICD, "J45")], [(ICD, "Z12.11")]]

    with django_assert_num_queries(1):
        answers = ranked_answers(questions, locales=["en"], per_question=len(questions))

    assert [(a.question, a.code) for a in answers] == [(0, "I10")]
