"""CDS Hooks 2.0: discovery, and patient-view requests built from FHIR R4 JSON as EHRs send
it, answered with cards that link to live articles in the patient's language."""

import copy
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from articles import workflow
from articles.models import Article
from ehr.cds_hooks import MAX_ENTRIES
from tests.ehr.fhir import (
    ICD,
    LOINC,
    SNOMED,
    bundle,
    coding,
    condition,
    hook_request,
    language,
    patient,
)
from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import api_key, key_header, publish_new_revision

DISCOVERY = "/cds-services"
UNKNOWN = {"resourceType": "NotAFhirResource", "id": "x"}
SERVICE = "/cds-services/patient-education"


@pytest.fixture
def headers(db: None) -> dict[str, str]:
    return key_header(api_key("delivery"))


@pytest.fixture
def post(headers: dict[str, str]) -> Callable[..., Any]:
    def send(body: Any, path: str = SERVICE, **extra: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return APIClient().post(path, data, content_type="application/json", **{**headers, **extra})

    return send


@pytest.fixture
def library(live: Callable[..., Article]) -> dict[str, Article]:
    a1c = live(
        "understanding-your-a1c",
        title="Understanding your A1C",
        summary="Your average blood sugar over three months.",
        codes=[
            {"system": "icd10cm", "code": "E11", "display": "Type 2 diabetes"},
            {"system": "loinc", "code": "4548-4", "display": "A1C"},
        ],
    )
    low = live(
        "low-blood-sugar",
        title="Low blood sugar",
        codes=[{"system": "icd10cm", "code": "E11.649", "display": "Hypoglycemia"}],
    )
    pressure = live(
        "reading-your-blood-pressure",
        title="Reading your blood pressure",
        codes=[{"system": "snomedct", "code": "38341003", "display": "Hypertension"}],
    )
    return {"a1c": a1c, "low": low, "pressure": pressure}


def cards(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"cards"}
    return body["cards"]


def linked(found: list[dict[str, Any]]) -> list[str]:
    """The patient page each card links to first."""
    return [card["links"][0]["url"] for card in found]


def url(slug: str, locale: str = "en") -> str:
    return f"{django_settings.PUBLIC_BASE_URL}/{locale}/{slug}/"


# ------------------------------------------------------------------------------
# Discovery
# ------------------------------------------------------------------------------
def test_discovery_lists_the_patient_view_service_with_its_prefetch(headers):
    response = APIClient().get(DISCOVERY, **headers)

    assert response.status_code == 200
    (service,) = response.json()["services"]
    assert service["hook"] == "patient-view"
    assert service["id"] == "patient-education"
    assert service["title"]
    assert "prefetch" in service["description"]
    assert "does not call" in service["description"]
    assert service["prefetch"] == {
        "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
        "patient": "Patient/{{context.patientId}}",
    }
    # The service's URL is the discovery URL plus its id, with no trailing slash.
    assert f"{DISCOVERY}/{service['id']}" == SERVICE


# ------------------------------------------------------------------------------
# Cards
# ------------------------------------------------------------------------------
def test_a_patients_conditions_get_cards_linking_to_live_articles(post, library, settings):
    settings.PUBLISHER_NAME = "St. Example Hospital"
    request = hook_request(
        bundle(
            condition(
                "dm2",
                coding(ICD, "E11.649", "Type 2 diabetes mellitus with hypoglycemia"),
                coding(SNOMED, "44054006", "Diabetes mellitus type 2"),
            ),
            condition(
                "htn",
                coding(SNOMED, "38341003", "Hypertensive disorder"),
                coding(ICD, "I10", "Essential (primary) hypertension"),
            ),
        )
    )

    found = cards(post(request))

    assert linked(found) == [url("low-blood-sugar"), url("reading-your-blood-pressure")]
    for card in found:
        assert len(card["summary"]) < 140
        assert card["indicator"] == "info"
        assert card["source"] == {
            "label": "St. Example Hospital",
            "url": django_settings.PUBLIC_BASE_URL,
        }
        assert card["detail"]
        uuid.UUID(card["uuid"])
        page, handout = card["links"]
        assert page["type"] == handout["type"] == "absolute"
        assert page["url"].startswith(("http://", "https://"))
        assert page["label"]
        assert handout == {
            "label": "Printable handout (PDF)",
            "url": page["url"].removesuffix("/") + ".pdf",
            "type": "absolute",
        }
        assert card["extension"]["x-patient-education.links"] == {
            "page": page["url"],
            "handout": handout["url"],
        }
    assert found[0]["summary"] == "Patient education: Low blood sugar"
    assert "Last reviewed on" in found[0]["detail"]


def test_one_card_per_condition_and_never_the_same_article_twice(post, library):
    request = hook_request(
        bundle(
            condition("dm2", coding(ICD, "E11.649", "Type 2 diabetes with hypoglycemia")),
            # The same family again: its best article is taken, so the next one.
            condition("dm2-again", coding(ICD, "E11.649", "Type 2 diabetes with hypoglycemia")),
            # And again: nothing left for it, so no card.
            condition("dm2-third", coding(ICD, "E11.65", "Type 2 diabetes with hyperglycemia")),
        )
    )

    found = cards(post(request))

    assert linked(found) == [url("low-blood-sugar"), url("understanding-your-a1c")]
    assert len(set(linked(found))) == len(found)


def test_three_conditions_matched_by_three_articles_get_three_cards_in_their_order(post, library):
    request = hook_request(
        bundle(
            condition("htn", coding(SNOMED, "38341003", "Hypertensive disorder")),
            condition("hypo", coding(ICD, "E11.649", "Type 2 diabetes with hypoglycemia")),
            condition("a1c", coding(LOINC, "4548-4", "Hemoglobin A1c")),
        )
    )

    found = cards(post(request))

    assert linked(found) == [
        url("reading-your-blood-pressure"),
        url("low-blood-sugar"),
        url("understanding-your-a1c"),
    ]
    assert len({card["uuid"] for card in found}) == 3


def test_a_condition_left_without_a_card_does_not_take_the_next_ones_card(post, library):
    request = hook_request(
        bundle(
            condition("htn", coding(SNOMED, "38341003", "Hypertensive disorder")),
            # Only the article the first condition took matches it: no card, no duplicate.
            condition("htn-recorded-twice", coding(SNOMED, "38341003", "Hypertension")),
            condition("hypo", coding(ICD, "E11.649", "Type 2 diabetes with hypoglycemia")),
        )
    )

    found = cards(post(request))

    assert linked(found) == [url("reading-your-blood-pressure"), url("low-blood-sugar")]


def test_a_later_condition_still_finds_an_older_article_behind_newer_translations(
    post, library, live
):
    pressure = {"system": "snomedct", "code": "38341003", "display": "Hypertension"}
    newer = live("high-blood-pressure", title="High blood pressure", codes=[pressure])
    live("presion-alta", locale="es", translation_of=newer, title="Presion alta", codes=[pressure])
    request = hook_request(
        bundle(
            condition("htn", coding(SNOMED, "38341003", "Hypertensive disorder")),
            condition("htn-recorded-twice", coding(SNOMED, "38341003", "Hypertension")),
        )
    )

    found = cards(post(request))

    # The newest article (and its newer translation) answers the first; the older one,
    # from the library, the second.
    assert linked(found) == [url("high-blood-pressure"), url("reading-your-blood-pressure")]


def test_markup_in_an_article_summary_is_escaped_in_its_card(post, live):
    live(
        "two-tablets",
        title="Taking your tablets",
        summary="Take <b>two</b> tablets & rest > 1 hour.",
        codes=[{"system": "icd10cm", "code": "R92.8"}],
    )
    request = hook_request(bundle(condition("r92", coding(ICD, "R92.8", "Abnormal mammogram"))))

    (card,) = cards(post(request))

    summary, _, review = card["detail"].partition("\n\n")
    assert summary == "Take &lt;b&gt;two&lt;/b&gt; tablets &amp; rest &gt; 1 hour."
    assert "Last reviewed on" in review


def test_codings_are_tried_in_order_and_icd10cm_codes_find_their_ancestors(post, library):
    request = hook_request(
        bundle(
            condition(
                "dm2",
                coding("urn:oid:2.16.840.1.113883.6.88", "860975", "Metformin"),  # not ours
                coding(ICD, "E11.65", "Type 2 diabetes mellitus with hyperglycemia"),
            ),
            condition("a1c", coding(LOINC, "4548-4", "Hemoglobin A1c")),
        )
    )

    # E11.65 finds the E11 article; the A1C condition then has nothing new to offer.
    assert linked(cards(post(request))) == [url("understanding-your-a1c")]


def test_resolved_refuted_and_uncoded_conditions_get_no_card(post, library):
    request = hook_request(
        bundle(
            condition("old", coding(ICD, "E11.649", "Hypoglycemia"), clinical="resolved"),
            condition("wrong", coding(SNOMED, "38341003", "HTN"), verification="entered-in-error"),
            condition("free-text"),
            condition("unknown", coding(ICD, "Z99.89", "Dependence on enabling machines")),
        )
    )

    assert cards(post(request)) == []


def test_an_operation_outcome_in_the_search_results_is_not_a_condition(post, library):
    outcome = {
        "resource": {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "warning", "code": "processing", "diagnostics": "Truncated"}],
        },
        "search": {"mode": "outcome"},
    }
    request = hook_request(bundle(outcome, condition("htn", coding(SNOMED, "38341003", "HTN"))))

    assert linked(cards(post(request))) == [url("reading-your-blood-pressure")]


