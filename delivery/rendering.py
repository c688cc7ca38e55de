"""Renders revision content into the delivery document: pure functions, no database.

Markdown to sanitized HTML, the reading grade and Spanish readability, the JSON-LD, the public
dates, the bytes and their ETag. Everything the document shows comes in as a `DocumentSource`,
so rendering can run anywhere (before any lock, in another process) and the same input always
gives the same bytes. The door (`delivery.door`) stores what this module renders.
"""

import functools
import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import nh3
from django.conf import settings
from django.utils import dateformat, timezone, translation
from markdown_it import MarkdownIt

from contentapi.ledger import digest
from delivery import cache_tags
from delivery.codes import CodeSystem
from delivery.readability import readability, reading_grade

# ------------------------------------------------------------------------------
# Markdown to safe HTML
# ------------------------------------------------------------------------------
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
    "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "b", "i", "sub", "sup",
    "table", "thead", "tbody", "tr", "th", "td",
    "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Tags whose content goes too, not just the tag.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def _absolute_link(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link only if it means the same wherever a portal shows the article.

    Relative and protocol-relative links (`/x`, `//evil.example`, `/\\evil.example`) would
    resolve against the portal's own site; malformed absolute ones (`https:/evil`,
    `http:evil`) are read differently by different browsers. All of them are dropped.
    """
    if (tag, attribute) != ("a", "href"):
        return value
    if value.lower().startswith("mailto:"):
        return value
    parts = urlsplit(value)
    absolute = value.lower().startswith(f"{parts.scheme}://")
    if parts.scheme in ("http", "https") and parts.netloc and absolute and "\\" not in value:
        return value
    return None


# What makes Markdown slow to parse is its structure, not its length: each block (a line,
# roughly) and each inline markup character costs tens of microseconds in markdown-it-py,
# and crafted bodies multiply that (measured by bench/render_worst.py). Bodies are held
# to these at write time, so that every accepted body renders in well under 250 ms.
MARKUP_CHARACTERS = frozenset("*_[]`<>|&\\")


def body_complexity(body: str) -> tuple[int, int]:
    """(lines, inline markup characters) of a Markdown body: what its render time grows with."""
    return body.count("\n") + 1, sum(1 for char in body if char in MARKUP_CHARACTERS)


@functools.lru_cache(maxsize=16)
def markdown_to_html(markdown: str) -> str:
    """CommonMark plus tables, sanitized on an allowlist whatever the editor typed.

    Remembered for the last few bodies: publishing renders a revision once before it takes
    the feed lock, so the render under the lock finds it done.
    """
    return sanitize(_markdown.render(markdown))


def sanitize(
    fragment: str,
    *,
    more_tags: frozenset[str] = frozenset(),
    allowed_classes: dict[str, set[str]] | None = None,
) -> str:
    """HTML on delivery's allowlist (plus `more_tags`, and the classes `allowed_classes`
    names): links absolute http(s) only, opened with noopener, no comments."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS | more_tags,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_absolute_link,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
        allowed_classes=allowed_classes,
    )


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment, blocks separated by blank lines."""
    blocks = fragment.replace("</p>", "</p>\n\n").replace("</li>", "</li>\n")
    for tag in ("</h1>", "</h2>", "</h3>", "</h4>", "</td>", "</th>", "</tr>"):
        blocks = blocks.replace(tag, tag + "\n")
    return html.unescape(nh3.clean(blocks, tags=set())).strip()


# ------------------------------------------------------------------------------
# Reading grade
# ------------------------------------------------------------------------------
def body_reading_grade(body: str, locale: str) -> float | None:
    """The reading grade of a Markdown body, as readers will see its text."""
    return reading_grade(html_to_text(markdown_to_html(body)), locale)


# ------------------------------------------------------------------------------
# The delivery document
# ------------------------------------------------------------------------------
def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def article_url(slug: str, locale: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/articles/{slug}/?locale={locale}"


def patient_page_url(slug: str, locale: str) -> str:
    """The article's patient page on this service (`delivery.pages`)."""
    return f"{settings.PUBLIC_BASE_URL}/{locale}/{slug}/"


