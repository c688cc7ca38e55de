"""Patient education for EHRs: which live articles answer a medical code, and the answers in
the shapes EHRs read (HL7 Infobutton as MedlinePlus Connect writes it: Atom XML, JSON, JSONP).

Pure functions: the documents come from the one ranking (`ehr.ranking`, through
`ehr.answers`); this module reads the request and writes the answer.
"""

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from delivery.codes import CODE_PATTERNS, CodeSystem, normalize_code
from delivery.rendering import iso, public_links, to_bytes

# The code systems of the Infobutton request (`mainSearchCriteria.v.cs`), by HL7 OID.
OIDS: dict[str, str] = {
    "2.16.840.1.113883.6.90": CodeSystem.ICD10CM,
    "2.16.840.1.113883.6.96": CodeSystem.SNOMEDCT,
    "2.16.840.1.113883.6.1": CodeSystem.LOINC,
}
OID_OF = {system: oid for oid, system in OIDS.items()}

# The same systems as FHIR names them (CDS Hooks prefetch: Condition.code.coding[].system).
FHIR_SYSTEMS: dict[str, str] = {
    "http://hl7.org/fhir/sid/icd-10-cm": CodeSystem.ICD10CM,
    "http://snomed.info/sct": CodeSystem.SNOMEDCT,
    "http://loinc.org": CodeSystem.LOINC,
}

ATOM = "http://www.w3.org/2005/Atom"
# The extension namespace of the reviewed fields in Atom entries: fixed, so a client can rely
# on it whichever hospital answers.
EXTENSION = "urn:x-patient-education:infobutton:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)
ET.register_namespace("pe", EXTENSION)

# What `informationRecipient.languageCode.c` may look like: an RFC 5646 tag (`es-US`), or
# MedlinePlus Connect's own `en`, `es` and `sp`. Only its primary subtag counts.
LANGUAGE_PATTERN = r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"
_LANGUAGE_TAG = re.compile(LANGUAGE_PATTERN)
LANGUAGE_ALIASES = {"sp": "es"}

# What `mainSearchCriteria.v.c` may hold: the characters codes are written with (letters,
# digits, dots, hyphens, spaces). Within them, a code that is no code of the system named
# finds nothing, as an unknown code does: an empty feed.
CODE_PARAMETER_PATTERN = r"^[A-Za-z0-9.\- ]*[A-Za-z0-9][A-Za-z0-9.\- ]*$"

# A JSONP callback: a dotted path of plain JavaScript identifiers, nothing that could run.
# (A reserved word such as `if` would only make the caller's own script fail.)
CALLBACK_PATTERN = r"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,7}$"
_CALLBACK = re.compile(CALLBACK_PATTERN)
DEFAULT_CALLBACK = "callback"


# ------------------------------------------------------------------------------
# The request
# ------------------------------------------------------------------------------
def system_for_oid(oid: str) -> str | None:
    """The code system an HL7 OID names (with or without `urn:oid:`), or None."""
    return OIDS.get(oid.strip().removeprefix("urn:oid:"))


def codes_to_try(system: str, code: str) -> list[str] | None:
    """The codes to look for, most specific first; None if `code` is no code of `system`.

    Codes are normalised as articles store them: spaces dropped, upper case, and an
    ICD-10-CM code's dot put back after its third character (`e1165` is `E11.65`). An
    ICD-10-CM code is followed by its ancestors, as MedlinePlus Connect does: `E11.65`,
    `E11.6`, `E11`.
    """
    normal = normalize_code(system, code)
    if not CODE_PATTERNS[system].match(normal):
        return None
    if system != CodeSystem.ICD10CM:
        return [normal]
    codes = [normal]
    while "." in codes[-1]:
        shorter = codes[-1][:-1].rstrip(".")
        codes.append(shorter)
    return codes


@dataclass(frozen=True)
class Language:
    requested: str  # the primary subtag asked for ("es" for `sp` and `es-US`)
    locale: str  # the content locale looked for first

    @property
    def locales(self) -> list[str]:
        """The locales to answer in, best first: the one asked for, then the default."""
        return list(dict.fromkeys([self.locale, settings.DEFAULT_CONTENT_LOCALE]))


