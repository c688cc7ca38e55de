"""Seeds a large benchmark library in minutes: a few hundred articles by the real workflow, the
rest written in bulk with the rows publishing would have written.

The first `REAL_ARTICLES` articles (all of them when N is smaller) go through
`bench.seed.seed_units`, exactly as `bench/seed.py` seeds them: `services.article_create`,
`revision_submit`, `revision_approve`, `revision_publish`, so the write side's benchmark has
real articles, with their real audit chains, reviews and translations.

The rest are made here, over worker processes (one per core), a chunk of units at a time:

* the content is `bench.content.article_spec`, with the editor, reviewer and authors
  `bench/seed.py` gives the same article number; about 15% are Spanish translations;
* each revision's reading grade is `delivery.rendering.body_reading_grade` (what
  `articles.content.content_write` stores), and its delivery document is
  `delivery.rendering.document_render` of the `DocumentSource` that
  `articles.publication.document_source` would read from the stored rows: the same bytes,
  list item, ETag, cache tags, topics and codes;
* the search and rank vectors are computed by PostgreSQL with the door's own expressions
  (`delivery.door`), from the same plain text;
* each article's audit chain (created, submitted, approved, published) is built with
  `AuditEvent.chained_fields`, `contentapi.ledger.link_hash` and the service's signing key,
  as `AuditEvent.append` builds it, so `manage.py verify_audit` holds;
* rows go in with PostgreSQL COPY, one transaction per chunk. Revisions are written as
  drafts with their topics and codes, then moved to `published` by one UPDATE, so the
  database's guards on submitted revisions stay on and are never written past.

What differs from publishing one by one: the times come from a synthetic clock (one
millisecond per English article and its translation, from when the bulk part starts), ids are
handed out in order, and no NOTIFY is sent (nothing listens while seeding). The change feed
gets the events publishing writes: `published` for each article and, when its Spanish
translation goes live, `updated` for the English one (it then lists the translation).
"""

import multiprocessing
import statistics
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from psycopg.types.json import Jsonb

from articles.content import RevisionContent
from articles.models import (
    Article,
    AuditAction,
    AuditEvent,
    ReviewDecision,
    RevisionState,
    Topic,
)
from bench import content, seed
from contentapi.ledger import FORM, GENESIS, link_hash
from contentapi.models import User
from contentapi.signing import signer
from delivery import cache_tags, door
from delivery.codes import normalize_code
from delivery.models import ChangeKind
from delivery.rendering import (
    DocumentSource,
    RenderedDocument,
    TopicRef,
    TranslationLineage,
    body_reading_grade,
    document_render,
    search_config,
)

# Articles taken live by the real workflow before the bulk part (all of them below this).
REAL_ARTICLES = 200
# Units (an English article and maybe its translation) per chunk: one COPY transaction each.
CHUNK_UNITS = 250
# The synthetic clock: one unit per millisecond, its steps microseconds apart.
UNIT_STEP = timedelta(milliseconds=1)
APPROVAL_COMMENT = "Clinically accurate."  # what bench/seed.py's reviewers write
AUDIT_EVENTS_PER_ARTICLE = 4  # created, submitted, approved, published


