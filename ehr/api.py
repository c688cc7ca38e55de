"""The endpoints EHRs call: HL7 Infobutton (a drop-in for MedlinePlus Connect) and CDS Hooks.

Read-only, like the rest of delivery: a `delivery` key, or open with DELIVERY_PUBLIC or
INFOBUTTON_PUBLIC. The request and answer formats live in `ehr/infobutton.py` and
`ehr/cds_hooks.py`; which documents answer, in `ehr/ranking.py` (through `ehr/answers.py`).
"""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from contentapi import schema
from contentapi.authentication import IntegratorKeyAuthentication
from contentapi.conditional import if_none_match_hits
from contentapi.fields import EchoedTextField, StrictCharField
from contentapi.inputs import validated
from contentapi.models import Scope
from contentapi.permissions import EhrIsPublic, HasScope
from delivery.answers import cached_answer
from delivery.api.views import (
    DELIVERY_ERRORS,
    JSON,
    NOT_MODIFIED,
    DeliveryView,
    public_cache_control,
)
from delivery.codes import CodeSystem
from delivery.rendering import etag_of
from ehr import answers, cds_hooks, infobutton
from ehr.authentication import CdsHooksJwtAuthentication

ATOM = "application/atom+xml"
JAVASCRIPT = "application/javascript"
# knowledgeResponseType -> the media type of the answer.
RESPONSE_TYPES = {
    "text/xml": ATOM,
    "application/atom+xml": ATOM,
    JSON: JSON,
    JAVASCRIPT: JAVASCRIPT,
}


class FormatFromQuery(BaseContentNegotiation):
    """The answer's format comes from `knowledgeResponseType`, never from Accept: EHRs send
    all sorts of Accept headers, and a 406 would leave the clinician with nothing."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class EhrView(DeliveryView):
    permission_classes = [EhrIsPublic | HasScope.of(Scope.DELIVERY)]
    position_params = ()  # EHRs ask by code, not after a feed's change

    def is_public(self) -> bool:
        return settings.DELIVERY_PUBLIC or settings.INFOBUTTON_PUBLIC


# ------------------------------------------------------------------------------
# HL7 Infobutton, as MedlinePlus Connect answers it
# ------------------------------------------------------------------------------
# Parameters EHRs send that change nothing yet: accepted and echoed as categories.
ECHOED = (
    "mainSearchCriteria.v.dn",
    "informationRecipient",
    "patientPerson.administrativeGenderCode.c",
    "age.v.v",
    "age.v.u",
    "taskContext.c.c",
    "performer",
)


def _echoed(name: str) -> EchoedTextField:
    # The name's dots would read as a nested source; "informationRecipient" has none.
    source = {"source": name.replace(".", "_")} if "." in name else {}
    return EchoedTextField(
        **source,
        required=False,
        help_text="Accepted and echoed as a category (without control characters, cut to 200 "
        "characters); changes nothing yet.",
    )


class InfobuttonQuerySerializer(serializers.Serializer):
    """The HL7 Infobutton URL-based request, as MedlinePlus Connect reads it."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # The parameters' names have dots, which DRF would read as nested sources.
        supported = ", ".join(f"{oid} ({label})" for oid, label in _SUPPORTED)
        return {
            "mainSearchCriteria.v.cs": serializers.ChoiceField(
                source="cs",
                choices=[*infobutton.OIDS, *(f"urn:oid:{oid}" for oid in infobutton.OIDS)],
                help_text=f"The code system's HL7 OID: {supported}.",
                error_messages={
                    "invalid_choice": "Unsupported code system {input!r}; supported: "
                    + supported
                    + "."
                },
            ),
            "mainSearchCriteria.v.c": serializers.RegexField(
                infobutton.CODE_PARAMETER_PATTERN,
                source="c",
                max_length=40,
                error_messages={
                    "invalid": "A code has only letters, digits, dots, hyphens and spaces."
                },
                help_text="The code, e.g. `E11.65` (ICD-10-CM, with or without its dot: "
                "`E1165`), `44054006` (SNOMED CT), `4548-4` (LOINC). An ICD-10-CM code also "
                "finds articles coded with its ancestors (`E11.6`, `E11`), most specific first.",
            ),
            "informationRecipient.languageCode.c": serializers.RegexField(
                infobutton.LANGUAGE_PATTERN,
                source="language",
                required=False,
                allow_blank=True,
                max_length=35,
                error_messages={
                    "invalid": "Must be a language code such as `en`, `es`, `sp` or `es-US`."
                },
                help_text="`en` (default), `es` or `sp` (Spanish), or an RFC 5646 tag such as "
                "`es-US`. Articles not live in that language are given in English, and each "
                "entry's `lang` says which language it is in.",
            ),
            "knowledgeResponseType": serializers.ChoiceField(
                source="response_type",
                choices=list(RESPONSE_TYPES),
                required=False,
                default="text/xml",
                help_text="`text/xml` (default; Atom XML, sent as `application/atom+xml`), "
                "`application/json`, or `application/javascript` (JSONP, with `callback`).",
            ),
            "callback": serializers.RegexField(
                infobutton.CALLBACK_PATTERN,
                required=False,
                default=infobutton.DEFAULT_CALLBACK,
                max_length=200,
                help_text="JSONP: the function to call, a plain JavaScript identifier or "
                f"dotted path (`showArticles`, `app.show`); `{infobutton.DEFAULT_CALLBACK}` "
                "if not given.",
                error_messages={
                    "invalid": "Must be a plain JavaScript identifier or dotted path of them "
                    "(letters, digits, `_` and `$`)."
                },
            ),
            **{name: _echoed(name) for name in ECHOED},
        }

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # Every refusal is one the schema states (the enum and patterns above). A code whose
        # shape belongs to another system than the one named is no code of that system:
        # nothing matches it, an empty feed.
        system = infobutton.system_for_oid(data["cs"])
        codes = infobutton.codes_to_try(system, data["c"]) or []
        return {
            **data,
            "system": system,
            "codes": codes,
            "lang": infobutton.language(data.get("language")),
        }