def language(tag: str | None) -> Language | None:
    """The language an Infobutton request asks for; None if `tag` is not a language tag.

    An unsupported language (`fr`) is answered in the default locale (English), and each
    entry's `lang` says so.
    """
    if not tag:
        default = settings.DEFAULT_CONTENT_LOCALE
        return Language(default, default)
    if not _LANGUAGE_TAG.match(tag):
        return None
    primary = tag.split("-", 1)[0].lower()
    primary = LANGUAGE_ALIASES.get(primary, primary)
    supported = primary in settings.CONTENT_LOCALES
    return Language(primary, primary if supported else settings.DEFAULT_CONTENT_LOCALE)


def valid_callback(name: str) -> bool:
    """True when `name` is safe to call in a JSONP answer: `cb`, `app.show_results`."""
    return bool(_CALLBACK.match(name))


# ------------------------------------------------------------------------------
# The answer
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    title: str
    url: str  # the patient page (`links.page`)
    handout: str | None  # the printable handout (`links.handout`), if patient pages are on
    id: str
    updated: str
    summary_html: str
    lang: str
    language_fallback: bool
    last_reviewed_at: str
    reviewer_name: str
    reviewer_credentials: str
    reading_grade: float | None
    matched_system: str
    matched_code: str
    # The document's own translation status (`current`, `outdated`), None if no translation.
    translation_status: str | None = None
    # A translation in the language asked for exists but is outdated: this entry is the
    # current article in its source language until the translation is updated.
    translation_updating: bool = False


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    updated: str
    lang: str
    author_name: str
    author_uri: str
    categories: list[tuple[str, str]]
    entries: list[Entry]


def entry(
    system: str,
    code: str,
    document: dict[str, Any],
    *,
    requested: str,
    translation_updating: bool = False,
) -> Entry:
    """A feed entry from a live document (the delivery detail JSON) that matched `code`."""
    reviewer = document.get("reviewed_by") or {}
    links = public_links(document["slug"], document["locale"])
    summary = f"<p>{html.escape(document['summary'])}</p>"
    if document.get("review_statement"):
        summary += f"<p>{html.escape(document['review_statement'])}</p>"
    return Entry(
        title=document["title"],
        url=links["page"] or "",
        handout=links["handout"],
        id=document["url"],
        updated=document["last_updated_at"],
        summary_html=summary,
        lang=document["locale"],
        language_fallback=document["locale"] != requested,
        last_reviewed_at=document["last_reviewed_at"],
        reviewer_name=reviewer.get("name", ""),
        reviewer_credentials=reviewer.get("credentials", ""),
        reading_grade=document.get("reading_grade"),
        matched_system=system,
        matched_code=code,
        translation_status=(document.get("translation") or {}).get("status"),
        translation_updating=translation_updating,
    )


def feed(
    *,
    system: str,
    code: str,
    lang: Language,
    categories: list[tuple[str, str]],
    entries: list[Entry],
    library_changed_at: datetime | None = None,
) -> Feed:
    """The whole answer. Its `updated` is its newest entry's; for an empty feed, when the live
    library last changed (so the same question gets the same bytes until something does)."""
    if entries:
        updated = max(e.updated for e in entries)
    else:
        updated = iso(library_changed_at) if library_changed_at else "1970-01-01T00:00:00Z"
    query = urlencode(
        {
            "mainSearchCriteria.v.cs": OID_OF[system],
            "mainSearchCriteria.v.c": code,
            "informationRecipient.languageCode.c": lang.requested,
        }
    )
    return Feed(
        id=f"{settings.PUBLIC_BASE_URL}/api/v1/infobutton/?{query}",
        title=settings.PUBLISHER_NAME,
        subtitle=f"{settings.PUBLISHER_NAME} results for {CodeSystem(system).label} {code}",
        updated=updated,
        lang=lang.locale,
        author_name=settings.PUBLISHER_NAME,
        author_uri=settings.PUBLIC_BASE_URL,
        categories=categories,
        entries=entries,
    )