def handout_url(slug: str, locale: str) -> str:
    """The article's printable handout on this service (`delivery.handouts`)."""
    return f"{settings.PUBLIC_BASE_URL}/{locale}/{slug}.pdf"


def article_page_url(slug: str, locale: str) -> str:
    """Where a patient reads the article: the hospital's own website when ARTICLE_PUBLIC_URL
    names one, else this service's patient page, else (patient pages off) the delivery
    API's JSON."""
    if settings.ARTICLE_PUBLIC_URL:
        return settings.ARTICLE_PUBLIC_URL.format(slug=slug, locale=locale)
    if settings.PATIENT_PAGES:
        return patient_page_url(slug, locale)
    return article_url(slug, locale)


def public_links(slug: str, locale: str) -> dict[str, str | None]:
    """`{page, handout}`: where a patient reads the article and where it prints, absolute;
    no handout when patient pages are off."""
    return {
        "page": article_page_url(slug, locale),
        "handout": handout_url(slug, locale) if settings.PATIENT_PAGES else None,
    }


def search_config(locale: str) -> str:
    """The PostgreSQL text-search configuration for a locale."""
    return {"es": "spanish"}.get(locale.split("-")[0], "english")


@dataclass(frozen=True)
class TopicRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class TranslationLineage:
    """A translation's source (locale and revision) and since when it is outdated, if it is."""

    source_locale: str
    source_revision: int
    outdated_since: datetime | None


@dataclass(frozen=True)
class DocumentSource:
    """Everything a delivery document shows: the revision's content and the article's dates.

    `reviewer` is who last approved or re-certified the content, as (name, credentials).
    """

    article_id: int
    slug: str
    locale: str
    translation_group: UUID
    revision: int
    title: str
    summary: str
    body: str
    editor_note: str
    topics: tuple[TopicRef, ...]
    codes: tuple[tuple[str, str, str], ...]  # (system, code, display)
    sources: tuple[dict[str, str], ...]
    authors: tuple[dict[str, str], ...]
    reading_grade: float | None
    reviewer: tuple[str, str] | None
    first_published_at: datetime | None
    last_updated_at: datetime | None
    last_reviewed_at: datetime | None
    next_review_due: datetime | None
    translations: tuple[tuple[str, str], ...]  # (locale, slug)
    translation: TranslationLineage | None = None  # for a translation: what it translates


def _json_ld(doc: dict[str, Any]) -> dict[str, Any]:
    reviewer = doc["reviewed_by"] or {"name": "", "credentials": ""}
    about: list[dict[str, Any]] = [{"@type": "Thing", "name": t["name"]} for t in doc["topics"]]
    about += [
        {
            "@type": "MedicalEntity",
            "name": c["display"] or c["code"],
            "code": {
                "@type": "MedicalCode",
                "codeValue": c["code"],
                "codingSystem": CodeSystem(c["system"]).label,
            },
        }
        for c in doc["codes"]
    ]
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": doc["title"],
        "description": doc["summary"],
        "inLanguage": doc["locale"],
        "about": about,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "lastReviewed": doc["last_reviewed_at"],
        "reviewedBy": {
            "@type": "Person",
            "name": reviewer["name"],
            "honorificSuffix": reviewer["credentials"],
        },
        "datePublished": doc["first_published_at"],
        "dateModified": doc["last_updated_at"],
        "url": doc["url"],
    }


# The editor's-note line a portal prints under an article, per language: the sentences are
# ours, the dates are Django's (its month names and date formats for the language).
_STATEMENTS = {
    "en": {
        "date": "F j, Y",
        "month": "F Y",
        "published": "Originally published on {date}.",
        "reviewed": "Last reviewed on {date} by {reviewer}.",
        "due": "Next review due {month}.",
    },
    "es": {
        "date": r"j \d\e F \d\e Y",
        "month": r"F \d\e Y",
        "published": "Publicado por primera vez el {date}.",
        "reviewed": "Revisado por última vez el {date} por {reviewer}.",
        "due": "Próxima revisión prevista en {month}.",
    },
}