# ------------------------------------------------------------------------------
# What every worker knows: staff, topics, the first ids and the clock
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    id: int
    username: str
    public_name: str
    credentials: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> "Person":
        return cls(user.pk, user.username, user.public_name, user.credentials, user.display_name)


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs besides its chunk; made once, before the workers fork."""

    editors: tuple[Person, ...]
    reviewers: tuple[Person, ...]
    publisher: Person
    topics: dict[str, tuple[int, str]]  # slug -> (id, name)
    # The first id of each table whose ids are handed out here (the rest use their default).
    first_article: int
    first_event: int  # audit events
    first_change: int  # change events
    started: datetime
    review_interval_days: int


@dataclass(frozen=True)
class Placed:
    """A unit and where its rows go: its position among the bulk units (the clock), and the
    offsets of its first article and first change event."""

    unit: seed.Unit
    position: int
    article: int
    change: int


@dataclass
class BulkReport:
    articles: int = 0
    seconds: float = 0.0
    processes: int = 1
    chunks: int = 0


@dataclass
class Rows:
    """One chunk's rows, per table, in COPY column order."""

    articles: list[tuple[Any, ...]] = field(default_factory=list)
    revisions: list[tuple[Any, ...]] = field(default_factory=list)
    revision_topics: list[tuple[Any, ...]] = field(default_factory=list)
    revision_codes: list[tuple[Any, ...]] = field(default_factory=list)
    reviews: list[tuple[Any, ...]] = field(default_factory=list)
    audit_events: list[tuple[Any, ...]] = field(default_factory=list)
    documents: list[tuple[Any, ...]] = field(default_factory=list)
    search_text: list[tuple[Any, ...]] = field(default_factory=list)
    document_topics: list[tuple[Any, ...]] = field(default_factory=list)
    document_codes: list[tuple[Any, ...]] = field(default_factory=list)
    change_events: list[tuple[Any, ...]] = field(default_factory=list)


# The columns COPY writes, per table (ids left out take the table's identity default).
COLUMNS: dict[str, tuple[str, str]] = {
    "articles": (
        "articles_article",
        "id, slug, locale, translation_group, status, review_interval_days, first_published_at, "
        "last_updated_at, last_reviewed_at, next_review_due, version, created_at, updated_at, "
        "created_by_id, latest_revision_id, live_revision_id, last_reviewed_by_id, "
        "outdated_since",
    ),
    "revisions": (
        "articles_revision",
        "id, article_id, number, state, title, summary, body, editor_note, sources, authors, "
        "author_id, base_revision, source_revision_id, meaning_changed, meaning_note, "
        "machine_translated, approved_by_id, approved_at, submitted_at, publish_at, "
        "scheduled_by_id, published_at, reading_grade, version, created_at, updated_at",
    ),
    "revision_topics": ("articles_revision_topics", "revision_id, topic_id"),
    "revision_codes": ("articles_revisioncode", "revision_id, system, code, display"),
    "reviews": (
        "articles_review",
        "id, revision_id, reviewer_id, decision, comment, created_at",
    ),
    "audit_events": (
        "articles_auditevent",
        "id, chain, seq, at, hash, form, key_id, signature, article_id, revision_id, topic_id, "
        "actor_id, action, comment, details, attests",
    ),
    "documents": (
        "articles_publisheddocument",
        "article_id, slug, locale, revision_number, title, summary, search_text, "
        "last_updated_at, rendered_at, body, list_item, etag, cache_tags, translation_group, "
        "outdated_since",
    ),
    "search_text": (
        "bulk_search_text",
        "article_id, locale, last_updated_at, config, title, summary, body_text",
    ),
    "document_topics": ("articles_publishedtopic", "document_id, topic_id, slug"),
    "document_codes": ("articles_publishedcode", "document_id, system, code"),
    "change_events": (
        "articles_changeevent",
        "id, event, article_id, slug, locale, revision_number, at, purge_keys",
    ),
}


def jsonb_order(value: Any) -> Any:
    """`value` with its objects' keys in the order PostgreSQL's jsonb keeps them (shorter
    keys first, then bytewise): the order a revision's sources and authors are read back in,
    and so the order the delivery document shows them in."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return {key: jsonb_order(value[key]) for key in keys}
    if isinstance(value, list | tuple):
        return [jsonb_order(item) for item in value]
    return value


# ------------------------------------------------------------------------------
# One article: the rows its creation, review and publication write
# ------------------------------------------------------------------------------
@dataclass
class Written:
    """What an article's rows say, for its translation and its document."""

    article_id: int
    revision_id: int
    slug: str
    locale: str
    group: uuid.UUID
    spec: content.ArticleSpec
    editor: Person
    reviewer: Person
    topics: tuple[TopicRef, ...]
    codes: tuple[tuple[str, str, str], ...]  # (system, code, display), as stored
    sources: list[dict[str, str]]
    authors: list[dict[str, str]]
    reading_grade: float | None
    times: dict[str, datetime]


