"""Reads: the write side for the management API, and live documents for portals."""

import difflib
import json
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import authorship, cds_hooks, infobutton, read_side
from articles.answers import GENERATION_COLUMN, cached_answer
from articles.content import RevisionContent, normalize_code
from articles.models import (
    Article,
    ArticleStatus,
    AuditEvent,
    ChangeEvent,
    CodeSystem,
    Note,
    PublishedCode,
    PublishedDocument,
    PublishedSearch,
    PublishedTopic,
    Review,
    Revision,
    RevisionState,
    Topic,
)
from articles.plain_language import reading_text
from articles.readability import above_plain_language_target
from articles.rendering import (
    document_fields,
    markdown_to_html,
    search_config,
    to_bytes,
)
from articles.textdiff import Segment, changed_words, word_diff
from articles.workflow import refusal
from contentapi.models import User


def managed_article_list(
    *, status: str | None = None, review_overdue: bool | None = None, q: str | None = None
) -> QuerySet[Article]:
    """All articles, any status, most recently changed first."""
    qs = Article.objects.select_related("latest_revision", "live_revision")
    if status:
        qs = qs.filter(status=status)
    if review_overdue is not None:
        overdue = Q(status=ArticleStatus.PUBLISHED, next_review_due__lt=timezone.now())
        qs = qs.filter(overdue) if review_overdue else qs.exclude(overdue)
    if q:
        qs = qs.filter(Q(slug__icontains=q) | Q(latest_revision__title__icontains=q))
    return qs.order_by("-updated_at", "-id")


def managed_article_get(article_id: int) -> Article:
    return get_object_or_404(
        Article.objects.select_related("latest_revision", "live_revision"), pk=article_id
    )


def revision_list(article: Article) -> QuerySet[Revision]:
    return article.revisions.select_related("author").order_by("-number")


def revision_get(article_id: int, number: int) -> Revision:
    """One revision with everything its detail shows, in a fixed number of queries."""
    return get_object_or_404(
        Revision.objects.select_related("author", "approved_by", "article").prefetch_related(
            "topics",
            "codes",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        ),
        article_id=article_id,
        number=number,
    )


def article_contributors(article_id: int) -> dict[int, list[dict[str, Any]]]:
    """Who wrote part of each revision's text, by revision number (two queries)."""
    by_number = authorship.article_contributors(article_id)
    users = User.objects.in_bulk({c.user_id for found in by_number.values() for c in found})
    return {
        number: [
            {
                "username": c.username,
                "name": users[c.user_id].public_name,
                "revisions": sorted(c.revisions),
            }
            for c in found
        ]
        for number, found in by_number.items()
    }


def revision_notes(revision: Revision) -> QuerySet[Note]:
    return revision.notes.select_related("author").order_by("created_at", "id")


def article_history(article: Article) -> QuerySet[AuditEvent]:
    return article.audit_events.select_related("actor", "revision").order_by("seq")


DIFF_FIELDS = ("title", "summary", "editor_note", "topics", "codes", "sources", "authors")