def review_statement(source: DocumentSource) -> str:
    """ "Originally published on ... Last reviewed on ... by ... Next review due ...", complete,
    in the article's language, from the same dates and reviewer as the document."""
    language = source.locale.split("-")[0]
    words = _STATEMENTS.get(language, _STATEMENTS["en"])
    parts = []
    with translation.override(language if language in _STATEMENTS else "en"):
        if source.first_published_at:
            first = dateformat.format(_local(source.first_published_at), words["date"])
            parts.append(words["published"].format(date=first))
        if source.last_reviewed_at and source.reviewer:
            name, credentials = source.reviewer
            reviewer = f"{name}, {credentials}" if credentials else name
            reviewed = dateformat.format(_local(source.last_reviewed_at), words["date"])
            parts.append(words["reviewed"].format(date=reviewed, reviewer=reviewer))
        if source.next_review_due:
            due = dateformat.format(_local(source.next_review_due), words["month"])
            parts.append(words["due"].format(month=due))
    return " ".join(parts)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value)


# ------------------------------------------------------------------------------
# The content hash: the approved words, as the audit trail and the document both name them
# ------------------------------------------------------------------------------
# The version of what the content hash covers (docs/audit.md); it changes only on purpose.
CONTENT_FORM = 1


def content_hash(
    *,
    title: str,
    summary: str,
    body: str,
    editor_note: str,
    topics: Iterable[str],
    codes: Iterable[tuple[str, str, str]],
    sources: Iterable[dict[str, str]],
    authors: Iterable[dict[str, str]],
) -> str:
    """SHA-256 of the canonical JSON of the words a clinician approves: title, summary, body
    (Markdown), editor's note, topic slugs, codes (system, code, display), sources and authors.

    An approval's audit event records it, and the delivery document carries it, so anyone
    can recompute it from the document they were served (`document_content_hash`) and match
    it with the signed approval in the article's proof.
    """
    return digest(
        {
            "form": CONTENT_FORM,
            "title": title,
            "summary": summary,
            "body_markdown": body,
            "editor_note": editor_note,
            "topics": sorted(topics),
            "codes": sorted([system, code, display] for system, code, display in codes),
            "sources": list(sources),
            "authors": [
                {"name": a["name"], "credentials": a.get("credentials", "")} for a in authors
            ],
        }
    )


def document_content_hash(doc: dict[str, Any]) -> str:
    """The content hash of a delivery document, from its own fields."""
    return content_hash(
        title=doc["title"],
        summary=doc["summary"],
        body=doc["body_markdown"],
        editor_note=doc["editor_note"],
        topics=[t["slug"] for t in doc["topics"]],
        codes=[(c["system"], c["code"], c["display"]) for c in doc["codes"]],
        sources=doc["sources"],
        authors=doc["authors"],
    )


def _translation(lineage: TranslationLineage | None) -> dict[str, Any] | None:
    if lineage is None:
        return None
    return {
        "source_locale": lineage.source_locale,
        "source_revision": lineage.source_revision,
        "status": "outdated" if lineage.outdated_since else "current",
        "outdated_since": iso(lineage.outdated_since),
    }