def _times(start: datetime) -> dict[str, datetime]:
    """An article's moments, in the order the workflow takes them."""
    steps = (
        "created", "revision_created", "audit_created", "submitted", "audit_submitted",
        "approved", "reviewed", "audit_approved", "published", "rendered", "audit_published",
    )  # fmt: skip
    return {step: start + timedelta(microseconds=20 * k) for k, step in enumerate(steps)}


def _article(
    plan: Plan,
    spec: content.ArticleSpec,
    *,
    number: int,
    article_id: int,
    start: datetime,
    source: "Written | None",
) -> Written:
    editor = plan.editors[number % len(plan.editors)]
    reviewer = plan.reviewers[number % len(plan.reviewers)]
    authors = [{"name": editor.display_name, "credentials": editor.credentials.split(",")[0]}]
    # Topics and codes as the revision reads them back: topics by slug (Topic's ordering),
    # codes normalised, in the order they were written (RevisionCode's ordering, by id).
    slugs = sorted(set(spec.topics))
    topics = tuple(TopicRef(plan.topics[s][0], s, plan.topics[s][1]) for s in slugs)
    codes = tuple(
        (c["system"], normalize_code(c["system"], c["code"]), c.get("display", ""))
        for c in spec.codes
    )
    return Written(
        article_id=article_id,
        revision_id=article_id,  # one revision per article, numbered alike (see _first_ids)
        slug=spec.slug,
        locale=spec.locale,
        group=source.group if source is not None else uuid.uuid4(),
        spec=spec,
        editor=editor,
        reviewer=reviewer,
        topics=topics,
        codes=codes,
        sources=jsonb_order([dict(s) for s in spec.sources]),
        authors=jsonb_order(authors),
        reading_grade=body_reading_grade(spec.body, spec.locale),
        times=_times(start),
    )


def _content_hash(w: Written) -> str:
    """The hash an approval records: `RevisionContent.of(revision)` of the stored revision."""
    return RevisionContent(
        title=w.spec.title,
        summary=w.spec.summary,
        body=w.spec.body,
        editor_note=w.spec.editor_note,
        topics=tuple(t.slug for t in w.topics),
        codes=tuple({"system": s, "code": c, "display": d} for s, c, d in w.codes),
        sources=tuple(w.sources),
        authors=tuple(w.authors),
    ).content_hash


