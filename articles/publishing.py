"""Renders a revision into the delivery document, and keeps the read side and feed in step.

Rendering happens once, at publish time: Markdown to sanitized HTML, the reading grade, the
JSON-LD, the public dates. The result is stored as JSON bytes with its ETag, so the delivery
API only ever reads bytes.
"""

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import nh3
from django.conf import settings
from django.db import connection
from django.utils import timezone
from markdown_it import MarkdownIt

from articles.models import (
    Article,
    ChangeEvent,
    CodeSystem,
    PublishedCode,
    PublishedDocument,
    PublishedSearch,
    PublishedTopic,
    Revision,
)
from articles.readability import reading_grade
from contentapi.models import User

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


def markdown_to_html(markdown: str) -> str:
    """CommonMark plus tables, sanitized on an allowlist whatever the editor typed."""
    return nh3.clean(
        _markdown.render(markdown),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
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
PLAIN_LANGUAGE_GRADE = 8.0


def revision_reading_grade(revision: Revision) -> float | None:
    return reading_grade(html_to_text(markdown_to_html(revision.body)), revision.article.locale)


# ------------------------------------------------------------------------------
# The delivery document
# ------------------------------------------------------------------------------
def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def article_url(slug: str, locale: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/articles/{slug}/?locale={locale}"


def _person(user: Any) -> dict[str, str]:
    return {"name": user.public_name, "credentials": user.credentials}


def _json_ld(doc: dict[str, Any], revision: Revision) -> dict[str, Any]:
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


def render_document(
    article: Article,
    revision: Revision,
    *,
    reviewer: User | None,
    translations: list[dict[str, str]],
) -> dict[str, Any]:
    """The delivery document of `revision` with the public dates of `article`.

    `reviewer` is who last approved or re-certified the content, shown to readers.
    """
    body_html = markdown_to_html(revision.body)
    doc: dict[str, Any] = {
        "slug": article.slug,
        "locale": article.locale,
        "url": article_url(article.slug, article.locale),
        "title": revision.title,
        "summary": revision.summary,
        "body_html": body_html,
        "body_markdown": revision.body,
        "editor_note": revision.editor_note,
        "topics": [{"slug": t.slug, "name": t.name} for t in revision.topics.all()],
        "codes": [
            {"system": c.system, "code": c.code, "display": c.display} for c in revision.codes.all()
        ],
        "sources": list(revision.sources),
        "authors": [
            {"name": a["name"], "credentials": a.get("credentials", "")} for a in revision.authors
        ],
        "reviewed_by": _person(reviewer) if reviewer else None,
        "first_published_at": iso(article.first_published_at),
        "last_updated_at": iso(article.last_updated_at),
        "last_reviewed_at": iso(article.last_reviewed_at),
        "next_review_due": iso(article.next_review_due),
        "revision": revision.number,
        # Computed from the same text when the revision was written; never twice.
        "reading_grade": (
            revision.reading_grade
            if revision.reading_grade is not None
            else reading_grade(html_to_text(body_html), article.locale)
        ),
        "translations": translations,
    }
    doc["json_ld"] = _json_ld(doc, revision)
    return doc


LIST_ITEM_FIELDS = (
    "slug", "locale", "url", "title", "summary", "topics",
    "first_published_at", "last_updated_at", "last_reviewed_at", "next_review_due",
    "revision", "reading_grade",
)  # fmt: skip


def to_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


# ------------------------------------------------------------------------------
# Keeping the read side in step (called by workflow transitions, inside their transaction)
# ------------------------------------------------------------------------------
def _translations(article: Article) -> list[dict[str, str]]:
    return [
        {"locale": locale, "slug": slug}
        for slug, locale in PublishedDocument.objects.filter(
            article__translation_group=article.translation_group
        )
        .exclude(article=article)
        .order_by("locale")
        .values_list("slug", "locale")
    ]


def _live_revision(article: Article) -> Revision:
    return Revision.objects.prefetch_related("topics", "codes").get(pk=article.live_revision_id)


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
    topic_ids: frozenset[int]
    codes: frozenset[tuple[str, str]]


def document_render(
    article: Article,
    revision: Revision | None = None,
    *,
    translations: list[dict[str, str]] | None = None,
) -> RenderedDocument:
    """Render the article's live revision into its delivery document (reads, no writes).

    `revision` (with topics and codes prefetched) and `translations` may be passed in by a
    caller that fetched them for many articles at once.
    """
    revision = revision or _live_revision(article)
    if translations is None:
        translations = _translations(article)
    doc = render_document(
        article, revision, reviewer=article.last_reviewed_by, translations=translations
    )
    body = to_bytes(doc)
    return RenderedDocument(
        article_id=article.pk,
        slug=article.slug,
        locale=article.locale,
        revision_number=revision.number,
        title=doc["title"],
        summary=doc["summary"],
        body_text=html_to_text(doc["body_html"]),
        last_updated_at=article.last_updated_at,
        body=body,
        list_item=to_bytes({name: doc[name] for name in LIST_ITEM_FIELDS}),
        etag=etag_of(body),
        topic_ids=frozenset(t.pk for t in revision.topics.all()),
        codes=frozenset((c.system, c.code) for c in revision.codes.all()),
    )


_DOC = PublishedDocument._meta.db_table
_DOC_TOPIC = PublishedTopic._meta.db_table
_DOC_CODE = PublishedCode._meta.db_table
_SEARCH = PublishedSearch._meta.db_table
_SEARCH_COLUMNS = ("article_id", "locale", "last_updated_at", "search_vector", "rank_vector")
_COLUMNS = (
    "article_id", "slug", "locale", "revision_number", "title", "summary", "search_text",
    "last_updated_at", "rendered_at", "body", "list_item", "etag",
)  # fmt: skip
# PostgreSQL: the weighted tsvector (title A, summary B, body C) in the locale's language.
_SEARCH_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C')"
)


_RANK_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B')"
)