_SUPPORTED = [(oid, CodeSystem(system).label) for oid, system in infobutton.OIDS.items()]

_ATOM_EXAMPLE = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:pe="urn:x-patient-education:infobutton:1" \
xml:lang="en">
  <title type="text">Patient-education library</title>
  <subtitle type="text">Patient-education library results for ICD-10-CM E11.65</subtitle>
  <author><name>Patient-education library</name><uri>https://content.hospital.example</uri>\
</author>
  <updated>2026-11-20T14:05:00Z</updated>
  <id>https://content.hospital.example/api/v1/infobutton/?mainSearchCriteria.v.cs=\
2.16.840.1.113883.6.90&amp;mainSearchCriteria.v.c=E11.65&amp;\
informationRecipient.languageCode.c=en</id>
  <category scheme="mainSearchCriteria.v.cs" term="2.16.840.1.113883.6.90" />
  <category scheme="mainSearchCriteria.v.c" term="E11.65" />
  <entry xml:lang="en">
    <title type="text">Understanding your A1C (hemoglobin A1C) test</title>
    <link href="https://www.hospital.example/health/en/understanding-your-a1c/" \
rel="alternate" type="text/html" title="Understanding your A1C (hemoglobin A1C) test" />
    <link href="https://content.hospital.example/en/understanding-your-a1c.pdf" \
rel="related" type="application/pdf" />
    <id>https://content.hospital.example/api/v1/articles/understanding-your-a1c/?locale=en</id>
    <updated>2026-11-20T14:05:00Z</updated>
    <summary type="html">&lt;p&gt;The hemoglobin A1C blood test shows your average blood \
sugar.&lt;/p&gt;</summary>
    <pe:lastReviewed>2026-11-19T16:30:00Z</pe:lastReviewed>
    <pe:reviewedBy><pe:name>Dr. Chidi Okafor</pe:name><pe:credentials>MD, endocrinologist\
</pe:credentials></pe:reviewedBy>
    <pe:readingGrade>6.2</pe:readingGrade>
    <pe:matchedCode system="icd10cm" code="E11" />
    <pe:languageFallback>false</pe:languageFallback>
  </entry>