def revision_diff(base: Revision, revision: Revision) -> dict[str, Any]:
    """What changed from `base` to `revision`: each changed field, and a line diff of the body."""
    before, after = RevisionContent.of(base), RevisionContent.of(revision)
    changed = [
        {
            "field": name,
            "before": _plain(getattr(before, name)),
            "after": _plain(getattr(after, name)),
        }
        for name in (*DIFF_FIELDS, "body")
        if getattr(before, name) != getattr(after, name)
    ]
    body_diff = list(
        difflib.unified_diff(
            before.body.splitlines(),
            after.body.splitlines(),
            fromfile=f"revision {base.number}",
            tofile=f"revision {revision.number}",
            lineterm="",
        )
    )
    return {
        "base": base.number,
        "revision": revision.number,
        "changed": changed,
        "body_diff": body_diff,
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ------------------------------------------------------------------------------
# The read side: live documents for portals. Each read is one indexed query, written as
# SQL because building the same query through the ORM costs several times the query itself
# on this hot path (measured: ~0.7 ms ORM vs ~0.1 ms raw for the detail read).
# ------------------------------------------------------------------------------
_DOC = PublishedDocument._meta.db_table
_DOC_TOPIC = PublishedTopic._meta.db_table
_DOC_CODE = PublishedCode._meta.db_table
_TOPIC = Topic._meta.db_table
_SEARCH = PublishedSearch._meta.db_table
_ARTICLE = Article._meta.db_table
_CHANGE = ChangeEvent._meta.db_table


@dataclass(frozen=True)
class StoredDocument:
    body: bytes
    etag: str
    rendered_at: datetime
    locale: str
    cache_tags: str


def _aware(value: datetime | str) -> datetime:
    # SQLite's raw cursor hands back naive UTC datetimes (or text); PostgreSQL aware ones.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def published_document_get(
    *, slug: str, locale: str | None, with_body: bool = True
) -> StoredDocument | None:
    """The stored bytes of one live article, or None; without them (b"") if not `with_body`.

    `locale` None means the default locale or, if the slug is not live in that one but in
    exactly one other, that one. A revalidation (If-None-Match) asks first without the
    body, so a 304 never reads the document itself out of storage.
    """
    columns = (
        "body, etag, rendered_at, locale, cache_tags"
        if with_body
        else "'', etag, rendered_at, locale, cache_tags"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {_DOC} WHERE slug = %s AND locale = %s",
            [slug, locale or settings.DEFAULT_CONTENT_LOCALE],
        )
        rows = cursor.fetchall()
        if not rows and locale is None:
            cursor.execute(f"SELECT {columns} FROM {_DOC} WHERE slug = %s LIMIT 2", [slug])
            rows = cursor.fetchall()
    if len(rows) != 1:
        return None
    body, etag, rendered_at, found_locale, tags = rows[0]
    return StoredDocument(
        bytes(body) if with_body else b"", etag, _aware(rendered_at), found_locale, tags
    )


@dataclass(frozen=True)
class LivePage:
    """One page of stored list items, and how many live articles match on all pages."""

    items: list[bytes]
    count: int