def _audit_rows(
    w: Written, plan: Plan, *, first_id: int, source: "Written | None"
) -> list[tuple[Any, ...]]:
    """The article's chain as `workflow.audit` appends it: four signed, linked records."""
    translates = {"slug": source.slug, "locale": source.locale, "revision": 1} if source else None
    content_hash = _content_hash(w)
    topics = [{"slug": t.slug, "name": t.name} for t in w.topics]

    def attests(actor: Person, vouches: bool) -> dict[str, Any]:
        # `workflow.attestation`: who, which revision, what it translates, and for
        # approvals and publications the words' hash and the topics.
        out: dict[str, Any] = {
            "by": {"name": actor.public_name, "credentials": actor.credentials},
            "revision": 1,
        }
        if translates is not None:
            out["translates"] = translates
        if vouches:
            out["content_hash"] = content_hash
            out["topics"] = topics
        return out

    contributors = [{"user": w.editor.id, "username": w.editor.username, "revisions": [1]}]
    steps = (
        (AuditAction.ARTICLE_CREATED, w.editor, "audit_created", "", {}, False),
        (AuditAction.SUBMITTED, w.editor, "audit_submitted", "", {}, False),
        (
            AuditAction.APPROVED,
            w.reviewer,
            "audit_approved",
            APPROVAL_COMMENT,
            {"contributors": contributors},
            True,
        ),
        (AuditAction.PUBLISHED, plan.publisher, "audit_published", "", {}, True),
    )
    key = signer()
    chain = f"article:{w.article_id}"
    previous = GENESIS
    rows = []
    for seq, (action, actor, moment, comment, details, vouches) in enumerate(steps, start=1):
        event = AuditEvent(
            chain=chain,
            seq=seq,
            at=w.times[moment],
            form=FORM,
            article_id=w.article_id,
            revision_id=w.revision_id,
            topic_id=None,
            actor_id=actor.id,
            action=action,
            comment=comment,
            details=details,
            attests=attests(actor, vouches),
        )
        event.hash = link_hash(previous, event.chained_fields())
        event.key_id, event.signature = key.key_id, key.sign("record", event.hash)
        previous = event.hash
        rows.append(
            (
                first_id + seq - 1,
                chain,
                seq,
                event.at,
                event.hash,
                FORM,
                event.key_id,
                event.signature,
                w.article_id,
                w.revision_id,
                None,
                actor.id,
                action.value,
                comment,
                Jsonb(details),
                Jsonb(event.attests),
            )
        )
    return rows


def _document(
    w: Written,
    plan: Plan,
    *,
    translations: tuple[tuple[str, str], ...],
    source: "Written | None",
) -> RenderedDocument:
    """What publishing stores: `document_render` of what `document_source` reads."""
    t = w.times
    return document_render(
        DocumentSource(
            article_id=w.article_id,
            slug=w.slug,
            locale=w.locale,
            translation_group=w.group,
            revision=1,
            title=w.spec.title,
            summary=w.spec.summary,
            body=w.spec.body,
            editor_note=w.spec.editor_note,
            topics=w.topics,
            codes=w.codes,
            sources=tuple(w.sources),
            authors=tuple(w.authors),
            reading_grade=w.reading_grade,
            reviewer=(w.reviewer.public_name, w.reviewer.credentials),
            first_published_at=t["published"],
            last_updated_at=t["published"],
            last_reviewed_at=t["reviewed"],
            next_review_due=t["reviewed"] + timedelta(days=plan.review_interval_days),
            translations=translations,
            translation=TranslationLineage(source.locale, 1, None) if source else None,
        )
    )


def _write_article(
    rows: Rows,
    w: Written,
    plan: Plan,
    *,
    rendered: RenderedDocument,
    source: "Written | None",
    updated_at: datetime,
    version: int,
    first_event: int,
) -> None:
    t = w.times
    reviewer, spec = w.reviewer, w.spec
    rows.articles.append(
        (
            w.article_id, w.slug, w.locale, w.group, "published", plan.review_interval_days,
            t["published"], t["published"], t["reviewed"],
            t["reviewed"] + timedelta(days=plan.review_interval_days), version, t["created"],
            updated_at, w.editor.id, w.revision_id, w.revision_id, reviewer.id, None,
        )
    )  # fmt: skip
    rows.revisions.append(
        (
            w.revision_id, w.article_id, 1, RevisionState.DRAFT.value, spec.title, spec.summary,
            spec.body, spec.editor_note, Jsonb(w.sources), Jsonb(w.authors), w.editor.id, None,
            source.revision_id if source else None, True, "", False, reviewer.id, t["approved"],
            t["submitted"], None, None, t["published"], w.reading_grade,
            4,  # created, submitted, approved, published: each bumps it
            t["revision_created"], t["rendered"],
        )
    )  # fmt: skip
    rows.revision_topics += [(w.revision_id, topic.id) for topic in w.topics]
    rows.revision_codes += [(w.revision_id, s, c, d) for s, c, d in w.codes]
    rows.reviews.append(
        (w.revision_id, w.revision_id, reviewer.id, ReviewDecision.APPROVED.value, APPROVAL_COMMENT,
         t["reviewed"])
    )  # fmt: skip
    rows.audit_events += _audit_rows(w, plan, first_id=first_event, source=source)
    rows.documents.append(
        (
            w.article_id, rendered.slug, rendered.locale, rendered.revision_number,
            rendered.title, rendered.summary, rendered.search_text, rendered.last_updated_at,
            updated_at, rendered.body, rendered.list_item, rendered.etag, rendered.cache_tags,
            rendered.translation_group, rendered.outdated_since,
        )
    )  # fmt: skip
    rows.search_text.append(
        (
            w.article_id, rendered.locale, rendered.last_updated_at,
            search_config(rendered.locale), rendered.title, rendered.summary,
            rendered.body_text,
        )
    )  # fmt: skip
    rows.document_topics += [(w.article_id, pk, slug) for pk, slug in sorted(rendered.topics)]
    rows.document_codes += [(w.article_id, s, c) for s, c in sorted(rendered.codes)]