def _a(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _pe(name: str) -> str:
    return f"{{{EXTENSION}}}{name}"


def atom_xml(answer: Feed) -> bytes:
    """The feed as Atom 1.0 XML, with the reviewed fields in the extension namespace."""

    def add(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, name, attrs)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(_a("feed"), {XML_LANG: answer.lang})
    add(root, _a("title"), answer.title, type="text")
    add(root, _a("subtitle"), answer.subtitle, type="text")
    author = add(root, _a("author"))
    add(author, _a("name"), answer.author_name)
    add(author, _a("uri"), answer.author_uri)
    add(root, _a("updated"), answer.updated)
    add(root, _a("id"), answer.id)
    for scheme, term in answer.categories:
        add(root, _a("category"), scheme=scheme, term=term)
    for item in answer.entries:
        element = add(root, _a("entry"), **{XML_LANG: item.lang})
        add(element, _a("title"), item.title, type="text")
        # Atom wants a media type here; MedlinePlus Connect's JSON says "html" (kept there).
        add(element, _a("link"), href=item.url, rel="alternate", type="text/html", title=item.title)
        if item.handout:
            add(element, _a("link"), href=item.handout, rel="related", type="application/pdf")
        add(element, _a("id"), item.id)
        add(element, _a("updated"), item.updated)
        add(element, _a("summary"), item.summary_html, type="html")
        add(element, _pe("lastReviewed"), item.last_reviewed_at)
        reviewer = add(element, _pe("reviewedBy"))
        add(reviewer, _pe("name"), item.reviewer_name)
        add(reviewer, _pe("credentials"), item.reviewer_credentials)
        if item.reading_grade is not None:
            add(element, _pe("readingGrade"), str(item.reading_grade))
        add(element, _pe("matchedCode"), system=item.matched_system, code=item.matched_code)
        add(element, _pe("languageFallback"), "true" if item.language_fallback else "false")
        if item.translation_status:
            add(element, _pe("translationStatus"), item.translation_status)
        if item.translation_updating:
            add(element, _pe("translationUpdating"), "true")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def medlineplus_json(answer: Feed) -> dict[str, Any]:
    """The feed in MedlinePlus Connect's JSON shape (Atom names, values under `_value`),
    with the reviewed fields as extra keys of each entry. An empty feed has no `entry`, as
    MedlinePlus Connect's has none."""
    body: dict[str, Any] = {
        "base": f"{settings.PUBLIC_BASE_URL}/",
        "lang": answer.lang,
        "title": {"_value": answer.title, "type": "text"},
        "updated": {"_value": answer.updated},
        "id": {"_value": answer.id},
        "author": {"name": {"_value": answer.author_name}, "uri": {"_value": answer.author_uri}},
        "category": [{"scheme": scheme, "term": term} for scheme, term in answer.categories],
        "subtitle": {"_value": answer.subtitle, "type": "text"},
    }
    if answer.entries:
        body["entry"] = [
            {
                "lang": item.lang,
                "title": {"_value": item.title, "type": "text"},
                "link": [
                    {"href": item.url, "rel": "alternate", "type": "html", "title": item.title},
                    *(
                        [{"href": item.handout, "rel": "related", "type": "pdf"}]
                        if item.handout
                        else []
                    ),
                ],
                "links": {"page": item.url, "handout": item.handout},
                "id": {"_value": item.id},
                "updated": {"_value": item.updated},
                "summary": {"_value": item.summary_html, "type": "html"},
                "last_reviewed_at": item.last_reviewed_at,
                "reviewed_by": {
                    "name": item.reviewer_name,
                    "credentials": item.reviewer_credentials,
                },
                "reading_grade": item.reading_grade,
                "matched_code": {"system": item.matched_system, "code": item.matched_code},
                "language_fallback": item.language_fallback,
                "translation_status": item.translation_status,
                "translation_updating": item.translation_updating,
            }
            for item in answer.entries
        ]
    return {"feed": body}


def json_bytes(answer: Feed) -> bytes:
    # The delivery API's JSON: compact, and safe inside a <script> element or a JS string.
    return to_bytes(medlineplus_json(answer))


def jsonp_bytes(answer: Feed, callback: str) -> bytes:
    """`callback({...});` for a callback `valid_callback` accepted."""
    if not valid_callback(callback):
        raise ValueError(f"Not a safe JSONP callback: {callback!r}")
    return b"/**/" + callback.encode() + b"(" + json_bytes(answer) + b");"