def published_list_items(
    *,
    offset: int,
    limit: int,
    locale: str | None = None,
    topic: str | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
    code: str | None = None,
    code_system: str | None = None,
) -> LivePage:
    """Stored list items of live articles, newest first (best match first with `q`).

    `code` with `code_system` finds that code in that system; `code` alone, in any system;
    `code_system` alone, the articles that carry any code of that system. The count is a
    second, narrow query with the same filters (an index-only scan for most of them).
    """
    joins: list[str] = []
    where: list[str] = []
    join_params: list[Any] = []
    params: list[Any] = []
    order = "d.last_updated_at DESC, d.article_id DESC"
    if topic:
        # (topic, document) is unique, so the join adds no duplicate rows.
        joins.append(
            f"JOIN {_DOC_TOPIC} pt ON pt.document_id = d.article_id "
            f"AND pt.topic_id = (SELECT id FROM {_TOPIC} WHERE slug = %s)"
        )
        join_params.append(topic)
    if code and code_system:
        joins.append(
            f"JOIN {_DOC_CODE} pc ON pc.document_id = d.article_id "
            "AND pc.system = %s AND pc.code = %s"
        )
        join_params += [code_system, normalize_code(code_system, code)]
    elif code_system:
        where.append(
            f"EXISTS (SELECT 1 FROM {_DOC_CODE} pc WHERE pc.document_id = d.article_id "
            "AND pc.system = %s)"
        )
        params.append(code_system)
    elif code:
        # No system: the code in any system, each normalised as that system writes codes.
        forms = sorted({normalize_code(system, code) for system in CodeSystem.values})
        where.append(
            f"EXISTS (SELECT 1 FROM {_DOC_CODE} pc WHERE pc.document_id = d.article_id "
            f"AND pc.code IN ({', '.join(['%s'] * len(forms))}))"
        )
        params += forms
    if locale:
        where.append("d.locale = %s")
        params.append(locale)
    if updated_since:
        where.append("d.last_updated_at > %s")
        params.append(updated_since)
    searching = bool(q) and connection.vendor == "postgresql"
    if searching:
        configs = [search_config(locale)] if locale else ["english", "spanish"]
        query = " || ".join("websearch_to_tsquery(%s::regconfig, %s)" for _ in configs)
        joins.append(f"CROSS JOIN (SELECT ({query}) AS query) sq")
        join_params += [value for config in configs for value in (config, q)]
        # Ranked by title and summary (small in-row vectors); body matches then newest first.
        where.append("d.search_vector @@ sq.query")
    elif q:
        for word in q.split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("d.search_text LIKE %s ESCAPE '\\'")
            params.append(f"%{escaped}%")
    filters = " ".join([*joins, f"WHERE {' AND '.join(where)}" if where else ""])
    args = [*join_params, *params]
    if searching:
        # Rank and page in the narrow search table (aliased d: the same columns the filters
        # name), then join the page's stored items.
        page_sql = (
            f"SELECT doc.list_item, {GENERATION_COLUMN} "
            "FROM (SELECT d.article_id, d.last_updated_at, "
            f"ts_rank(d.rank_vector, sq.query) AS rank FROM {_SEARCH} d {filters} "
            f"ORDER BY rank DESC, {order} LIMIT %s OFFSET %s) top "
            f"JOIN {_DOC} doc ON doc.article_id = top.article_id "
            "ORDER BY top.rank DESC, top.last_updated_at DESC, top.article_id DESC"
        )
        count_sql = f"SELECT COUNT(*) FROM {_SEARCH} d {filters}"
    else:
        page_sql = (
            f"SELECT d.list_item, {GENERATION_COLUMN} FROM {_DOC} d {filters} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        count_sql = f"SELECT COUNT(*) FROM {_DOC} d {filters}"
    # Only the search needs a transaction (for SET LOCAL); the rest stay one round trip each.
    with transaction.atomic() if searching else nullcontext(), connection.cursor() as cursor:
        if searching:
            # For a common word the planner prefers a sequential scan, not knowing that
            # testing each row unpacks its large body vector from TOAST storage (measured:
            # 64 ms for one word at 10,000 articles, against ~2 ms through the index). Seq
            # scans are priced out for these statements only (SET LOCAL ends with the
            # transaction).
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(page_sql, [*args, limit, offset])
        rows = cursor.fetchall()
    items = [bytes(row[0]) for row in rows]
    if offset == 0 and len(items) < limit:
        # The first page holds every match: no need to count them again.
        return LivePage(items=items, count=len(items))
    # Counting every match costs what the page did, or more (a COUNT over 10,000 rows): the
    # count is kept until the live set changes, under the filters (not the page).
    return LivePage(
        items=items,
        count=cached_answer(
            "list-count",
            repr([count_sql, args]),
            lambda: _count(count_sql, args, searching),
            # Read with the page (a page past the end has no row to carry it).
            generation=(rows[0][1] or 0) if rows else None,
        ),
    )


def _count(sql: str, args: list[Any], searching: bool) -> int:
    with transaction.atomic() if searching else nullcontext(), connection.cursor() as cursor:
        if searching:
            cursor.execute("SET LOCAL enable_seqscan = off")  # as the search itself does
        cursor.execute(sql, args)
        return int(cursor.fetchone()[0])


def live_documents_with_codes(
    codes: Sequence[tuple[str, str]], *, locales: Sequence[str], per_code: int | None = None
) -> list[infobutton.CodedDocument]:
    """Live documents in `locales` of each translation group in which some live article
    carries one of `codes` ((system, normalised code) pairs); one row per code and document,
    newest first.

    Matching on the group lets a live translation answer for codes its original carries.
    Choosing among the rows (language, specificity) is the caller's: see
    `articles.infobutton.rank`. With `per_code`, only the `per_code` newest live articles
    carrying each code are looked at (their translations included), so a common code costs
    no more than a rare one. One indexed query; no document bytes are read.
    """
    matches, params = _code_matches(codes)
    if not matches or not locales:
        return []
    coded = f"SELECT c.system, c.code, c.document_id FROM {_DOC_CODE} c WHERE {matches}"
    if per_code:
        coded = (
            "SELECT system, code, document_id FROM (SELECT c.system, c.code, c.document_id, "
            "ROW_NUMBER() OVER (PARTITION BY c.system, c.code "
            "ORDER BY cd.last_updated_at DESC, cd.article_id DESC) AS n "
            f"FROM {_DOC_CODE} c JOIN {_DOC} cd ON cd.article_id = c.document_id "
            f"WHERE {matches}) newest WHERE n <= %s"
        )
        params = [*params, per_code]
    sql = (
        "SELECT c.system, c.code, d.article_id, a.translation_group, d.locale "
        f"FROM ({coded}) c "
        f"JOIN {_ARTICLE} coded ON coded.id = c.document_id "
        f"JOIN {_ARTICLE} a ON a.translation_group = coded.translation_group "
        f"JOIN {_DOC} d ON d.article_id = a.id "
        f"WHERE d.locale IN ({', '.join(['%s'] * len(locales))}) "
        "ORDER BY d.last_updated_at DESC, d.article_id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *locales])
        return [
            infobutton.CodedDocument(system, code, article_id, str(group), locale)
            for system, code, article_id, group, locale in cursor.fetchall()
        ]


def _code_matches(codes: Sequence[tuple[str, str]]) -> tuple[str, list[Any]]:
    """A WHERE condition on PublishedCode `c` matching any of `codes`, and its parameters."""
    by_system: dict[str, list[str]] = {}
    for system, code in codes:
        if code not in by_system.setdefault(system, []):
            by_system[system].append(code)
    sql = " OR ".join(
        f"(c.system = %s AND c.code IN ({', '.join(['%s'] * len(values))}))"
        for values in by_system.values()
    )
    return sql, [v for system, values in by_system.items() for v in (system, *values)]


def best_documents_for_codes(
    codes: Sequence[tuple[str, str]], *, locales: Sequence[str], limit: int
) -> list[tuple[int, bytes]]:
    """The stored documents that best answer `codes` (most specific first), as (position of
    the matched code in `codes`, detail bytes), at most `limit`, in one query.

    The same choice as `infobutton.rank` over `live_documents_with_codes`, made by the
    database so that only the chosen documents' bytes leave it: per translation group, the
    most specific code any of its live articles carries, and its article in the first of
    `locales` that is live; groups by that code, then newest first.
    """
    matches, params = _code_matches(codes)
    if not matches or not locales:
        return []
    position = " ".join("WHEN c.system = %s AND c.code = %s THEN %s" for _ in codes)
    position_params = [v for index, pair in enumerate(codes) for v in (*pair, index)]
    preference = " ".join("WHEN %s THEN %s" for _ in locales)
    preference_params = [v for index, locale in enumerate(locales) for v in (locale, index)]
    sql = (
        f"WITH hits AS (SELECT coded.translation_group AS grp, MIN(CASE {position} END) AS pos "
        f"FROM {_DOC_CODE} c JOIN {_ARTICLE} coded ON coded.id = c.document_id "
        f"WHERE {matches} GROUP BY coded.translation_group), "
        "picks AS (SELECT h.pos, d.article_id, d.last_updated_at, ROW_NUMBER() OVER "
        f"(PARTITION BY h.grp ORDER BY CASE d.locale {preference} END) AS pick "
        f"FROM hits h JOIN {_ARTICLE} a ON a.translation_group = h.grp "
        f"JOIN {_DOC} d ON d.article_id = a.id "
        f"WHERE d.locale IN ({', '.join(['%s'] * len(locales))})) "
        f"SELECT p.pos, doc.body FROM picks p JOIN {_DOC} doc ON doc.article_id = p.article_id "
        "WHERE p.pick = 1 ORDER BY p.pos, p.last_updated_at DESC, p.article_id DESC LIMIT %s"
    )
    args = [*position_params, *params, *preference_params, *locales, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(int(pos), bytes(body)) for pos, body in cursor.fetchall()]


def published_bodies(article_ids: Sequence[int]) -> dict[int, bytes]:
    """The stored detail documents of these live articles, by article id (one query)."""
    if not article_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id, body FROM {_DOC} "
            f"WHERE article_id IN ({', '.join(['%s'] * len(article_ids))})",
            list(article_ids),
        )
        return {article_id: bytes(body) for article_id, body in cursor.fetchall()}


def last_delivery_change_at() -> datetime | None:
    """When the live set last changed (the newest change event), or None if it never did."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT at FROM {_CHANGE} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return _aware(row[0]) if row else None


def infobutton_feed(
    *,
    system: str,
    requested: str,
    codes: list[str],
    lang: infobutton.Language,
    categories: list[tuple[str, str]],
    limit: int,
) -> infobutton.Feed:
    """The Infobutton answer for `codes` (most specific first) of `system`: one query (and
    for an empty answer a second, for when the live library last changed). `requested` is
    the code as asked for; no `codes` (it is no code of the system) is an empty answer."""
    pairs = [(system, code) for code in codes]
    entries = [
        infobutton.entry(*pairs[position], json.loads(body), requested=lang.requested)
        for position, body in best_documents_for_codes(pairs, locales=lang.locales, limit=limit)
    ]
    return infobutton.feed(
        system=system,
        code=codes[0] if codes else requested.strip(),
        lang=lang,
        categories=categories,
        entries=entries,
        library_changed_at=None if entries else last_delivery_change_at(),
    )


def cds_hooks_cards(
    conditions: list[list[tuple[str, str]]], *, hook_instance: str
) -> list[dict[str, Any]]:
    """CDS Hooks cards for the patient's conditions (`cds_hooks.condition_codes`): at most
    one per condition, no article twice. The cards for a set of conditions are kept (without
    their per-call `uuid`) until the live set changes (`articles.answers`); otherwise two
    queries, whatever the conditions."""
    templates = cached_answer("cds-hooks", repr(conditions), lambda: _cds_cards(conditions))
    return [cds_hooks.card_for(template, hook_instance=hook_instance) for template in templates]


def _cds_cards(conditions: list[list[tuple[str, str]]]) -> list[dict[str, Any]]:
    """The cards (without `uuid`) of the articles chosen for `conditions`, in order."""
    chosen = _cds_articles(conditions)
    bodies = published_bodies(chosen)
    return [
        cds_hooks.card_template(json.loads(bodies[article_id]))
        for article_id in chosen
        if article_id in bodies
    ]


def _cds_articles(conditions: list[list[tuple[str, str]]]) -> list[int]:
    """The articles chosen for `conditions`, in card order (one query)."""
    pairs = list(dict.fromkeys(pair for codes in conditions for pair in codes))
    locales = [settings.DEFAULT_CONTENT_LOCALE]
    # A condition's card is the best of its articles that no earlier condition took, so it
    # is among the newest len(conditions) translation groups carrying the code: at most that
    # many articles per group's locales.
    per_code = len(conditions) * len(settings.CONTENT_LOCALES)
    rows = live_documents_with_codes(pairs, locales=locales, per_code=per_code) if pairs else []
    return [c.match.document.article_id for c in cds_hooks.choose(conditions, rows, locales)]


def live_topics() -> QuerySet[Topic]:
    """Every topic with how many live articles name it."""
    return (
        Topic.objects.select_related("parent")
        .annotate(live_articles=Count("live_links"))
        .order_by("slug")
    )


def changes_after(after_id: int, *, limit: int) -> list[dict[str, Any]]:
    """Change events after `after_id`, oldest first.

    One plain statement, and the database writes each time as text (`_utc_text`), since a
    feed page of 100 events spent a fifth of its time turning timestamps into datetimes and
    back into text.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, event, slug, locale, revision_number, {_utc_text('at')} "
            f"FROM {_CHANGE} WHERE id > %s ORDER BY id LIMIT %s",
            [after_id, limit],
        )
        rows = cursor.fetchall()
    return [
        {
            "id": pk,
            "event": event,
            "slug": slug,
            "locale": locale,
            "revision": revision,
            "at": _iso_from_text(at),
        }
        for pk, event, slug, locale, revision, at in rows
    ]