def search_vectors(rendered: RenderedDocument) -> tuple[str, str] | None:
    """PostgreSQL's search and rank vectors for a document, computed ahead of a write.

    Turning a long body into a tsvector is the slowest part of saving a document; a caller
    that saves under the feed lock can compute them first, outside it. None off PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return None
    config = search_config(rendered.locale)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({_SEARCH_VECTOR})::text, ({_RANK_VECTOR})::text",
            [
                *(config, rendered.title, config, rendered.summary, config, rendered.body_text),
                *(config, rendered.title, config, rendered.summary),
            ],
        )
        search, rank = cursor.fetchone()
    return search, rank


def _upsert(table: str, columns: tuple[str, ...], placeholders: list[str]) -> str:
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "article_id")
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(placeholders)}) "
        f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
    )


def document_save(rendered: RenderedDocument, vectors: tuple[str, str] | None = None) -> None:
    """Write a rendered document and its topic and code links (one upsert, links if changed).

    `vectors` are the document's search and rank vectors from `search_vectors`, if the
    caller computed them already.
    """
    values = [
        rendered.article_id,
        rendered.slug,
        rendered.locale,
        rendered.revision_number,
        rendered.title,
        rendered.summary,
        "\n".join([rendered.title, rendered.summary, rendered.body_text]),
        rendered.last_updated_at,
        timezone.now(),
        rendered.body,
        rendered.list_item,
        rendered.etag,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert(_DOC, _COLUMNS, ["%s"] * len(_COLUMNS)), values)
        if connection.vendor == "postgresql":
            config = search_config(rendered.locale)
            if vectors is not None:
                placeholders, vector_values = ["%s::tsvector", "%s::tsvector"], list(vectors)
            else:
                placeholders = [_SEARCH_VECTOR, _RANK_VECTOR]
                vector_values = [config, rendered.title, config, rendered.summary, config]
                vector_values += [rendered.body_text, config, rendered.title, config]
                vector_values += [rendered.summary]
            cursor.execute(
                _upsert(_SEARCH, _SEARCH_COLUMNS, ["%s", "%s", "%s", *placeholders]),
                [rendered.article_id, rendered.locale, rendered.last_updated_at, *vector_values],
            )
        cursor.execute(
            f"SELECT 't', CAST(topic_id AS TEXT), '' FROM {_DOC_TOPIC} WHERE document_id = %s "
            f"UNION ALL SELECT 'c', system, code FROM {_DOC_CODE} WHERE document_id = %s",
            [rendered.article_id, rendered.article_id],
        )
        rows = cursor.fetchall()
    topic_ids = frozenset(int(row[1]) for row in rows if row[0] == "t")
    codes = frozenset((row[1], row[2]) for row in rows if row[0] == "c")
    if topic_ids != rendered.topic_ids:
        PublishedTopic.objects.filter(document_id=rendered.article_id).delete()
        PublishedTopic.objects.bulk_create(
            PublishedTopic(document_id=rendered.article_id, topic_id=pk)
            for pk in rendered.topic_ids
        )
    if codes != rendered.codes:
        PublishedCode.objects.filter(document_id=rendered.article_id).delete()
        PublishedCode.objects.bulk_create(
            PublishedCode(document_id=rendered.article_id, system=system, code=code)
            for system, code in rendered.codes
        )


def document_store(article: Article) -> RenderedDocument:
    """Render the article's live revision and store it as the article's delivery document."""
    rendered = document_render(article)
    document_save(rendered)
    return rendered


def stored_etag(article_id: int) -> str | None:
    return (
        PublishedDocument.objects.filter(article_id=article_id)
        .values_list("etag", flat=True)
        .first()
    )


def search_config(locale: str) -> str:
    """The PostgreSQL text-search configuration for a locale."""
    return {"es": "spanish"}.get(locale.split("-")[0], "english")


def preview_document(article: Article, revision: Revision) -> dict[str, Any]:
    """Any revision in the delivery shape, plus its state, for the web team's preview."""
    is_live = article.live_revision_id == revision.pk
    doc = render_document(
        article,
        revision,
        reviewer=article.last_reviewed_by if is_live else revision.approved_by,
        translations=_translations(article),
    )
    doc["state"] = revision.state
    return doc