def _change(
    rows: Rows, change_id: int, kind: ChangeKind, w: Written, at: datetime, tags: str
) -> None:
    """A change event as `DeliveryChange.announce` writes it."""
    purge = cache_tags.header_value(cache_tags.change_keys(tags.split(), w.locale))
    rows.change_events.append((change_id, kind.value, w.article_id, w.slug, w.locale, 1, at, purge))


def unit_rows(placed: Placed, plan: Plan, rows: Rows) -> int:
    """Add the rows of one unit (an English article, maybe its Spanish translation) to
    `rows`; returns how many articles that was."""
    unit = placed.unit
    start = plan.started + placed.position * UNIT_STEP
    article_id = plan.first_article + placed.article
    english = _article(
        plan,
        content.article_spec(unit.index, locale="en"),
        number=unit.index,
        article_id=article_id,
        start=start,
        source=None,
    )
    change_id = plan.first_change + placed.change
    event_id = plan.first_event + placed.article * AUDIT_EVENTS_PER_ARTICLE
    if not unit.spanish:
        rendered = _document(english, plan, translations=(), source=None)
        _write_article(
            rows,
            english,
            plan,
            rendered=rendered,
            source=None,
            updated_at=english.times["rendered"],
            version=4,
            first_event=event_id,
        )
        published = english.times["published"]
        _change(rows, change_id, ChangeKind.PUBLISHED, english, published, rendered.cache_tags)
        return 1
    # bench/seed.py numbers the translation after its source, for its editor and reviewer.
    spanish = _article(
        plan,
        content.article_spec(unit.index, locale="es"),
        number=unit.index + 1,
        article_id=article_id + 1,
        start=start + UNIT_STEP / 2,
        source=english,
    )
    # The English document as it stands once the translation is live: it lists it, and was
    # re-rendered (`Publication.refresh`: version + 1, `updated`) when the translation went live.
    english_doc = _document(english, plan, translations=(("es", spanish.slug),), source=None)
    spanish_doc = _document(spanish, plan, translations=(("en", english.slug),), source=english)
    refreshed = spanish.times["rendered"]
    _write_article(
        rows,
        english,
        plan,
        rendered=english_doc,
        source=None,
        updated_at=refreshed,
        version=5,
        first_event=event_id,
    )
    _write_article(
        rows,
        spanish,
        plan,
        rendered=spanish_doc,
        source=english,
        updated_at=refreshed,
        version=4,
        first_event=event_id + AUDIT_EVENTS_PER_ARTICLE,
    )
    en_tags, es_tags = english_doc.cache_tags, spanish_doc.cache_tags
    en_at, es_at = english.times["published"], spanish.times["published"]
    _change(rows, change_id, ChangeKind.PUBLISHED, english, en_at, en_tags)
    _change(rows, change_id + 1, ChangeKind.PUBLISHED, spanish, es_at, es_tags)
    _change(rows, change_id + 2, ChangeKind.UPDATED, english, es_at, en_tags)
    return 2