def _utc_text(column: str) -> str:
    """SQL for a timestamp column as `YYYY-MM-DD HH:MM:SS[.ffffff]` text, in UTC."""
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    return column  # SQLite keeps Django's UTC text as it is


def _iso_from_text(text: str) -> str:
    """`rendering.iso`'s spelling (`2026-11-27T14:11:36.420642Z`, no fraction when zero) of
    `_utc_text`'s text."""
    text = str(text).replace(" ", "T", 1)
    if text.endswith(".000000"):
        text = text[: -len(".000000")]
    return text + "Z"


def revision_preview(revision: Revision) -> dict[str, Any]:
    """Any revision in the delivery shape, plus its state, for the web team's preview.

    The reviewer shown is who approved this revision (or, for the live one, who last
    approved or re-certified it).
    """
    article = revision.article
    is_live = article.live_revision_id == revision.pk
    reviewer = article.last_reviewed_by if is_live else revision.approved_by
    source = read_side.document_source(article, revision, reviewer=reviewer)
    return {**document_fields(source), "state": revision.state}


# Seconds a rendered preview is reused. Its key names the revision's and the article's
# versions, which every change to either moves, so only the translations list (other
# articles going live) can be this much out of date.
PREVIEW_CACHE_SECONDS = 300


def revision_preview_bytes(revision: Revision) -> bytes:
    """The preview's JSON, rendered once per version of the revision and its article."""
    key = f"preview:{revision.pk}.{revision.version}:{revision.article.version}"
    body = cache.get(key)
    if body is None:
        body = to_bytes(revision_preview(revision))
        cache.set(key, body, timeout=PREVIEW_CACHE_SECONDS)
    return body