</feed>
"""

_JSON_EXAMPLE = {
    "feed": {
        "base": "https://content.hospital.example/",
        "lang": "es",
        "title": {"_value": "Patient-education library", "type": "text"},
        "updated": {"_value": "2026-11-20T14:05:00Z"},
        "id": {
            "_value": "https://content.hospital.example/api/v1/infobutton/?mainSearchCriteria."
            "v.cs=2.16.840.1.113883.6.1&mainSearchCriteria.v.c=4548-4&"
            "informationRecipient.languageCode.c=es"
        },
        "author": {
            "name": {"_value": "Patient-education library"},
            "uri": {"_value": "https://content.hospital.example"},
        },
        "category": [
            {"scheme": "mainSearchCriteria.v.cs", "term": "2.16.840.1.113883.6.1"},
            {"scheme": "mainSearchCriteria.v.c", "term": "4548-4"},
            {"scheme": "informationRecipient.languageCode.c", "term": "sp"},
        ],
        "subtitle": {
            "_value": "Patient-education library results for LOINC 4548-4",
            "type": "text",
        },
        "entry": [
            {
                "lang": "es",
                "title": {"_value": "Entender su prueba de A1C", "type": "text"},
                "link": [
                    {
                        "href": "https://www.hospital.example/health/es/entender-su-a1c/",
                        "rel": "alternate",
                        "type": "html",
                        "title": "Entender su prueba de A1C",
                    },
                    {
                        "href": "https://content.hospital.example/es/entender-su-a1c.pdf",
                        "rel": "related",
                        "type": "pdf",
                    },
                ],
                "links": {
                    "page": "https://www.hospital.example/health/es/entender-su-a1c/",
                    "handout": "https://content.hospital.example/es/entender-su-a1c.pdf",
                },
                "id": {
                    "_value": "https://content.hospital.example/api/v1/articles/"
                    "entender-su-a1c/?locale=es"
                },
                "updated": {"_value": "2026-11-20T14:05:00Z"},
                "summary": {"_value": "<p>La prueba de A1C muestra ...</p>", "type": "html"},
                "last_reviewed_at": "2026-11-19T16:30:00Z",
                "reviewed_by": {"name": "Dr. Chidi Okafor", "credentials": "MD"},
                "reading_grade": 6.8,
                "matched_code": {"system": "loinc", "code": "4548-4"},
                "language_fallback": False,
                "translation_status": "current",
                "translation_updating": False,
            }
        ],
    }
}


class Infobutton(EhrView):
    content_negotiation_class = FormatFromQuery

    @extend_schema(
        operation_id="infobutton",
        tags=["ehr"],
        summary="Articles for a diagnosis, lab or procedure code (HL7 Infobutton)",
        description="A drop-in for MedlinePlus Connect: the same request parameters (HL7 "
        "Infobutton URL-based implementation guide) and the same answers (Atom XML by "
        "default; JSON or JSONP in MedlinePlus Connect's shape), from this hospital's live, "
        "clinically reviewed articles, at most `INFOBUTTON_MAX_ENTRIES` (3). Each entry also "
        "carries its last review date, reviewer and reading grade, and links to its patient "
        "page and printable handout (extra JSON keys, `links: {page, handout}`; the "
        f"`{infobutton.EXTENSION}` namespace in Atom, where the handout is a `related` link). "
        "A translation's entry says whether it is "
        "`current` or `outdated` (`translation_status`); an outdated translation is not "
        "served as current: by default (`OUTDATED_TRANSLATIONS=fallback`) the entry is the "
        "current article in its source language, with `language_fallback` and "
        "`translation_updating` true. An unknown code, or one no live "
        "article carries, is a 200 with an empty feed (no `entry`). Other Infobutton "
        "parameters are accepted and echoed as categories. Open without a key when "
        "`INFOBUTTON_PUBLIC` (or `DELIVERY_PUBLIC`) is on.",
        parameters=[InfobuttonQuerySerializer],
        responses={
            (200, ATOM): OpenApiResponse(
                response=str,
                description="An Atom 1.0 feed (`knowledgeResponseType=text/xml`, the default).",
                examples=[OpenApiExample("Atom", value=_ATOM_EXAMPLE, response_only=True)],
            ),
            (200, JSON): OpenApiResponse(
                response=dict,
                description="MedlinePlus Connect's JSON (`knowledgeResponseType="
                "application/json`): `feed.entry[i].title._value`, `feed.entry[i].link[0].href`; "
                "`feed.entry[i].links` names the patient page and the printable handout.",
                examples=[OpenApiExample("JSON", value=_JSON_EXAMPLE, response_only=True)],
            ),
            (200, JAVASCRIPT): OpenApiResponse(
                response=str,
                description="JSONP: the JSON answer as `/**/callback({...});`.",
            ),
            304: NOT_MODIFIED,
            400: schema.BAD_REQUEST,
            **DELIVERY_ERRORS,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        # Only valid queries are answered, so only they are ever cached: a query string
        # found in the cache needs no validating again.
        # The settings that shape an answer are part of its key, like the query.
        shaping = (
            settings.INFOBUTTON_MAX_ENTRIES,
            settings.OUTDATED_TRANSLATIONS,
            settings.ARTICLE_PUBLIC_URL,
            settings.PATIENT_PAGES,
            settings.PUBLISHER_NAME,
            settings.PUBLIC_BASE_URL,
        )
        content_type, body, etag = cached_answer(
            "infobutton",
            f"{shaping!r}?{request.META.get('QUERY_STRING', '')}",
            lambda: self.answer(request),
        )
        fresh = if_none_match_hits(request, etag)
        response = HttpResponse(
            b"" if fresh else body,
            status=304 if fresh else 200,
            content_type=f"{content_type}; charset=utf-8",
        )
        response["ETag"] = etag
        response["Cache-Control"] = public_cache_control()
        return response

    @staticmethod
    def answer(request: Request) -> tuple[str, bytes, str]:
        """(media type, body, ETag) of the answer to a query; a 400 if it is not valid."""
        query = validated(InfobuttonQuerySerializer, request.query_params)
        given = {
            "mainSearchCriteria.v.cs": query["cs"],
            "mainSearchCriteria.v.c": query["c"],
            "informationRecipient.languageCode.c": query.get("language"),
            **{name: query.get(name.replace(".", "_")) for name in ECHOED},
        }
        categories = [(name, value) for name, value in given.items() if value]
        feed = answers.infobutton_feed(
            system=query["system"],
            requested=query["c"],
            codes=query["codes"],
            lang=query["lang"],
            categories=categories,
            limit=settings.INFOBUTTON_MAX_ENTRIES,
        )
        content_type = RESPONSE_TYPES[query["response_type"]]
        if content_type == ATOM:
            body = infobutton.atom_xml(feed)
        elif content_type == JAVASCRIPT:
            body = infobutton.jsonp_bytes(feed, query["callback"])
        else:
            body = infobutton.json_bytes(feed)
        return content_type, body, etag_of(body)


# ------------------------------------------------------------------------------
# CDS Hooks 2.0
# ------------------------------------------------------------------------------
class CdsHooksCallSerializer(serializers.Serializer):
    """A CDS Hooks 2.0 service request (the fields this service reads, and the others the
    specification defines, which it accepts and ignores)."""

    hook = StrictCharField(max_length=100)
    hookInstance = StrictCharField(max_length=100)  # the specification's names
    fhirServer = StrictCharField(required=False, max_length=2000)
    fhirAuthorization = serializers.DictField(required=False, allow_null=True)
    context = serializers.DictField()
    prefetch = serializers.DictField(required=False, allow_null=True)
    extension = serializers.DictField(required=False, allow_null=True)

    def validate_hook(self, value: str) -> str:
        if value != cds_hooks.HOOK:
            raise serializers.ValidationError(
                f"This service answers the {cds_hooks.HOOK!r} hook, not {value!r}."
            )
        return value


_REQUEST_EXAMPLE = {
    "hook": "patient-view",
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "context": {"userId": "Practitioner/example", "patientId": "1288992"},
    "prefetch": {
        "conditions": {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Condition",
                        "id": "dm2",
                        "clinicalStatus": {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "condition-clinical",
                                    "code": "active",
                                }
                            ]
                        },
                        "code": {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                    "code": "E11.65",
                                    "display": "Type 2 diabetes mellitus with hyperglycemia",
                                }
                            ]
                        },
                        "subject": {"reference": "Patient/1288992"},
                    }
                }
            ],
        },
        "patient": {
            "resourceType": "Patient",
            "id": "1288992",
            "communication": [
                {
                    "language": {
                        "coding": [
                            {"system": "urn:ietf:bcp:47", "code": "en", "display": "English"}
                        ]
                    }
                },
                {
                    "language": {
                        "coding": [
                            {"system": "urn:ietf:bcp:47", "code": "es-MX", "display": "Spanish"}
                        ],
                        "text": "Spanish",
                    },
                    "preferred": True,
                },
            ],
        },
    },
}

_EXTENSION = cds_hooks.EXTENSION_PREFIX


def _card_example(**card: Any) -> dict[str, Any]:
    return {
        "uuid": "5a0f9f3e-7d4c-5b8e-9a51-2f6c1d0e8b47",
        **card,
        "indicator": "info",
        "source": {
            "label": "Patient-education library",
            "url": "https://content.hospital.example",
        },
    }


def _card_links(title: str, locale: str, slug: str) -> list[dict[str, str]]:
    return [
        {
            "label": title,
            "url": f"https://www.hospital.example/health/{locale}/{slug}/",
            "type": "absolute",
        },
        {
            "label": cds_hooks.HANDOUT_LABEL,
            "url": f"https://content.hospital.example/{locale}/{slug}.pdf",
            "type": "absolute",
        },
    ]


def _links_extension(locale: str, slug: str) -> dict[str, Any]:
    return {
        f"{_EXTENSION}links": {
            "page": f"https://www.hospital.example/health/{locale}/{slug}/",
            "handout": f"https://content.hospital.example/{locale}/{slug}.pdf",
        }
    }


_CARD_EXAMPLE = {
    "cards": [
        _card_example(
            summary="Patient education: Entender su prueba de A1C (hemoglobina A1C)",
            detail="La prueba de sangre de hemoglobina A1C muestra su nivel promedio de azúcar "
            "en la sangre de los últimos dos o tres meses.\n\nRevisado por última vez el 19 "
            "de noviembre de 2026 por Dr. Chidi Okafor, MD.",
            links=_card_links(
                "Entender su prueba de A1C (hemoglobina A1C)", "es", "entender-su-a1c"
            ),
            extension={
                f"{_EXTENSION}language": "es",
                f"{_EXTENSION}language_requested": "es",
                f"{_EXTENSION}language_fallback": False,
                f"{_EXTENSION}translation_status": "current",
                f"{_EXTENSION}translation_updating": False,
                **_links_extension("es", "entender-su-a1c"),
            },
        )
    ]
}

_FALLBACK_CARD_EXAMPLE = {
    "cards": [
        _card_example(
            summary="Patient education: Understanding your A1C (hemoglobin A1C) test",
            detail="The hemoglobin A1C blood test shows your average blood sugar over the "
            "past two to three months.\n\nLast reviewed on November 19, 2026 by Dr. Chidi "
            "Okafor, MD.\n\nThe Spanish translation is being updated; shown in English.",
            links=_card_links(
                "Understanding your A1C (hemoglobin A1C) test", "en", "understanding-your-a1c"
            ),
            extension={
                f"{_EXTENSION}language": "en",
                f"{_EXTENSION}language_requested": "es",
                f"{_EXTENSION}language_fallback": True,
                f"{_EXTENSION}translation_status": None,
                f"{_EXTENSION}translation_updating": True,
                **_links_extension("en", "understanding-your-a1c"),
            },
        )
    ]
}

_CARDS = inline_serializer(
    "CdsHooksCards",
    {"cards": serializers.ListField(child=serializers.DictField())},
)


class CdsHooksView(EhrView):
    """CDS Hooks: the EHR's signed JWT (with CDS_HOOKS_ISSUERS), or an integrator key."""

    authentication_classes = [CdsHooksJwtAuthentication, IntegratorKeyAuthentication]