def test_an_unpublished_article_gets_no_card(post, library, publisher):
    from articles import workflow

    workflow.article_unpublish(actor=publisher, article=library["low"], reason="Outdated.")
    request = hook_request(bundle(condition("dm2", coding(ICD, "E11.649", "Hypoglycemia"))))

    assert linked(cards(post(request))) == [url("understanding-your-a1c")]


def test_a_long_title_is_shortened_to_a_card_summary(post, live):
    title = "What to expect " + "and what to do about it " * 10
    live("long-one", title=title.strip()[:200], codes=[{"system": "icd10cm", "code": "R92.8"}])
    request = hook_request(bundle(condition("r92", coding(ICD, "R92.8", "Abnormal mammogram"))))

    (card,) = cards(post(request))

    assert len(card["summary"]) == 139
    assert card["summary"].endswith("…")
    assert card["links"][0]["label"] == title.strip()[:200]


def test_card_links_go_where_patients_read_the_article(post, library, settings):
    settings.ARTICLE_PUBLIC_URL = "https://www.hospital.example/health/{locale}/{slug}/"
    request = hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN"))))

    assert linked(cards(post(request))) == [
        "https://www.hospital.example/health/en/reading-your-blood-pressure/"
    ]


def test_without_a_prefetch_there_are_no_cards(post, library):
    assert cards(post(hook_request())) == []
    assert cards(post(hook_request(prefetch={}))) == []
    # An EHR that could not prefetch sends the key with null.
    assert cards(post(hook_request(prefetch={"conditions": None}))) == []