# ------------------------------------------------------------------------------
# The review pages (`review/`): what waits for a reviewer, and one revision as they read it
# ------------------------------------------------------------------------------
# Live articles whose clinical review falls due within this many days are listed for
# re-certification (overdue ones first).
REVIEW_DUE_WITHIN_DAYS = 30


@dataclass(frozen=True)
class QueueItem:
    """A revision waiting in review, and whether this reviewer may approve it."""

    revision: Revision
    grade_flagged: bool
    # Why this reviewer may not approve it (the workflow's own words), or "".
    approve_refusal: str


def review_queue(actor: User) -> list[QueueItem]:
    """Every revision in review, oldest submission first, each with the actor's refusal."""
    revisions = (
        Revision.objects.filter(state=RevisionState.IN_REVIEW)
        .select_related("article", "author")
        .order_by("submitted_at", "pk")
    )
    return [
        QueueItem(
            revision=revision,
            grade_flagged=above_plain_language_target(revision.reading_grade),
            approve_refusal=refusal("approve", actor=actor, revision=revision) or "",
        )
        for revision in revisions
    ]


@dataclass(frozen=True)
class DueItem:
    """A live article whose clinical review is due, and whether this reviewer may re-certify."""

    article: Article
    overdue: bool
    certify_refusal: str