class CdsDiscovery(CdsHooksView):
    @extend_schema(
        operation_id="cds_services_discovery",
        tags=["ehr"],
        summary="CDS Hooks discovery: the patient-education service",
        responses={
            200: OpenApiResponse(
                response=inline_serializer(
                    "CdsHooksDiscovery",
                    {"services": serializers.ListField(child=serializers.DictField())},
                ),
                examples=[
                    OpenApiExample("Discovery", value=cds_hooks.discovery(), response_only=True)
                ],
            ),
            **DELIVERY_ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        response = Response(cds_hooks.discovery())
        response["Cache-Control"] = public_cache_control()
        return response


class CdsPatientEducation(CdsHooksView):
    @extend_schema(
        operation_id="cds_services_patient_education",
        tags=["ehr"],
        summary="CDS Hooks patient-view: cards linking to articles for the patient's conditions",
        description="Reads the prefetched FHIR R4 Bundle of the patient's active Condition "
        "resources (`prefetch.conditions`) and answers at most one card per condition, each "
        "linking to a different live article (ICD-10-CM codes also match their ancestors). "
        "Without the prefetch it answers no cards: this service does not call the EHR's FHIR "
        "server.\n\n"
        "**Language.** The cards are in the patient's language, read from the prefetched "
        "FHIR R4 Patient resource (`prefetch.patient`): of `Patient.communication`, the "
        "entries with `preferred: true` first, then the others in order, the first language "
        "this library has articles in (`CONTENT_LOCALES`). A language is a BCP 47 tag: a "
        "`communication.language.coding` of system `urn:ietf:bcp:47` (or without a system), "
        "else `language.text` if it is a plain tag such as `es-MX`; only its first part "
        "counts (`es-MX` is `es`), as in Infobutton. Without the patient (or with `null`, as "
        "an EHR sends what it could not fetch), or without a language, the cards are in "
        "English (`DEFAULT_CONTENT_LOCALE`).\n\n"
        "A card is in the patient's language when a current translation of its article is "
        "live; otherwise it is in English and says so, in a last paragraph of its `detail` "
        '("This article is not yet available in Spanish; shown in English."; "The Spanish '
        'translation is being updated; shown in English." while the translation is '
        'outdated; "This library has no articles in French; shown in English." for a '
        "language it has none in) and in its `extension`, which every card has: "
        "`x-patient-education.language` (the card's), `x-patient-education.language_requested`"
        ", `x-patient-education.language_fallback`, `x-patient-education.translation_status` "
        "(`current`, `outdated`, or null for an original) and "
        "`x-patient-education.translation_updating`. With `OUTDATED_TRANSLATIONS=serve` an "
        "outdated translation is itself the card, its `translation_status` `outdated` and its "
        "`detail` saying so.\n\n"
        "A prefetch that is not a Bundle of Conditions, or a patient that is not a valid "
        "FHIR R4 Patient, is a 400 naming `prefetch.conditions` or `prefetch.patient`.",
        request=CdsHooksCallSerializer,
        examples=[
            OpenApiExample(
                "A patient who prefers Spanish", value=_REQUEST_EXAMPLE, request_only=True
            ),
        ],
        responses={
            200: OpenApiResponse(
                response=_CARDS,
                examples=[
                    OpenApiExample("Cards", value=_CARD_EXAMPLE, response_only=True),
                    OpenApiExample(
                        "In English while the Spanish is updated",
                        value=_FALLBACK_CARD_EXAMPLE,
                        response_only=True,
                    ),
                ],
            ),
            400: schema.BAD_REQUEST,
            413: schema.TOO_LARGE,
            **DELIVERY_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        data = validated(CdsHooksCallSerializer, request.data)
        # A key the EHR could not fetch comes as null: read like one it did not send.
        prefetch = data.get("prefetch") or {}
        try:
            conditions = cds_hooks.condition_codes(prefetch.get(cds_hooks.CONDITIONS))
            lang = cds_hooks.patient_language(prefetch.get(cds_hooks.PATIENT))
        except cds_hooks.InvalidPrefetch as exc:
            raise serializers.ValidationError({f"prefetch.{exc.key}": str(exc)}) from exc
        cards = answers.cds_hooks_cards(conditions, hook_instance=data["hookInstance"], lang=lang)
        response = Response({"cards": cards})
        # The cards tell which conditions the patient has: no cache may keep them.
        response["Cache-Control"] = "no-store"
        return response
