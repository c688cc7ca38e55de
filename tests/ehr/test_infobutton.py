"""HL7 Infobutton, as MedlinePlus Connect answers it: every parameter, Atom read with a real
XML parser, JSON read the way a MedlinePlus Connect client reads it, JSONP, Spanish, the
ICD-10-CM hierarchy, empty answers, access and caching."""

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from articles import workflow
from articles.models import Article
from tests.problems import assert_problem, field_errors
from tests.publishing_helpers import (
    api_key,
    approve,
    create_article,
    key_header,
    latest,
)

URL = "/api/v1/infobutton/"
ICD10CM = "2.16.840.1.113883.6.90"
SNOMEDCT = "2.16.840.1.113883.6.96"
LOINC = "2.16.840.1.113883.6.1"
NS = {"a": "http://www.w3.org/2005/Atom", "pe": "urn:x-patient-education:infobutton:1"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def base() -> str:
    return django_settings.PUBLIC_BASE_URL


def icd(*codes: str) -> list[dict[str, str]]:
    return [{"system": "icd10cm", "code": code, "display": f"Code {code}"} for code in codes]


@pytest.fixture
def diabetes(live: Callable[..., Article]) -> dict[str, Article]:
    """Articles at three levels of the E11 family, one with a live Spanish translation."""
    a1c = live(
        "understanding-your-a1c",
        title="Understanding your A1C",
        summary="Your average blood sugar over three months.",
        codes=[*icd("E11"), {"system": "loinc", "code": "4548-4", "display": "A1C"}],
    )
    a1c_es = live(
        "entender-su-a1c",
        locale="es",
        translation_of=a1c,
        title="Entender su A1C",
        summary="Su nivel promedio de azúcar en la sangre.",
        codes=[*icd("E11"), {"system": "loinc", "code": "4548-4", "display": "A1C"}],
    )
    complications = live(
        "diabetes-complications", title="Diabetes complications", codes=icd("E11.6")
    )
    low = live("low-blood-sugar", title="Low blood sugar", codes=icd("E11.649"))
    return {"a1c": a1c, "a1c_es": a1c_es, "complications": complications, "low": low}


@pytest.fixture
def ask(headers: dict[str, str]) -> Callable[..., Any]:
    """GET the Infobutton endpoint with a delivery key; `code` and `cs` are the criteria."""

    def fetch(code: str | None = "E11.649", cs: str | None = ICD10CM, **params: Any) -> Any:
        query = dict(params)
        if code is not None:
            query["mainSearchCriteria.v.c"] = code
        if cs is not None:
            query["mainSearchCriteria.v.cs"] = cs
        extra = {k: query.pop(k) for k in list(query) if k.startswith("HTTP_")}
        return APIClient().get(URL, query, **{**headers, **extra})

    return fetch


@pytest.fixture
def headers(db: None) -> dict[str, str]:
    return key_header(api_key("delivery"))


def as_json(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def ask_json(ask: Callable[..., Any], *args: Any, **params: Any) -> dict[str, Any]:
    return as_json(ask(*args, knowledgeResponseType="application/json", **params))


def titles(feed: dict[str, Any]) -> list[str]:
    """What a MedlinePlus Connect client shows: feed.entry[i].title._value."""
    return [entry["title"]["_value"] for entry in feed["feed"].get("entry", [])]


def atom(response: Any) -> ET.Element:
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


# ------------------------------------------------------------------------------
# The answer's formats
# ------------------------------------------------------------------------------
def test_the_default_answer_is_a_valid_atom_feed_with_the_reviewed_fields(ask, diabetes):
    feed = atom(ask("E11.649"))

    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.get(XML_LANG) == "en"
    # The elements Atom 1.0 requires of a feed, and an author for entries that have none.
    assert feed.find("a:title", NS).text
    assert feed.find("a:title", NS).get("type") == "text"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", feed.find("a:updated", NS).text)
    assert feed.find("a:id", NS).text.startswith("http://")
    assert feed.find("a:author/a:name", NS).text
    assert "ICD-10-CM E11.649" in feed.find("a:subtitle", NS).text
    categories = {c.get("scheme"): c.get("term") for c in feed.findall("a:category", NS)}
    assert categories == {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "E11.649"}

    entries = feed.findall("a:entry", NS)
    assert [e.find("a:title", NS).text for e in entries] == [
        "Low blood sugar",
        "Diabetes complications",
        "Understanding your A1C",
    ]
    first = entries[0]
    assert first.get(XML_LANG) == "en"
    assert first.find("a:title", NS).get("type") == "text"
    link = first.find("a:link", NS)
    assert link.get("rel") == "alternate"
    assert link.get("type") == "text/html"
    assert link.get("href") == f"{base()}/en/low-blood-sugar/"
    assert link.get("title") == "Low blood sugar"
    handout = first.findall("a:link", NS)[1]
    assert (handout.get("rel"), handout.get("type")) == ("related", "application/pdf")
    assert handout.get("href") == f"{base()}/en/low-blood-sugar.pdf"
    assert first.find("a:id", NS).text == (f"{base()}/api/v1/articles/low-blood-sugar/?locale=en")
    assert first.find("a:updated", NS).text
    summary = first.find("a:summary", NS)
    assert summary.get("type") == "html"
    assert summary.text.startswith("<p>What the result means and what happens next.</p>")
    assert "Last reviewed on" in summary.text
    assert first.find("pe:lastReviewed", NS).text.startswith("20")
    assert first.find("pe:reviewedBy/pe:name", NS).text == "Dr. Mei Chen"
    assert first.find("pe:reviewedBy/pe:credentials", NS).text == "MD"
    # The Flesch-Kincaid grade of the body every fixture article has (DEFAULT_BODY).
    assert first.find("pe:readingGrade", NS).text == "2.3"
    matched = first.find("pe:matchedCode", NS)
    assert (matched.get("system"), matched.get("code")) == ("icd10cm", "E11.649")
    assert first.find("pe:languageFallback", NS).text == "false"


def test_text_xml_and_atom_xml_both_ask_for_atom(ask, diabetes):
    for kind in ("text/xml", "application/atom+xml"):
        assert len(atom(ask("E11.649", knowledgeResponseType=kind)).findall("a:entry", NS)) == 3


def test_json_reads_as_a_medlineplus_connect_client_reads_it(ask, diabetes):
    body = ask_json(ask, "E11.649")

    feed = body["feed"]
    assert feed["title"]["_value"]
    assert feed["subtitle"]["_value"].endswith("ICD-10-CM E11.649")
    assert feed["author"]["name"]["_value"]
    assert feed["updated"]["_value"]
    assert {"scheme": "mainSearchCriteria.v.c", "term": "E11.649"} in feed["category"]
    entry = feed["entry"][0]
    assert entry["lang"] == "en"
    assert entry["title"] == {"_value": "Low blood sugar", "type": "text"}
    assert entry["link"] == [
        {
            "href": f"{base()}/en/low-blood-sugar/",
            "rel": "alternate",
            "type": "html",
            "title": "Low blood sugar",
        },
        {"href": f"{base()}/en/low-blood-sugar.pdf", "rel": "related", "type": "pdf"},
    ]
    assert entry["links"] == {
        "page": f"{base()}/en/low-blood-sugar/",
        "handout": f"{base()}/en/low-blood-sugar.pdf",
    }
    assert entry["id"]["_value"] == f"{base()}/api/v1/articles/low-blood-sugar/?locale=en"
    assert entry["updated"]["_value"]
    assert entry["summary"]["type"] == "html"
    assert entry["summary"]["_value"].startswith("<p>")
    # What this hospital's content adds to MedlinePlus Connect's shape.
    assert entry["reviewed_by"] == {"name": "Dr. Mei Chen", "credentials": "MD"}
    assert entry["last_reviewed_at"]
    assert isinstance(entry["reading_grade"], float)
    assert entry["matched_code"] == {"system": "icd10cm", "code": "E11.649"}
    assert entry["language_fallback"] is False


def test_jsonp_calls_the_callback_with_the_json_answer(ask, diabetes):
    response = ask("E11.649", knowledgeResponseType="application/javascript", callback="app.show")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.content.decode()
    wrapped = re.fullmatch(r"/\*\*/app\.show\((.*)\);", text, flags=re.S)
    assert wrapped, text[:200]
    assert titles(json.loads(wrapped[1]))[0] == "Low blood sugar"


@pytest.mark.parametrize(
    "callback",
    [
        "alert(1)//",
        "a b",
        "cb;alert(1)",
        "x['y']",
        "1abc",
        "",
        "a" * 65,
        "é",
    ],
)
def test_a_callback_that_is_not_a_plain_identifier_is_refused(ask, db, callback):
    response = ask("E11.9", knowledgeResponseType="application/javascript", callback=callback)

    assert "callback" in field_errors(assert_problem(response, 400))


def test_jsonp_without_a_callback_calls_the_default_one(ask, db):
    response = ask("E11.9", knowledgeResponseType="application/javascript")

    assert response.status_code == 200
    assert response.content.startswith(b"/**/callback({")


def test_an_unknown_response_type_is_refused(ask, db):
    response = ask("E11.9", knowledgeResponseType="text/html")

    assert "knowledgeResponseType" in field_errors(assert_problem(response, 400))


def test_the_accept_header_does_not_change_the_answer(ask, diabetes):
    response = ask("E11.649", HTTP_ACCEPT="text/html, application/xhtml+xml")

    assert len(atom(response).findall("a:entry", NS)) == 3


def test_text_that_looks_like_markup_stays_text_in_every_format(ask, live):
    live(
        "angle-brackets",
        title='Results < 5 & "high" > 9 </title><script>x</script>',
        summary="<b>bold</b> & more",
        codes=icd("R92.8"),
    )

    feed = atom(ask("R92.8"))
    body = ask_json(ask, "R92.8")

    title = 'Results < 5 & "high" > 9 </title><script>x</script>'
    assert feed.find("a:entry/a:title", NS).text == title
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in feed.find("a:entry/a:summary", NS).text
    assert titles(body) == [title]
    raw = ask("R92.8", knowledgeResponseType="application/json").content
    assert b"<script>" not in raw  # escaped inside JSON strings, as delivery documents are


# ------------------------------------------------------------------------------
# Matching
# ------------------------------------------------------------------------------
def test_icd10cm_codes_also_find_their_ancestors_most_specific_first(ask, diabetes):
    body = ask_json(ask, "E11.649")

    assert titles(body) == ["Low blood sugar", "Diabetes complications", "Understanding your A1C"]
    assert [e["matched_code"]["code"] for e in body["feed"]["entry"]] == ["E11.649", "E11.6", "E11"]
    assert titles(ask_json(ask, "E11.65")) == ["Diabetes complications", "Understanding your A1C"]
    assert titles(ask_json(ask, "E11")) == ["Understanding your A1C"]


def test_codes_are_found_with_or_without_the_dot_in_any_case(ask, diabetes):
    expected = titles(ask_json(ask, "E11.649"))

    for spelling in ("E11649", "e11.649", " e11 649 "):
        assert titles(ask_json(ask, spelling)) == expected, spelling


def test_snomed_ct_and_loinc_codes_are_found(ask, live, diabetes):
    live(
        "type-2-diabetes",
        title="Type 2 diabetes",
        codes=[{"system": "snomedct", "code": "44054006", "display": "Diabetes type 2"}],
    )

    assert titles(ask_json(ask, "44054006", cs=SNOMEDCT)) == ["Type 2 diabetes"]
    assert titles(ask_json(ask, "4548-4", cs=LOINC)) == ["Understanding your A1C"]
    # No hierarchy outside ICD-10-CM.
    assert titles(ask_json(ask, "4548-5", cs=LOINC)) == []


def test_an_oid_may_come_as_a_urn(ask, diabetes):
    assert titles(ask_json(ask, "E11", cs=f"urn:oid:{ICD10CM}")) == ["Understanding your A1C"]


def test_at_most_infobutton_max_entries(ask, live, diabetes, settings):
    live("more-on-lows", title="More on lows", codes=icd("E11.64"))

    assert len(titles(ask_json(ask, "E11.649"))) == 3  # of the 4 that match
    settings.INFOBUTTON_MAX_ENTRIES = 1
    assert titles(ask_json(ask, "E11.649")) == ["Low blood sugar"]


def test_the_same_article_never_appears_twice(ask, live, db):
    live("diabetes-basics", title="Diabetes basics", codes=icd("E11", "E11.6", "E11.649"))

    body = ask_json(ask, "E11.649")

    assert titles(body) == ["Diabetes basics"]
    assert body["feed"]["entry"][0]["matched_code"]["code"] == "E11.649"


def test_an_unpublished_article_disappears_from_the_answer(ask, diabetes, publisher):
    workflow.article_unpublish(actor=publisher, article=diabetes["low"], reason="Outdated.")

    assert titles(ask_json(ask, "E11.649")) == ["Diabetes complications", "Understanding your A1C"]


@pytest.mark.parametrize("code", ["E11.65", "Z99.89"])
def test_a_code_no_live_article_carries_is_an_empty_feed_not_a_404(ask, db, code):
    xml_response = ask(code)
    json_body = ask_json(ask, code)

    feed = atom(xml_response)
    assert feed.findall("a:entry", NS) == []
    assert feed.find("a:updated", NS).text
    assert feed.find("a:id", NS).text
    # Like MedlinePlus Connect's, an empty JSON feed has no `entry` at all.
    assert "entry" not in json_body["feed"]
    assert json_body["feed"]["title"]["_value"]


def test_a_draft_or_approved_article_is_never_an_answer(ask, staff, db):
    create_article(editor=staff["editor"], slug="draft-one", codes=icd("E11.9"))
    approved = create_article(editor=staff["editor"], slug="approved-one", codes=icd("E11.9"))
    approve(latest(approved), editor=staff["editor"], reviewer=staff["reviewer"])

    assert titles(ask_json(ask, "E11.9")) == []


# ------------------------------------------------------------------------------
# Language
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["sp", "es", "es-US", "ES-mx", "SP"])
def test_spanish_is_asked_for_with_sp_es_or_a_language_tag(ask, diabetes, language):
    body = ask_json(ask, "E11", **{"informationRecipient.languageCode.c": language})

    assert titles(body) == ["Entender su A1C"]
    entry = body["feed"]["entry"][0]
    assert entry["lang"] == "es"
    assert entry["language_fallback"] is False
    assert entry["link"][0]["href"].endswith("/es/entender-su-a1c/")
    assert body["feed"]["lang"] == "es"
    assert {"scheme": "informationRecipient.languageCode.c", "term": language} in body["feed"][
        "category"
    ]


def test_spanish_falls_back_to_english_where_no_translation_is_live_and_says_so(ask, diabetes):
    body = ask_json(ask, "E11.649", **{"informationRecipient.languageCode.c": "sp"})
    feed = atom(ask("E11.649", **{"informationRecipient.languageCode.c": "es"}))

    assert titles(body) == ["Low blood sugar", "Diabetes complications", "Entender su A1C"]
    assert [e["lang"] for e in body["feed"]["entry"]] == ["en", "en", "es"]
    assert [e["language_fallback"] for e in body["feed"]["entry"]] == [True, True, False]
    assert [e.get(XML_LANG) for e in feed.findall("a:entry", NS)] == ["en", "en", "es"]
    assert [e.find("pe:languageFallback", NS).text for e in feed.findall("a:entry", NS)] == [
        "true",
        "true",
        "false",
    ]


def test_an_unsupported_language_is_answered_in_english_and_says_so(ask, diabetes):
    body = ask_json(ask, "E11", **{"informationRecipient.languageCode.c": "fr-CA"})

    assert titles(body) == ["Understanding your A1C"]
    assert body["feed"]["lang"] == "en"
    assert body["feed"]["entry"][0]["lang"] == "en"
    assert body["feed"]["entry"][0]["language_fallback"] is True


def test_english_is_the_default_language(ask, diabetes):
    body = ask_json(ask, "E11")

    assert titles(body) == ["Understanding your A1C"]
    assert body["feed"]["entry"][0]["language_fallback"] is False


@pytest.mark.parametrize("language", ["e$", "english language", "-es", "es_US", "x" * 9])
def test_a_malformed_language_is_refused_naming_the_parameter(ask, db, language):
    response = ask("E11", **{"informationRecipient.languageCode.c": language})

    assert "informationRecipient.languageCode.c" in field_errors(assert_problem(response, 400))


# ------------------------------------------------------------------------------
# The other parameters
# ------------------------------------------------------------------------------
def test_the_other_infobutton_parameters_are_accepted_and_echoed(ask, diabetes):
    others = {
        "mainSearchCriteria.v.dn": "Type 2 diabetes mellitus with hypoglycemia",
        "informationRecipient": "PAT",
        "patientPerson.administrativeGenderCode.c": "F",
        "age.v.v": "57",
        "age.v.u": "a",
        "taskContext.c.c": "PROBLISTREV",
        "performer": "PROV",
    }

    body = ask_json(ask, "E11.649", **others)
    feed = atom(ask("E11.649", **others))

    assert len(titles(body)) == 3
    for scheme, term in others.items():
        assert {"scheme": scheme, "term": term} in body["feed"]["category"]
    echoed = {(c.get("scheme"), c.get("term")) for c in feed.findall("a:category", NS)}
    assert set(others.items()) <= echoed


def test_echoed_parameters_are_never_an_error_and_echo_without_control_characters(ask, db):
    response = ask(
        "E11",
        knowledgeResponseType="application/json",
        **{"mainSearchCriteria.v.dn": "bad\x01name\u202e\uffff", "age.v.v": "4" * 500},
    )

    categories = {c["scheme"]: c["term"] for c in response.json()["feed"]["category"]}
    assert response.status_code == 200
    assert categories["mainSearchCriteria.v.dn"] == "badname"
    assert categories["age.v.v"] == "4" * 200
    atom = ask("E11", **{"mainSearchCriteria.v.dn": "bad\x01name\uffff"})
    assert ET.fromstring(atom.content).find("a:category[@term='badname']", NS) is not None


def test_a_missing_code_is_refused_naming_the_parameter(ask, db):
    assert "mainSearchCriteria.v.c" in field_errors(assert_problem(ask(code=None), 400))


def test_a_missing_code_system_is_refused_naming_the_parameter(ask, db):
    assert "mainSearchCriteria.v.cs" in field_errors(assert_problem(ask(cs=None), 400))


def test_an_unsupported_code_system_is_refused_listing_the_supported_ones(ask, db):
    # RxNorm: MedlinePlus Connect answers drugs, this service does not (yet).
    body = assert_problem(ask("197361", cs="2.16.840.1.113883.6.88"), 400)

    message = field_errors(body)["mainSearchCriteria.v.cs"]["message"]
    assert "2.16.840.1.113883.6.88" in message
    for oid, name in ((ICD10CM, "ICD-10-CM"), (SNOMEDCT, "SNOMED CT"), (LOINC, "LOINC")):
        assert f"{oid} ({name})" in message


@pytest.mark.parametrize(("code", "cs"), [("E11.65.1", ICD10CM), ("diabetes", SNOMEDCT)])
def test_a_code_that_cannot_be_one_of_its_system_finds_nothing(ask, diabetes, code, cs):
    response = ask(code, cs=cs, knowledgeResponseType="application/json")

    assert response.status_code == 200
    assert "entry" not in response.json()["feed"]


@pytest.mark.parametrize("code", ["E11<65", "E11.65;", "'", "   "])
def test_a_code_with_characters_no_code_has_is_refused(ask, db, code):
    assert "mainSearchCriteria.v.c" in field_errors(assert_problem(ask(code), 400))


# ------------------------------------------------------------------------------
# Links
# ------------------------------------------------------------------------------
def test_entries_link_to_where_patients_read_the_article(ask, diabetes, settings):
    settings.ARTICLE_PUBLIC_URL = "https://www.hospital.example/health/{locale}/{slug}/"

    english = ask_json(ask, "E11")
    spanish = ask_json(ask, "E11", **{"informationRecipient.languageCode.c": "es"})
    feed = atom(ask("E11"))

    assert english["feed"]["entry"][0]["link"][0]["href"] == (
        "https://www.hospital.example/health/en/understanding-your-a1c/"
    )
    assert spanish["feed"]["entry"][0]["link"][0]["href"] == (
        "https://www.hospital.example/health/es/entender-su-a1c/"
    )
    assert feed.find("a:entry/a:link", NS).get("href") == (
        "https://www.hospital.example/health/en/understanding-your-a1c/"
    )
    # The entry's id stays the article's permanent address in this service.
    assert english["feed"]["entry"][0]["id"]["_value"].startswith(f"{base()}/api/v1/")


# ------------------------------------------------------------------------------
# Access and caching
# ------------------------------------------------------------------------------
def test_a_key_with_the_delivery_scope_is_needed(db):
    params = {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "E11"}
    client = APIClient()

    assert_problem(client.get(URL, params), 401)
    assert_problem(client.get(URL, params, **key_header(api_key("preview"))), 403)
    assert client.get(URL, params, **key_header(api_key("delivery"))).status_code == 200


def test_infobutton_public_opens_this_endpoint_alone(db, settings):
    settings.INFOBUTTON_PUBLIC = True
    params = {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "E11"}
    client = APIClient()

    response = client.get(URL, params)

    assert response.status_code == 200
    assert "Vary" not in response or "Authorization" not in response["Vary"]
    assert_problem(client.get("/api/v1/articles/"), 401)
    assert_problem(client.get("/api/v1/topics/"), 401)
    assert_problem(client.get("/api/v1/changes/"), 401)


def test_delivery_public_opens_it_too(db, settings):
    settings.DELIVERY_PUBLIC = True
    params = {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "E11"}

    assert APIClient().get(URL, params).status_code == 200


def test_with_keys_shared_caches_keep_one_copy_per_key(ask, db):
    assert "Authorization" in ask("E11")["Vary"]


def test_the_answer_is_cacheable_and_revalidates_with_its_etag(ask, diabetes):
    first = ask("E11.649", knowledgeResponseType="application/json")
    again = ask(
        "E11.649", knowledgeResponseType="application/json", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    other_format = ask("E11.649", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert other_format.status_code == 200  # the Atom answer is other bytes


def test_the_etag_changes_when_an_answer_changes(ask, diabetes, publisher):
    before = ask("E11.649")["ETag"]
    workflow.article_unpublish(actor=publisher, article=diabetes["low"], reason="Outdated.")

    assert ask("E11.649", HTTP_IF_NONE_MATCH=before).status_code == 200


def test_a_new_answer_takes_two_queries_and_an_empty_one_three(
    db, diabetes, settings, django_assert_num_queries
):
    settings.INFOBUTTON_PUBLIC = True
    client = APIClient()
    params = {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "E11.649"}

    # The live set's generation (the cache key), then the matches chosen and their stored
    # documents, together.
    with django_assert_num_queries(2):
        assert client.get(URL, params).status_code == 200
    # No match, then when the live library last changed (the empty feed's `updated`).
    with django_assert_num_queries(3):
        assert client.get(URL, {**params, "mainSearchCriteria.v.c": "Z99.89"}).status_code == 200


@pytest.mark.parametrize(
    "template",
    [
        "https://www.hospital.example/health/{locale}/",  # no {slug}
        "https://www.hospital.example/{slug}/{topic}/",  # a field it does not fill
        "https://www.hospital.example/{slug",  # not a template
        "/health/{slug}/",  # not absolute
    ],
)
def test_a_wrong_article_public_url_stops_the_start_up(monkeypatch, template):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import _url_template

    monkeypatch.setenv("ARTICLE_PUBLIC_URL", template)

    with pytest.raises(ImproperlyConfigured, match="ARTICLE_PUBLIC_URL"):
        _url_template("ARTICLE_PUBLIC_URL")


def test_an_empty_article_public_url_means_the_delivery_url(monkeypatch):
    from config.settings import _url_template

    monkeypatch.setenv("ARTICLE_PUBLIC_URL", "")

    assert _url_template("ARTICLE_PUBLIC_URL") == ""


# ------------------------------------------------------------------------------
# The answer cache
# ------------------------------------------------------------------------------
def test_a_repeated_question_is_answered_from_the_cache_with_one_query(
    ask, diabetes, settings, django_assert_num_queries
):
    settings.INFOBUTTON_PUBLIC = True  # no key to look up: only the answer's own queries
    first = ask("E11.649", HTTP_AUTHORIZATION="")

    with django_assert_num_queries(1):  # the newest change event's id, nothing else
        again = ask("E11.649", HTTP_AUTHORIZATION="")

    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_any_change_to_the_live_set_reaches_the_next_answer(ask, diabetes, live, publisher):
    before = titles(ask_json(ask, "E11.649"))
    live(
        "new-on-diabetes",
        title="Insulin pens",
        codes=[{"system": "icd10cm", "code": "E11.649", "display": "Hypoglycemia"}],
    )
    added = titles(ask_json(ask, "E11.649"))
    workflow.article_unpublish(actor=publisher, article=diabetes["a1c"], reason="Outdated")
    removed = titles(ask_json(ask, "E11"))

    assert "Insulin pens" not in before
    assert added[0] == "Insulin pens"
    assert "Understanding your A1C" not in removed


def test_an_invalid_question_is_never_cached(ask, db):
    for _ in range(2):
        assert "mainSearchCriteria.v.cs" in field_errors(assert_problem(ask(cs="1.2.3"), 400))
