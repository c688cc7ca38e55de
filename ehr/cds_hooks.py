"""CDS Hooks 2.0 (`patient-view`): the patient's conditions and language in, cards linking to
live articles out. The prefetched FHIR R4 resources are read with fhir.resources' models, and
conditions are matched to articles by the one ranking the Infobutton endpoint uses too
(`ehr.ranking`), in the patient's language as Infobutton reads a language (`ehr.infobutton`).

Pure functions: `ehr.answers.cds_hooks_cards` runs the queries between `condition_codes` (and
`patient_language`) and `card_for`.
"""

import html
import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils.translation import get_language_info
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from delivery.rendering import public_links
from ehr import infobutton
from ehr.ranking import Answer

SERVICE_ID = "patient-education"
HOOK = "patient-view"
# The prefetch templates, by key: the EHR sends each query's result under its key.
CONDITIONS = "conditions"
PATIENT = "patient"
PREFETCH = {
    CONDITIONS: "Condition?patient={{context.patientId}}&clinical-status=active",
    PATIENT: "Patient/{{context.patientId}}",
}
SUMMARY_MAX = 139  # CDS Hooks: "<140 characters"
# Entries of the prefetched Bundle read at most: a patient's current conditions, with room to
# spare, and a bound on the time one call may take (bench/README.md has the measurement).
MAX_ENTRIES = 250

# Patient.communication.language codings read as language tags: BCP 47, the system FHIR R4
# binds it to. A coding without a system, or the concept's text, counts only when it is a
# plain tag (`es`, `es-MX`), so that a name such as "Spanish" is never read as a tag.
BCP_47 = "urn:ietf:bcp:47"
_PLAIN_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

# The names of the fields a card's `extension` carries. CDS Hooks reserves `extension` for
# implementations and asks for globally unique names; these are fixed, so an EHR can rely on
# them whichever hospital answers (as on Infobutton's `urn:x-patient-education:infobutton:1`).
EXTENSION_PREFIX = "x-patient-education."
# The label of a card's second link, to the article's printable handout.
HANDOUT_LABEL = "Printable handout (PDF)"

# Conditions the EHR says are not (or no longer) the patient's: no card for them.
_NOT_CURRENT = {
    "clinical": {"inactive", "remission", "resolved"},
    "verification": {"refuted", "entered-in-error"},
}


def discovery() -> dict[str, Any]:
    """The CDS Hooks discovery document: one service for the `patient-view` hook."""
    return {
        "services": [
            {
                "hook": HOOK,
                "id": SERVICE_ID,
                "title": "Patient education for the patient's conditions",
                "description": (
                    "Cards linking to this hospital's clinically reviewed patient-education "
                    "articles for the patient's active conditions (ICD-10-CM, SNOMED CT, "
                    "LOINC codes), in the patient's preferred language where a current "
                    "translation is live, else in English, saying so. It reads the conditions "
                    "and the patient from the prefetch only and does not call the EHR's FHIR "
                    "server: without the conditions it answers no cards, without the patient "
                    "it answers in English."
                ),
                "prefetch": dict(PREFETCH),
            }
        ]
    }