def test_an_empty_search_result_has_no_cards(post, library):
    assert cards(post(hook_request(bundle()))) == []


def test_cards_are_never_cached(post, library):
    response = post(hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN")))))

    assert response["Cache-Control"] == "no-store"


def test_cards_take_three_queries_however_many_conditions_and_one_when_cached(
    post, library, settings, django_assert_num_queries
):
    settings.INFOBUTTON_PUBLIC = True
    request = hook_request(
        bundle(
            *(condition(f"c{n}", coding(ICD, f"E11.6{n}", "Diabetes")) for n in range(10)),
            condition("lows", coding(ICD, "E11.649", "Hypoglycemia")),
            condition("htn", coding(SNOMED, "38341003", "HTN")),
        )
    )

    # The live set's generation (the cache key), the matches, their stored documents.
    with django_assert_num_queries(3):
        found = cards(APIClient().post(SERVICE, request, format="json"))
    # The same conditions again: the cards from the cache, under the live set's generation.
    with django_assert_num_queries(1):
        again = cards(APIClient().post(SERVICE, request, format="json"))
    assert len(found) == 3
    assert [c["links"] for c in again] == [c["links"] for c in found]
    other_call = cards(
        APIClient().post(SERVICE, {**request, "hookInstance": str(uuid.uuid4())}, format="json")
    )
    assert [c["links"] for c in other_call] == [c["links"] for c in found]
    assert {c["uuid"] for c in other_call}.isdisjoint(c["uuid"] for c in found)


def test_a_change_to_the_live_set_reaches_the_next_cards(post, library, publisher):
    request = hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN"))))
    before = linked(cards(post(request)))

    workflow.article_unpublish(actor=publisher, article=library["pressure"], reason="Outdated")

    assert len(before) == 1
    assert cards(post(request)) == []


# ------------------------------------------------------------------------------
# The patient's language
# ------------------------------------------------------------------------------
A1C = bundle(condition("a1c", coding(LOINC, "4548-4", "Hemoglobin A1c")))
NOT_YET = "This article is not yet available in Spanish; shown in English."
UPDATING = "The Spanish translation is being updated; shown in English."


@pytest.fixture
def spanish(library: dict[str, Article], live: Callable[..., Article]) -> Article:
    """The live Spanish translation of the A1C article (it answers for the English codes)."""
    return live(
        "entender-su-a1c",
        locale="es",
        translation_of=library["a1c"],
        title="Entender su prueba de A1C",
        summary="Su nivel promedio de azúcar en la sangre durante tres meses.",
    )


def a1c_card(post: Callable[..., Any], patient_resource: Any = None, **request: Any) -> dict:
    """The one card for the A1C condition, for a patient (a Patient resource) if given."""
    (card,) = cards(post(hook_request(A1C, patient_prefetch=patient_resource, **request)))
    return card


def language_of(card: dict[str, Any]) -> dict[str, Any]:
    """The card's `extension` but its links, its names without their fixed prefix."""
    prefix = "x-patient-education."
    assert all(name.startswith(prefix) for name in card["extension"])
    return {
        name.removeprefix(prefix): value
        for name, value in card["extension"].items()
        if name != f"{prefix}links"
    }


def test_with_patient_pages_off_a_card_links_the_delivery_url_and_no_handout(
    post, library, settings
):
    with_pages = a1c_card(post)
    settings.PATIENT_PAGES = False

    # The same question: the setting is part of the cards' key, so the answer follows it.
    card = a1c_card(post)

    assert len(with_pages["links"]) == 2
    assert card["links"] == [
        {
            "label": card["links"][0]["label"],
            "url": f"{django_settings.PUBLIC_BASE_URL}/api/v1/articles/understanding-your-a1c/"
            "?locale=en",
            "type": "absolute",
        }
    ]
    assert card["extension"]["x-patient-education.links"]["handout"] is None


def last_paragraph(card: dict[str, Any]) -> str:
    return card["detail"].split("\n\n")[-1]


ENGLISH = {
    "language": "en",
    "language_requested": "en",
    "language_fallback": False,
    "translation_status": None,
    "translation_updating": False,
}


def test_a_patient_who_prefers_spanish_gets_the_live_spanish_translation(post, spanish):
    card = a1c_card(post, patient(language("en"), language("es-MX", preferred=True)))

    assert linked([card]) == [url("entender-su-a1c", "es")]
    assert card["summary"] == "Patient education: Entender su prueba de A1C"
    assert card["detail"].startswith("Su nivel promedio de azúcar")
    assert language_of(card) == {
        "language": "es",
        "language_requested": "es",
        "language_fallback": False,
        "translation_status": "current",
        "translation_updating": False,
    }
    assert "shown in" not in card["detail"]


@pytest.mark.parametrize(
    ("communication", "locale"),
    [
        ((language("en"), language("es", preferred=True)), "es"),
        ((language("es", preferred=False), language("en", preferred=True)), "en"),
        # Without a preferred one, the order the EHR gave.
        ((language("es"), language("en")), "es"),
        ((language("en"), language("es")), "en"),
    ],
)
def test_the_preferred_language_comes_first_then_the_others_in_order(
    post, spanish, communication, locale
):
    card = a1c_card(post, patient(*communication))

    assert language_of(card)["language"] == locale
    assert language_of(card)["language_fallback"] is False


def test_spanish_without_a_spanish_article_is_english_and_says_so(post, library):
    card = a1c_card(post, patient(language("es", preferred=True)))

    assert linked([card]) == [url("understanding-your-a1c")]
    assert last_paragraph(card) == NOT_YET
    assert "Last reviewed on" in card["detail"]  # the article's own detail stays
    assert language_of(card) == {
        **ENGLISH,
        "language_requested": "es",
        "language_fallback": True,
    }


def test_an_outdated_spanish_translation_gives_the_current_english_saying_it_is_updated(
    post, spanish, library, staff
):
    before = a1c_card(post, patient(language("es", preferred=True)))

    publish_new_revision(
        library["a1c"], **staff, body="## What it means\n\nCall 911 if you feel faint.\n"
    )

    card = a1c_card(post, patient(language("es", preferred=True)))
    assert language_of(before)["language"] == "es"
    assert linked([card]) == [url("understanding-your-a1c")]
    assert last_paragraph(card) == UPDATING
    assert language_of(card) == {
        **ENGLISH,
        "language_requested": "es",
        "language_fallback": True,
        "translation_updating": True,
    }


def test_with_outdated_translations_served_the_spanish_card_says_it_is_outdated(
    post, spanish, library, staff, settings
):
    publish_new_revision(
        library["a1c"], **staff, body="## What it means\n\nCall 911 if you feel faint.\n"
    )
    fallback = a1c_card(post, patient(language("es", preferred=True)))

    settings.OUTDATED_TRANSLATIONS = "serve"

    # The same question, the live set unchanged: the setting is part of the cards' key.
    card = a1c_card(post, patient(language("es", preferred=True)))
    assert language_of(fallback)["language"] == "en"
    assert linked([card]) == [url("entender-su-a1c", "es")]
    assert last_paragraph(card) == (
        "This Spanish translation is outdated: the English article it translates has changed since."
    )
    assert language_of(card) == {
        "language": "es",
        "language_requested": "es",
        "language_fallback": False,
        "translation_status": "outdated",
        "translation_updating": False,
    }


@pytest.mark.parametrize(
    "request_fields",
    [
        {},  # no patient prefetch
        {"prefetch": {"conditions": A1C, "patient": None}},  # the EHR could not fetch it
        {"patient_resource": patient()},  # no communication
        {"patient_resource": patient(language(None, text="Spanish", preferred=True))},
    ],
    ids=["absent", "null", "no-communication", "no-language-tag"],
)
def test_without_the_patients_language_the_cards_are_in_english_as_before(
    post, spanish, request_fields
):
    card = a1c_card(post, **request_fields)

    assert linked([card]) == [url("understanding-your-a1c")]
    assert language_of(card) == ENGLISH
    assert "shown in" not in card["detail"]


def test_a_language_the_library_has_no_articles_in_is_answered_in_english_saying_so(post, spanish):
    french = a1c_card(post, patient(language("fr-CA", preferred=True)))
    # English cards for the same conditions, asked next: the same locales looked in, but
    # nothing to say (the language asked for is part of the cards' key).
    english = a1c_card(post)

    assert linked([french]) == [url("understanding-your-a1c")]
    assert last_paragraph(french) == "This library has no articles in French; shown in English."
    assert language_of(french) == {**ENGLISH, "language_requested": "fr", "language_fallback": True}
    assert language_of(english) == ENGLISH
    assert "French" not in english["detail"]


def test_the_first_of_the_patients_languages_the_library_has_is_chosen(post, spanish):
    card = a1c_card(post, patient(language("fr", preferred=True), language("es")))

    assert language_of(card)["language"] == "es"
    assert language_of(card)["language_fallback"] is False


@pytest.mark.parametrize(
    ("concept", "locale"),
    [
        ({"coding": [{"system": "urn:ietf:bcp:47", "code": "ES-us"}]}, "es"),
        ({"coding": [{"code": "es"}]}, "es"),  # no system, a plain tag
        ({"text": "es-MX"}, "es"),
        # A code of another system is not read as a tag; the text then is.
        (
            {
                "coding": [{"system": "urn:oid:1.2.840.114350.1.13.0.1.7.10.698084", "code": "es"}],
                "text": "es",
            },
            "es",
        ),
        (
            {"coding": [{"system": "urn:oid:1.2.840.114350.1.13.0.1.7.10.698084", "code": "es"}]},
            "en",
        ),
        ({"coding": [{"code": "Spanish"}], "text": "Spanish"}, "en"),  # names are no tags
    ],
)
def test_a_language_is_a_bcp_47_coding_or_a_plain_tag(post, spanish, concept, locale):
    resource = patient({"language": concept, "preferred": True})

    assert language_of(a1c_card(post, resource))["language"] == locale


def test_the_patients_language_costs_no_query(post, spanish, settings, django_assert_num_queries):
    settings.INFOBUTTON_PUBLIC = True
    request = hook_request(A1C, patient_prefetch=patient(language("es", preferred=True)))

    # The live set's generation (the cache key), the matches, their stored documents.
    with django_assert_num_queries(3):
        found = cards(APIClient().post(SERVICE, request, format="json"))

    assert linked(found) == [url("entender-su-a1c", "es")]


# ------------------------------------------------------------------------------
# Bad requests
# ------------------------------------------------------------------------------
def test_invalid_json_is_refused(post, db):
    body = assert_problem(post('{"hook": "patient-view", "context": {'), 400)

    assert body["code"] == "parse-error"


def test_a_bundle_holding_a_patient_instead_of_conditions_is_refused(post, db):
    patient = {
        "fullUrl": "https://fhir.hospital.example/r4/Patient/erXuFYUfucBZaryVksYEcMg3",
        "resource": {
            "resourceType": "Patient",
            "id": "erXuFYUfucBZaryVksYEcMg3",
            "name": [{"family": "Doe", "given": ["Jane"]}],
            "gender": "female",
            "birthDate": "1973-05-01",
        },
    }
    request = hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN")), patient))

    errors = field_errors(assert_problem(post(request), 400))

    assert "Condition resources only" in errors["prefetch.conditions"]["message"]
    assert "entry[1] is a Patient" in errors["prefetch.conditions"]["message"]


@pytest.mark.parametrize(
    "prefetched",
    [
        {"resourceType": "Patient", "id": "x"},
        {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"x": 1}}]},
        {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": UNKNOWN}]},
        {"resourceType": "Bundle"},
        [1, 2],
        "Condition?patient=123",
        {},
    ],
)
def test_a_prefetch_that_is_not_a_fhir_bundle_is_refused(post, db, prefetched):
    response = post(hook_request(prefetch={"conditions": prefetched}))

    assert "prefetch.conditions" in field_errors(assert_problem(response, 400))