# ------------------------------------------------------------------------------
# Writing a chunk: COPY per table, one transaction
# ------------------------------------------------------------------------------
# The door's own expressions (`delivery.door.search_vectors`), over the staged text's columns.
_VECTORS = (
    door._SEARCH_VECTOR % ("config", "title", "config", "summary", "config", "body_text"),
    door._RANK_VECTOR % ("config", "title", "config", "summary"),
)


def _copy(cursor: Any, name: str, rows: Iterable[tuple[Any, ...]]) -> None:
    table, columns = COLUMNS[name]
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def write_rows(rows: Rows) -> None:
    """Write one chunk's rows in one transaction, in the order the workflow writes them."""
    revision_ids = [row[0] for row in rows.revisions]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bulk_search_text (article_id bigint, locale text, "
            "last_updated_at timestamptz, config regconfig, title text, summary text, "
            "body_text text) ON COMMIT DELETE ROWS"
        )
        # Foreign keys are checked at commit (Django makes them deferrable), so the order
        # only has to respect the guards: a revision's topics and codes go in while it is a
        # draft, as `content_write` writes them, and then it leaves draft.
        for name in ("articles", "revisions", "revision_topics", "revision_codes"):
            _copy(cursor, name, getattr(rows, name))
        cursor.execute(
            "UPDATE articles_revision SET state = %s WHERE id = ANY(%s)",
            [RevisionState.PUBLISHED.value, revision_ids],
        )
        for name in ("reviews", "audit_events", "documents", "search_text"):
            _copy(cursor, name, getattr(rows, name))
        cursor.execute(
            "INSERT INTO articles_publishedsearch (article_id, locale, last_updated_at, "
            f"search_vector, rank_vector) SELECT article_id, locale, last_updated_at, "
            f"{_VECTORS[0]}, {_VECTORS[1]} FROM bulk_search_text"
        )
        for name in ("document_topics", "document_codes", "change_events"):
            _copy(cursor, name, getattr(rows, name))


# ------------------------------------------------------------------------------
# Workers
# ------------------------------------------------------------------------------
_plan: Plan | None = None


def _worker_start(plan: Plan) -> None:
    """A worker's start: its own database connection (the parent closed its own first)."""
    global _plan
    _plan = plan


def _work(chunk: Sequence[Placed]) -> int:
    """Build and write one chunk; returns how many articles it held."""
    assert _plan is not None
    rows = Rows()
    count = sum(unit_rows(placed, _plan, rows) for placed in chunk)
    write_rows(rows)
    return count


def place(units: Sequence[seed.Unit]) -> list[Placed]:
    """Each unit with its position and the offsets of its first article and change event."""
    placed, articles, changes = [], 0, 0
    for position, unit in enumerate(units):
        placed.append(Placed(unit, position, articles, changes))
        articles += 2 if unit.spanish else 1
        changes += 3 if unit.spanish else 1  # published (x2) and the source's `updated`
    return placed


def _reserve(tables: Sequence[str], count: int) -> int:
    """Hand out `count` ids, the same in each of `tables`, past their highest; returns the
    first. Their sequences are moved past them now (setval), so later inserts (the workflow
    of the write-side benchmark) never collide with the bulk rows."""
    with connection.cursor() as cursor:
        highest = 0
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            highest = max(highest, cursor.fetchone()[0])
        for table in tables:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, highest + count]
            )
    return highest + 1


def _first_ids(bulk: list[Placed]) -> tuple[int, int, int]:
    """Reserve the ids of articles, revisions and reviews (the same numbers: one revision and
    one review per article, so one offset serves all three), audit events and change
    events; returns the first of each kind."""
    if not bulk:
        return 1, 1, 1
    last = bulk[-1]
    articles = last.article + (2 if last.unit.spanish else 1)
    changes = last.change + (3 if last.unit.spanish else 1)
    first_article = _reserve(("articles_article", "articles_revision", "articles_review"), articles)
    first_event = _reserve(("articles_auditevent",), articles * AUDIT_EVENTS_PER_ARTICLE)
    first_change = _reserve(("articles_changeevent",), changes)
    return first_article, first_event, first_change