def document_remove(article: Article) -> None:
    PublishedDocument.objects.filter(article=article).delete()


def documents_refresh(articles: Any, *, at: datetime) -> int:
    """Re-render the live documents of `articles` (a queryset); the caller holds the feed lock.

    Each article is locked (in id order, so never a deadlock), re-rendered, and gets an
    `updated` change event only if its bytes changed. Returns how many changed.
    """
    changed = 0
    live = articles.select_for_update(of=("self",)).filter(live_revision__isnull=False)
    for article in live.select_related("last_reviewed_by").order_by("pk"):
        if document_refresh(article, at=at):
            changed += 1
    return changed


def document_refresh(
    article: Article,
    *,
    at: datetime,
    rendered: RenderedDocument | None = None,
    vectors: tuple[str, str] | None = None,
    force: bool = False,
) -> bool:
    """Re-render a live article (locked by the caller, with the feed lock held).

    Writes and announces (`updated`) only if the bytes changed; the article's version moves
    with them, since its public representation changed. Returns whether they did.
    `rendered` may be a rendering made before the locks, from this same article version;
    `force` writes the document even when its bytes are unchanged (to fill new columns).
    `vectors` go with `rendered` (see `search_vectors`).
    """
    if rendered is None:
        rendered, vectors = document_render(article), None
    changed = rendered.etag != stored_etag(article.pk)
    if changed or force:
        document_save(rendered, vectors)
    if changed:
        article.version += 1
        article.save(update_fields=["version", "updated_at"])
        feed_append(ChangeEvent.Kind.UPDATED, article, at=at)
    return changed


def translations_refresh(article: Article, *, at: datetime) -> None:
    """Re-render the live translations of `article`, whose `translations` lists changed."""
    siblings = (
        Article.objects.select_for_update(of=("self",))
        .filter(translation_group=article.translation_group, live_revision__isnull=False)
        .exclude(pk=article.pk)
        .order_by("pk")
    )
    for sibling in siblings.select_related("last_reviewed_by"):
        document_refresh(sibling, at=at)


def feed_append(kind: str, article: Article, *, at: datetime) -> ChangeEvent:
    """Append one event to the changes feed; the caller holds `workflow.lock_feed()`."""
    return ChangeEvent.objects.create(
        event=kind,
        article=article,
        slug=article.slug,
        locale=article.locale,
        revision_number=article.live_revision.number if article.live_revision_id else None,
        at=at,
    )