class InvalidPrefetch(ValueError):
    """A prefetched value is not the FHIR resource its template asks for; the message says
    why, and `key` names the prefetch."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _model_error(key: str, kind: str, exc: Exception) -> InvalidPrefetch:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return InvalidPrefetch(key, f"Not a valid FHIR R4 {kind}: {where}: {first['msg']}")
    # fhir.resources raises KeyError for a resourceType FHIR R4 does not have.
    return InvalidPrefetch(key, f"Not a valid FHIR R4 {kind}: unknown resource ({exc}).")


def _codes_of(coding_lists: Sequence[Any]) -> list[str]:
    return [c.code for concept in coding_lists for c in (concept.coding or []) if c.code]


def _current(condition: Condition) -> bool:
    clinical = _codes_of([condition.clinicalStatus] if condition.clinicalStatus else [])
    verification = _codes_of([condition.verificationStatus] if condition.verificationStatus else [])
    return not (
        _NOT_CURRENT["clinical"] & set(clinical) or _NOT_CURRENT["verification"] & set(verification)
    )


def condition_codes(bundle: Any) -> list[list[tuple[str, str]]]:
    """For each current Condition of the prefetched Bundle, in order, the codes to look for:
    its codings in the systems articles use, each followed by its ICD-10-CM ancestors. None
    (no prefetch, or the EHR could not fetch it) is no conditions.

    Raises InvalidPrefetch when `bundle` is not a FHIR R4 Bundle whose resources are all
    Conditions (a search's OperationOutcome entries aside). Codings in other systems, or
    whose code is not valid in its system, are skipped.
    """
    if bundle is None:
        return []
    if not isinstance(bundle, dict):
        raise InvalidPrefetch(CONDITIONS, "Must be a FHIR Bundle (a JSON object).")
    if bundle.get("resourceType") != "Bundle":
        raise InvalidPrefetch(
            CONDITIONS,
            f"Must be a FHIR Bundle of Condition resources, not {bundle.get('resourceType')!r}.",
        )
    entries = bundle.get("entry")
    if isinstance(entries, list) and len(entries) > MAX_ENTRIES:
        # Counted before the Bundle is parsed: parsing is what a huge one would make slow.
        raise InvalidPrefetch(
            CONDITIONS,
            f"The Bundle has {len(entries):,} entries; this service reads at most "
            f"{MAX_ENTRIES} per call. Send the patient's current conditions only (e.g. "
            f"`{PREFETCH[CONDITIONS]}`).",
        )
    try:
        parsed = Bundle.model_validate(bundle)
    except (LookupError, ValueError, TypeError) as exc:  # pydantic's ValidationError too
        raise _model_error(CONDITIONS, "Bundle", exc) from exc
    conditions: list[list[tuple[str, str]]] = []
    for index, item in enumerate(parsed.entry or []):
        resource = item.resource
        if resource is None:
            continue
        kind = resource.get_resource_type()
        if kind == "OperationOutcome" and item.search and item.search.mode == "outcome":
            continue  # the server's notes on the search, not a resource found
        if not isinstance(resource, Condition):
            raise InvalidPrefetch(
                CONDITIONS,
                f"entry[{index}] is a {kind}: the prefetch must hold Condition resources only.",
            )
        if not _current(resource):
            continue
        codes: list[tuple[str, str]] = []
        for coding in (resource.code.coding or []) if resource.code else []:
            system = infobutton.FHIR_SYSTEMS.get((coding.system or "").rstrip("/"))
            if system is None or not coding.code:
                continue
            for code in infobutton.codes_to_try(system, coding.code) or []:
                if (system, code) not in codes:
                    codes.append((system, code))
        if codes:
            conditions.append(codes)
    return conditions


def _language_tags(concept: CodeableConcept) -> Iterator[str]:
    """The language tags a `communication.language` names, in order: its BCP 47 codings,
    codings without a system that are plain tags, then its text if that is a plain tag."""
    for coding in concept.coding or []:
        code = (coding.code or "").strip()
        if (coding.system == BCP_47 and code) or (not coding.system and _PLAIN_TAG.match(code)):
            yield code
    text = (concept.text or "").strip()
    if _PLAIN_TAG.match(text):
        yield text


def patient_language(patient: Any) -> infobutton.Language:
    """The language to answer in for the prefetched Patient: of its `communication`
    languages, the `preferred` ones first and the others in order, the first that the library
    has articles in (`CONTENT_LOCALES`, read as Infobutton reads a language). A patient none
    of whose languages it has is answered in the default locale, and the cards say so. None
    (no prefetch, or the EHR could not fetch it), or no language, is the default locale.

    Raises InvalidPrefetch when `patient` is not a valid FHIR R4 Patient resource.
    """
    if patient is None:
        return infobutton.language(None)
    if not isinstance(patient, dict):
        raise InvalidPrefetch(PATIENT, "Must be a FHIR Patient resource (a JSON object).")
    if patient.get("resourceType") != "Patient":
        raise InvalidPrefetch(
            PATIENT, f"Must be a FHIR Patient resource, not {patient.get('resourceType')!r}."
        )
    try:
        parsed = Patient.model_validate(patient)
    except (LookupError, ValueError, TypeError) as exc:  # pydantic's ValidationError too
        raise _model_error(PATIENT, "Patient", exc) from exc
    # A stable sort: the preferred languages first, each group in the order the EHR gave.
    communications = sorted(parsed.communication or [], key=lambda c: c.preferred is not True)
    unsupported: list[infobutton.Language] = []
    for communication in communications:
        for tag in _language_tags(communication.language):
            lang = infobutton.language(tag)
            if lang is None:
                continue
            if lang.locale == lang.requested:
                return lang
            unsupported.append(lang)
    return unsupported[0] if unsupported else infobutton.language(None)


def choose(answers: Sequence[Answer]) -> list[Answer]:
    """The article of each condition's card, in the conditions' order: the best answer to it
    (`ehr.ranking`, best first per condition) whose article, or a translation of it, no
    earlier condition took. A condition whose answers were all taken gets no card."""
    used: set[UUID] = set()
    taken: set[int] = set()
    chosen: list[Answer] = []
    for answer in answers:
        if answer.question in taken or answer.translation_group in used:
            continue
        taken.add(answer.question)
        used.add(answer.translation_group)
        chosen.append(answer)
    return chosen


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return f"the patient's language ({code})"


def language_note(
    *, locale: str, requested: str, translation: dict[str, Any] | None, translation_updating: bool
) -> str:
    """The sentence (in English, like the rest of the card's own words) telling the clinician
    that a card is not in the patient's language, or is an outdated translation; "" when it
    is neither. `translation` is the document's (`status`, `source_locale`)."""
    shown = _language_name(locale)
    if locale == requested:
        if not translation or translation.get("status") != "outdated":
            return ""
        source = _language_name(translation["source_locale"])
        return (
            f"This {shown} translation is outdated: the {source} article it translates has "
            "changed since."
        )
    wanted = _language_name(requested)
    if translation_updating:
        return f"The {wanted} translation is being updated; shown in {shown}."
    if requested not in settings.CONTENT_LOCALES:
        return f"This library has no articles in {wanted}; shown in {shown}."
    return f"This article is not yet available in {wanted}; shown in {shown}."


def card_template(
    document: dict[str, Any],
    *,
    requested: str | None = None,
    translation_updating: bool = False,
) -> dict[str, Any]:
    """A CDS Hooks card linking to one live article (its delivery detail JSON), but the
    per-call `uuid` (`card_for`).

    `requested` is the language the patient was to be answered in (the default locale if not
    given); `translation_updating`, that the article stands in for an outdated translation
    into it (`ehr.ranking.Answer`). A card in another language, or an outdated translation,
    says so in its `detail`, and every card says its language in its `extension`.
    """
    requested = requested or settings.DEFAULT_CONTENT_LOCALE
    locale = document["locale"]
    translation = document.get("translation")
    updating = translation_updating and locale != requested
    links = public_links(document["slug"], locale)
    # Markdown; angle brackets and ampersands escaped so that no EHR renders them as HTML.
    detail = html.escape(document["summary"], quote=False)
    if document.get("review_statement"):
        detail += "\n\n" + html.escape(document["review_statement"], quote=False)
    note = language_note(
        locale=locale, requested=requested, translation=translation, translation_updating=updating
    )
    if note:
        detail += "\n\n" + note
    return {
        "summary": _short(f"Patient education: {document['title']}", SUMMARY_MAX),
        "detail": detail,
        "indicator": "info",
        "source": {"label": settings.PUBLISHER_NAME, "url": settings.PUBLIC_BASE_URL},
        # CDS Hooks defines `links` as a list of labelled links: the page first (a card's
        # `uuid` is made from it), then the handout; the `links` extension names them.
        "links": [
            {"label": document["title"], "url": links["page"], "type": "absolute"},
            *(
                [{"label": HANDOUT_LABEL, "url": links["handout"], "type": "absolute"}]
                if links["handout"]
                else []
            ),
        ],
        "extension": {
            f"{EXTENSION_PREFIX}language": locale,
            f"{EXTENSION_PREFIX}language_requested": requested,
            f"{EXTENSION_PREFIX}language_fallback": locale != requested,
            f"{EXTENSION_PREFIX}translation_status": (translation or {}).get("status"),
            f"{EXTENSION_PREFIX}translation_updating": updating,
            f"{EXTENSION_PREFIX}links": links,
        },
    }


def card_for(template: dict[str, Any], *, hook_instance: str) -> dict[str, Any]:
    """The card for this hook call: its `uuid` names the call and the article."""
    url = template["links"][0]["url"]
    return {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{hook_instance} {url}")), **template}