def document_fields(source: DocumentSource) -> dict[str, Any]:
    """The delivery document of `source` as a dict, in the order the API shows its fields."""
    body_html = markdown_to_html(source.body)
    body_text = html_to_text(body_html)
    reviewer = source.reviewer
    doc: dict[str, Any] = {
        "slug": source.slug,
        "locale": source.locale,
        "url": article_url(source.slug, source.locale),
        "links": public_links(source.slug, source.locale),
        "title": source.title,
        "summary": source.summary,
        "body_html": body_html,
        "body_markdown": source.body,
        "editor_note": source.editor_note,
        "topics": [{"slug": t.slug, "name": t.name} for t in source.topics],
        "codes": [
            {"system": system, "code": code, "display": display}
            for system, code, display in source.codes
        ],
        "sources": list(source.sources),
        "authors": [
            {"name": a["name"], "credentials": a.get("credentials", "")} for a in source.authors
        ],
        "reviewed_by": {"name": reviewer[0], "credentials": reviewer[1]} if reviewer else None,
        "first_published_at": iso(source.first_published_at),
        "last_updated_at": iso(source.last_updated_at),
        "last_reviewed_at": iso(source.last_reviewed_at),
        "next_review_due": iso(source.next_review_due),
        "revision": source.revision,
        # Computed from the same text when the revision was written; never twice.
        "reading_grade": (
            source.reading_grade
            if source.reading_grade is not None
            else reading_grade(body_text, source.locale)
        ),
        # Spanish readers' own indices (Fernández-Huerta, INFLESZ); null in other languages.
        "readability": readability(body_text, source.locale),
        "translations": [{"locale": locale, "slug": slug} for locale, slug in source.translations],
        "translation": _translation(source.translation),
        "review_statement": review_statement(source),
    }
    doc["content_hash"] = document_content_hash(doc)
    doc["json_ld"] = _json_ld(doc)
    return doc


LIST_ITEM_FIELDS = (
    "slug", "locale", "url", "title", "summary", "topics",
    "first_published_at", "last_updated_at", "last_reviewed_at", "next_review_due",
    "revision", "reading_grade",
)  # fmt: skip


# Characters that end a <script> element or an HTML comment, or a JavaScript string (U+2028
# and U+2029), escaped inside JSON strings as Django's json_script does; they appear nowhere
# else in JSON, so the document stays the same JSON value.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def to_bytes(value: Any) -> bytes:
    """Compact JSON that can be put inside a <script> element as it is."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .translate(_SCRIPT_SAFE)
        .encode()
    )


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@dataclass(frozen=True)
class RenderedDocument:
    """Everything the read side stores for one live article, ready to write."""

    article_id: int
    slug: str
    locale: str
    revision_number: int
    title: str
    summary: str
    body_text: str
    last_updated_at: datetime
    body: bytes
    list_item: bytes
    etag: str
    translation_group: UUID
    topics: frozenset[tuple[int, str]]  # (id, slug)
    codes: frozenset[tuple[str, str]]
    cache_tags: str  # what the detail response is tagged with, for CDN purges
    # A translation whose source has since changed meaning: since when (None: current).
    outdated_since: datetime | None = None

    @property
    def search_text(self) -> str:
        """Title, summary and body as plain text: the search fallback with no tsvector."""
        return "\n".join([self.title, self.summary, self.body_text])


def document_render(source: DocumentSource) -> RenderedDocument:
    """Render `source` into the bytes, list item and ETag the delivery API serves."""
    if source.last_updated_at is None:
        raise ValueError(f"Article {source.article_id} is not live: nothing to deliver.")
    doc = document_fields(source)
    body = to_bytes(doc)
    return RenderedDocument(
        article_id=source.article_id,
        slug=source.slug,
        locale=source.locale,
        revision_number=source.revision,
        title=doc["title"],
        summary=doc["summary"],
        body_text=html_to_text(doc["body_html"]),
        last_updated_at=source.last_updated_at,
        body=body,
        list_item=to_bytes({name: doc[name] for name in LIST_ITEM_FIELDS}),
        etag=etag_of(body),
        translation_group=source.translation_group,
        topics=frozenset((t.id, t.slug) for t in source.topics),
        codes=frozenset((system, code) for system, code, _ in source.codes),
        cache_tags=cache_tags.header_value(
            cache_tags.detail_keys(
                source.slug, source.locale, sorted(t.slug for t in source.topics)
            )
        ),
        outdated_since=source.translation.outdated_since if source.translation else None,
    )
