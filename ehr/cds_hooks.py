"""CDS Hooks 2.0 (`patient-view`): the patient's conditions in, cards linking to live articles
out. The prefetched FHIR R4 Bundle is read with fhir.resources' models, and conditions are
matched to articles by the one ranking the Infobutton endpoint uses too (`ehr.ranking`).

Pure functions: `ehr.answers.cds_hooks_cards` runs the queries between `condition_codes` and
`card_for`.
"""

import html
import uuid
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.conf import settings
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from pydantic import ValidationError

from ehr import infobutton
from ehr.ranking import Answer

SERVICE_ID = "patient-education"
HOOK = "patient-view"
PREFETCH_KEY = "conditions"
PREFETCH_QUERY = "Condition?patient={{context.patientId}}&clinical-status=active"
SUMMARY_MAX = 139  # CDS Hooks: "<140 characters"
# Entries of the prefetched Bundle read at most: a patient's current conditions, with room to
# spare, and a bound on the time one call may take (bench/README.md has the measurement).
MAX_ENTRIES = 250

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
                    "LOINC codes). It reads the conditions from the prefetch only and does "
                    "not call the EHR's FHIR server: without the prefetch it answers no cards."
                ),
                "prefetch": {PREFETCH_KEY: PREFETCH_QUERY},
            }
        ]
    }


class InvalidPrefetch(ValueError):
    """The prefetch is not a FHIR Bundle of Condition resources; the message says why."""


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
    its codings in the systems articles use, each followed by its ICD-10-CM ancestors.

    Raises InvalidPrefetch when `bundle` is not a FHIR R4 Bundle whose resources are all
    Conditions (a search's OperationOutcome entries aside). Codings in other systems, or
    whose code is not valid in its system, are skipped.
    """
    if not isinstance(bundle, dict):
        raise InvalidPrefetch("Must be a FHIR Bundle (a JSON object).")
    if bundle.get("resourceType") != "Bundle":
        raise InvalidPrefetch(
            f"Must be a FHIR Bundle of Condition resources, not {bundle.get('resourceType')!r}."
        )
    entries = bundle.get("entry")
    if isinstance(entries, list) and len(entries) > MAX_ENTRIES:
        # Counted before the Bundle is parsed: parsing is what a huge one would make slow.
        raise InvalidPrefetch(
            f"The Bundle has {len(entries):,} entries; this service reads at most "
            f"{MAX_ENTRIES} per call. Send the patient's current conditions only (e.g. "
            "`Condition?patient={{context.patientId}}&clinical-status=active`)."
        )
    try:
        parsed = Bundle.model_validate(bundle)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidPrefetch(f"Not a valid FHIR R4 Bundle: {where}: {first['msg']}") from exc
    except (LookupError, ValueError, TypeError) as exc:
        # fhir.resources raises KeyError for a resourceType FHIR R4 does not have.
        raise InvalidPrefetch(f"Not a valid FHIR R4 Bundle: unknown resource ({exc}).") from exc
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
                f"entry[{index}] is a {kind}: the prefetch must hold Condition resources only."
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


def choose(answers: Sequence[Answer]) -> list[int]:
    """The article of each condition's card, in the conditions' order: the best answer to it
    (`ehr.ranking`, best first per condition) whose article, or a translation of it, no
    earlier condition took. A condition whose answers were all taken gets no card."""
    used: set[UUID] = set()
    taken: set[int] = set()
    chosen: list[int] = []
    for answer in answers:
        if answer.question in taken or answer.translation_group in used:
            continue
        taken.add(answer.question)
        used.add(answer.translation_group)
        chosen.append(answer.article_id)
    return chosen


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def card_template(document: dict[str, Any]) -> dict[str, Any]:
    """A CDS Hooks card linking to one live article (its delivery detail JSON), but the
    per-call `uuid` (`card_for`)."""
    url = infobutton.article_public_url(document["slug"], document["locale"])
    # Markdown; angle brackets and ampersands escaped so that no EHR renders them as HTML.
    detail = html.escape(document["summary"], quote=False)
    if document.get("review_statement"):
        detail += "\n\n" + html.escape(document["review_statement"], quote=False)
    return {
        "summary": _short(f"Patient education: {document['title']}", SUMMARY_MAX),
        "detail": detail,
        "indicator": "info",
        "source": {"label": settings.PUBLISHER_NAME, "url": settings.PUBLIC_BASE_URL},
        "links": [{"label": document["title"], "url": url, "type": "absolute"}],
    }


def card_for(template: dict[str, Any], *, hook_instance: str) -> dict[str, Any]:
    """The card for this hook call: its `uuid` names the call and the article."""
    url = template["links"][0]["url"]
    return {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{hook_instance} {url}")), **template}