def review_due(actor: User, *, within_days: int = REVIEW_DUE_WITHIN_DAYS) -> list[DueItem]:
    """Live articles due for review within `within_days` (or overdue), most overdue first."""
    now = timezone.now()
    articles = (
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED,
            next_review_due__lte=now + timedelta(days=within_days),
        )
        .select_related("live_revision", "last_reviewed_by")
        .order_by("next_review_due", "pk")
    )
    return [
        DueItem(
            article=article,
            overdue=article.next_review_due < now,
            certify_refusal=refusal("certify-review", actor=actor, revision=article.live_revision)
            or "",
        )
        for article in articles
    ]


def review_base(revision: Revision) -> Revision | None:
    """What a reviewer compares `revision` with: the live revision, or else the newest
    earlier revision a reviewer approved; None for an article with neither (all new)."""
    article = revision.article
    earlier = Revision.objects.filter(article=article, number__lt=revision.number)
    if article.live_revision_id and article.live_revision_id != revision.pk:
        base = earlier.filter(pk=article.live_revision_id)
    else:
        base = earlier.filter(approved_by__isnull=False).order_by("-number")
    return base.prefetch_related("topics", "codes").first()


@dataclass(frozen=True)
class FieldDiff:
    """One field of the revision as a word diff against the base."""

    label: str
    segments: list[Segment]
    inserted: int
    deleted: int


def _review_texts(revision: Revision) -> dict[str, str]:
    """Each field as the reader sees it, as plain text to diff word by word."""
    content = RevisionContent.of(revision)
    return {
        "Title": content.title,
        "Summary": content.summary,
        # One paragraph per block, as the reader meets them: "\n\n" between blocks.
        "Body": reading_text(markdown_to_html(content.body)).replace("\n", "\n\n"),
        "Editor's note": content.editor_note,
        "Topics": ", ".join(t.name for t in revision.topics.all()),
        "Medical codes": "\n".join(
            f"{CodeSystem(c.system).label} {c.code} {c.display}".strip()
            for c in revision.codes.all()
        ),
        "Sources": "\n".join(f"{s.get('title', '')} ({s.get('url', '')})" for s in content.sources),
        "Authors": "\n".join(
            ", ".join(part for part in (a.get("name", ""), a.get("credentials", "")) if part)
            for a in content.authors
        ),
    }


def review_diff(base: Revision, revision: Revision) -> tuple[list[FieldDiff], list[str]]:
    """The fields that changed from `base` to `revision` as word diffs, and the labels of
    those that did not."""
    before, after = _review_texts(base), _review_texts(revision)
    changed, unchanged = [], []
    for label, text in after.items():
        if text == before[label]:
            unchanged.append(label)
            continue
        segments = word_diff(before[label], text)
        inserted, deleted = changed_words(segments)
        changed.append(FieldDiff(label, segments, inserted, deleted))
    return changed, unchanged


def revision_for_review(article_id: int, number: int) -> Revision:
    """One revision with its article, author, topics and codes (404 if there is none)."""
    return get_object_or_404(
        Revision.objects.select_related(
            "author", "approved_by", "article", "article__last_reviewed_by"
        ).prefetch_related("topics", "codes"),
        article_id=article_id,
        number=number,
    )