@pytest.mark.parametrize(
    "prefetched",
    [
        bundle(),
        {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": patient()}]},
        UNKNOWN,
        {"resourceType": "Patient", "communication": [{"preferred": True}]},  # no language
        {"resourceType": "Patient", "communication": {"language": {"text": "es"}}},
        {"resourceType": "Patient", "birthDate": "May 1st"},
        [patient()],
        "Patient/erXuFYUfucBZaryVksYEcMg3",
        {},
    ],
)
def test_a_patient_prefetch_that_is_not_a_fhir_patient_is_refused_naming_it(post, db, prefetched):
    request = hook_request(A1C, patient_prefetch=prefetched)

    errors = field_errors(assert_problem(post(request), 400))

    assert set(errors) == {"prefetch.patient"}


def test_a_bundle_past_the_entry_limit_is_refused_naming_the_limit(post, db):
    over = [condition(f"c{n}", coding(ICD, "E11.9", "Diabetes")) for n in range(MAX_ENTRIES + 1)]

    errors = field_errors(assert_problem(post(hook_request(bundle(*over))), 400))

    message = errors["prefetch.conditions"]["message"]
    assert f"has {MAX_ENTRIES + 1:,} entries" in message
    assert f"at most {MAX_ENTRIES} per call" in message


def test_the_largest_bundle_allowed_gets_its_cards(post, library):
    # Every entry a condition: the limit's worth, most of them matching nothing.
    largest = [
        condition(f"c{n}", coding(ICD, f"Z{n % 100:02d}.{n % 10}", "Other"))
        for n in range(MAX_ENTRIES - 2)
    ]
    largest += [
        condition("lows", coding(ICD, "E11.649", "Hypoglycemia")),
        condition("htn", coding(SNOMED, "38341003", "HTN")),
    ]

    found = cards(post(hook_request(bundle(*largest))))

    assert len(largest) == MAX_ENTRIES
    assert linked(found) == [url("low-blood-sugar"), url("reading-your-blood-pressure")]


def test_a_condition_that_is_not_valid_fhir_is_refused(post, db):
    broken = condition("htn", coding(SNOMED, "38341003", "HTN"))
    del broken["resource"]["subject"]  # required in R4

    errors = field_errors(assert_problem(post(hook_request(bundle(broken))), 400))

    assert "subject" in errors["prefetch.conditions"]["message"]


@pytest.mark.parametrize("hook", ["order-select", "encounter-start", "Patient-View"])
def test_another_hook_is_refused(post, db, hook):
    errors = field_errors(assert_problem(post(hook_request(hook=hook)), 400))

    assert "patient-view" in errors["hook"]["message"]


@pytest.mark.parametrize("missing", ["hook", "hookInstance", "context"])
def test_the_fields_cds_hooks_requires_are_required(post, db, missing):
    request = hook_request()
    del request[missing]

    assert missing in field_errors(assert_problem(post(request), 400))


def test_a_field_cds_hooks_does_not_define_is_refused(post, db):
    response = post(hook_request(patient="erXuFYUfucBZaryVksYEcMg3"))

    assert field_errors(assert_problem(response, 400))["patient"]["code"] == "unknown_field"


# ------------------------------------------------------------------------------
# Access, paths and browsers
# ------------------------------------------------------------------------------
def test_a_key_with_the_delivery_scope_is_needed(db):
    request = json.dumps(hook_request())

    assert_problem(APIClient().get(DISCOVERY), 401)
    assert_problem(APIClient().post(SERVICE, request, content_type="application/json"), 401)
    preview_only = key_header(api_key("preview"))
    assert_problem(
        APIClient().post(SERVICE, request, content_type="application/json", **preview_only), 403
    )


def test_the_public_switches_open_the_service_to_ehrs_without_a_key(db, settings, library):
    settings.INFOBUTTON_PUBLIC = True
    request = hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN"))))
    # EHRs send a signed JWT; without CDS_HOOKS_ISSUERS it is not checked (not refused).
    jwt = {"HTTP_AUTHORIZATION": "Bearer eyJhbGciOiJFUzM4NCJ9.e30.c2lnbmF0dXJl"}

    assert APIClient().get(DISCOVERY).status_code == 200
    assert len(cards(APIClient().post(SERVICE, request, format="json", **jwt))) == 1
    assert_problem(APIClient().get("/api/v1/articles/"), 401)

    settings.INFOBUTTON_PUBLIC = False
    settings.DELIVERY_PUBLIC = True
    assert len(cards(APIClient().post(SERVICE, request, format="json"))) == 1


def test_only_the_paths_cds_hooks_fixes_are_served(post, headers):
    assert APIClient().get(f"{DISCOVERY}/", **headers).status_code == 404
    assert_problem(APIClient().get(SERVICE, **headers), 405)
    assert cards(post(hook_request(), path=SERVICE)) == []


def test_browsers_on_allowed_origins_may_call_the_service(settings, db):
    settings.CORS_ALLOWED_ORIGINS = ["https://ehr.hospital.example"]

    preflight = Client().options(
        SERVICE,
        HTTP_ORIGIN="https://ehr.hospital.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    discovery = Client().options(
        DISCOVERY,
        HTTP_ORIGIN="https://ehr.hospital.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    delivery = Client().options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://ehr.hospital.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert preflight["Access-Control-Allow-Origin"] == "https://ehr.hospital.example"
    assert "POST" in preflight["Access-Control-Allow-Methods"].split(", ")
    assert {"authorization", "content-type"} <= set(
        preflight["Access-Control-Allow-Headers"].split(", ")
    )
    assert discovery["Access-Control-Allow-Origin"] == "https://ehr.hospital.example"
    # The delivery API stays read-only for browsers.
    assert "POST" not in delivery["Access-Control-Allow-Methods"].split(", ")


def test_the_fhir_access_token_is_never_echoed(post, library):
    request = hook_request(bundle(condition("htn", coding(SNOMED, "38341003", "HTN"))))
    bad = copy.deepcopy(request)
    bad["hook"] = "order-select"

    for response in (post(request), post(bad)):
        assert b"some-opaque-fhir-access-token" not in response.content