def bulk_write(units: Sequence[seed.Unit], *, processes: int) -> BulkReport:
    """Write `units` in bulk over `processes` workers; the staff and topics must exist."""
    report = BulkReport(processes=processes)
    started = time.monotonic()
    staff = seed.Staff.load()
    bulk = place(units)
    total = sum(2 if unit.spanish else 1 for unit in units)
    first_article, first_event, first_change = _first_ids(bulk)
    plan = Plan(
        editors=tuple(Person.of(u) for u in staff.editors),
        reviewers=tuple(Person.of(u) for u in staff.reviewers),
        publisher=Person.of(staff.publisher),
        topics={
            slug: (pk, name) for pk, slug, name in Topic.objects.values_list("pk", "slug", "name")
        },
        first_article=first_article,
        first_event=first_event,
        first_change=first_change,
        started=datetime.now(UTC),
        review_interval_days=settings.DEFAULT_REVIEW_INTERVAL_DAYS,
    )
    chunks = [bulk[k : k + CHUNK_UNITS] for k in range(0, len(bulk), CHUNK_UNITS)]
    report.chunks = len(chunks)
    # Forked workers must not share this process's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    done = 0
    with context.Pool(processes, initializer=_worker_start, initargs=(plan,)) as pool:
        for count in pool.imap_unordered(_work, chunks):
            done += count
            seed.progress(done, total, started, "bulk")
    sys.stderr.write("\n")
    report.articles = done
    report.seconds = time.monotonic() - started
    return report


# ------------------------------------------------------------------------------
# The whole seed
# ------------------------------------------------------------------------------
@dataclass
class BulkSeedReport(seed.SeedReport):
    real_articles: int = 0
    real_seconds: float = 0.0
    bulk_articles: int = 0
    bulk_seconds: float = 0.0
    method: str = "bulk"


def seed_bulk(
    total: int, *, processes: int | None = None, real: int = REAL_ARTICLES
) -> BulkSeedReport:
    """Seed `total` live articles: the first `real` through the workflow, in this process
    (timed per step, as `bench.seed.seed` times its sample), the rest in bulk over
    `processes` workers (default: one per core)."""
    processes = processes or multiprocessing.cpu_count()
    report = BulkSeedReport(processes=processes)
    started = time.monotonic()
    report.topics = seed.staff_and_topics()
    staff = seed.Staff.load()
    units = seed.plan(total)

    first: list[seed.Unit] = []
    in_first = 0
    while in_first < min(real, total) and len(first) < len(units):
        unit = units[len(first)]
        first.append(unit)
        in_first += 2 if unit.spanish else 1
    timings: dict[str, list[float]] = {step: [] for step in seed.STEPS}
    real_started = time.perf_counter()
    done = 0
    for unit in first:
        done += seed.seed_units([unit], staff=staff, timings=timings)
        seed.progress(done, in_first, started, "workflow")
    sys.stderr.write("\n")
    report.real_seconds = time.perf_counter() - real_started
    report.real_articles = report.sample_articles = in_first
    report.sample_ms_per_article = report.real_seconds * 1000 / max(in_first, 1)
    report.sample_step_ms = {step: statistics.mean(v) for step, v in timings.items() if v}

    rest = units[len(first) :]
    if rest:
        bulk = bulk_write(rest, processes=processes)
        report.bulk_articles, report.bulk_seconds = bulk.articles, bulk.seconds
    report.articles = Article.objects.filter(live_revision__isnull=False).count()
    report.seconds = time.monotonic() - started
    if report.articles != total:
        raise RuntimeError(f"Seeded {report.articles} live articles, expected {total}.")
    return report
