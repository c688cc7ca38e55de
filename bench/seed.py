"""Seeds the benchmark database: staff, topics, and N articles taken live by the real workflow.

Each article goes through `services.article_create`, `workflow.revision_submit`,
`workflow.revision_approve` (by a reviewer, never its author) and `workflow.revision_publish`,
exactly as the management API would do it; no bulk shortcut. About 15% of the articles are
Spanish translations of English ones, so publishing them re-renders their English sibling
just as it does in production. The first articles run in this process to measure the cost per
article; the rest are split over worker processes (one per core), each on its own connection.
"""

import multiprocessing
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized

import django
from django.conf import settings
from django.db import connections, transaction

from articles import services, workflow
from articles.content import RevisionContent
from articles.models import Article, Topic
from bench import content
from contentapi.credentials import staff_user_create
from contentapi.models import User

SPANISH_SHARE = 0.15
STEPS = ("create", "submit", "approve", "publish")

EDITORS = (
    ("bench.editor1", "Ana Ruiz", "RN, patient-education editor"),
    ("bench.editor2", "Tom Becker", "MPH, health writer"),
    ("bench.editor3", "Lucía Gómez", "RN, bilingual editor"),
    ("bench.editor4", "Grace Lee", "RD, nutrition editor"),
)
REVIEWERS = (
    ("bench.reviewer1", "Dr. Mei Chen", "MD, breast radiologist"),
    ("bench.reviewer2", "Dr. Chidi Okafor", "MD, endocrinologist"),
    ("bench.reviewer3", "Dr. Sara Lindqvist", "MD, cardiologist"),
    ("bench.reviewer4", "Dr. Omar Haddad", "MD, pulmonologist"),
    ("bench.reviewer5", "Dr. Rosa Martín", "MD, pediatrician"),
    ("bench.reviewer6", "Dr. Ken Watanabe", "MD, oncologist"),
)
PUBLISHER = ("bench.publisher", "Sam Patel", "Web publisher")


@dataclass(frozen=True)
class Unit:
    """An English article and, for some, its Spanish translation: seeded together, in order."""

    index: int
    spanish: bool


@dataclass
class SeedReport:
    articles: int = 0
    topics: int = 0
    seconds: float = 0.0
    # Measured on the first articles, in this process: milliseconds per step and per article.
    sample_articles: int = 0
    sample_ms_per_article: float = 0.0
    sample_step_ms: dict[str, float] = field(default_factory=dict)
    processes: int = 1


def plan(total: int) -> list[Unit]:
    """Units covering `total` articles, the Spanish ones spread evenly among the English."""
    spanish = round(total * SPANISH_SHARE)
    english = total - spanish
    return [
        Unit(index=i, spanish=(i * spanish) // english != ((i + 1) * spanish) // english)
        for i in range(english)
    ]


def staff_and_topics() -> int:
    """Create the staff users and the topic tree; returns the number of topics."""
    for username, name, credentials in EDITORS:
        staff_user_create(
            username=username,
            roles=["editor"],
            display_name=name,
            credentials=credentials,
            actor_label="benchmark",
        )
    for username, name, credentials in REVIEWERS:
        staff_user_create(
            username=username,
            roles=["reviewer"],
            display_name=name,
            credentials=credentials,
            languages=settings.CONTENT_LOCALES,
            actor_label="benchmark",
        )
    username, name, credentials = PUBLISHER
    staff_user_create(
        username=username,
        roles=["publisher"],
        display_name=name,
        credentials=credentials,
        actor_label="benchmark",
    )
    with transaction.atomic():
        created: dict[str, Topic] = {}
        for spec in content.topic_specs():
            created[spec.slug] = Topic.objects.create(
                slug=spec.slug,
                name=spec.name,
                parent=created[spec.parent] if spec.parent else None,
            )
    return len(created)


@dataclass
class Staff:
    editors: list[User]
    reviewers: list[User]
    publisher: User

    @classmethod
    def load(cls) -> "Staff":
        users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
        return cls(
            editors=[users[name] for name, _, _ in EDITORS],
            reviewers=[users[name] for name, _, _ in REVIEWERS],
            publisher=users[PUBLISHER[0]],
        )


def _take_live(
    spec: content.ArticleSpec,
    *,
    staff: Staff,
    number: int,
    translation_of: int | None,
    timings: dict[str, list[float]] | None,
) -> Article:
    """Create one article and take its first revision through review to live."""
    editor = staff.editors[number % len(staff.editors)]
    reviewer = staff.reviewers[number % len(staff.reviewers)]
    authors = ({"name": editor.display_name, "credentials": editor.credentials.split(",")[0]},)
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if timings is not None:
            timings[step].append((now - clock) * 1000)
        clock = now

    article = services.article_create(
        actor=editor,
        slug=spec.slug,
        locale=spec.locale,
        content=RevisionContent(
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            editor_note=spec.editor_note,
            topics=spec.topics,
            codes=spec.codes,
            sources=spec.sources,
            authors=authors,
        ),
        translation_of=translation_of,
    )
    lap("create")
    revision = article.latest_revision
    workflow.revision_submit(actor=editor, revision=revision)
    lap("submit")
    workflow.revision_approve(actor=reviewer, revision=revision, comment="Clinically accurate.")
    lap("approve")
    workflow.revision_publish(actor=staff.publisher, revision=revision)
    lap("publish")
    return article


def seed_units(
    units: Sequence[Unit],
    *,
    staff: Staff,
    done: Synchronized | None = None,
    timings: dict[str, list[float]] | None = None,
) -> int:
    """Take every article of `units` live; returns how many articles that was."""
    count = 0
    for unit in units:
        english = _take_live(
            content.article_spec(unit.index, locale="en"),
            staff=staff,
            number=unit.index,
            translation_of=None,
            timings=timings,
        )
        count += 1
        if unit.spanish:
            _take_live(
                content.article_spec(unit.index, locale="es"),
                staff=staff,
                number=unit.index + 1,
                translation_of=english.pk,
                timings=timings,
            )
            count += 1
        if done is not None:
            with done.get_lock():
                done.value += 2 if unit.spanish else 1
    return count


def _child(units: Sequence[Unit], done: Synchronized) -> None:
    """A seeding process: its own Django setup and database connection, its slice of units."""
    django.setup()
    connections.close_all()
    try:
        seed_units(units, staff=Staff.load(), done=done)
    finally:
        connections.close_all()


def progress(done: int, total: int, started: float, label: str = "seeding") -> None:
    """A progress bar on stderr, rewritten in place."""
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else 0.0
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(
        f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} articles"
        f"  {rate:6.1f}/s  elapsed {elapsed:4.0f}s  eta {eta:4.0f}s "
    )
    sys.stderr.flush()


def seed(total: int, *, processes: int = 2, sample: int = 200) -> SeedReport:
    """Seed `total` articles: `sample` of them here to measure, the rest over `processes`."""
    report = SeedReport(processes=processes)
    started = time.monotonic()
    report.topics = staff_and_topics()
    staff = Staff.load()
    units = plan(total)

    first: list[Unit] = []
    in_first = 0
    while in_first < min(sample, total) and len(first) < len(units):
        unit = units[len(first)]
        first.append(unit)
        in_first += 2 if unit.spanish else 1
    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    done = multiprocessing.get_context("fork").Value("i", 0)
    sample_started = time.perf_counter()
    for unit in first:
        seed_units([unit], staff=staff, done=done, timings=timings)
        progress(done.value, total, started)
    sample_seconds = time.perf_counter() - sample_started
    report.sample_articles = in_first
    report.sample_ms_per_article = sample_seconds * 1000 / max(in_first, 1)
    report.sample_step_ms = {step: statistics.mean(v) for step, v in timings.items() if v}
    rest = units[len(first) :]
    remaining = total - in_first
    sys.stderr.write(
        f"\n  {report.sample_ms_per_article:.1f} ms per article on the first {in_first} ("
        + ", ".join(f"{step} {ms:.1f}" for step, ms in report.sample_step_ms.items())
        + f"); {remaining} to go over {processes} processes, at best about "
        f"{remaining * report.sample_ms_per_article / 1000 / max(processes, 1):.0f} s\n"
    )

    if rest:
        # Forked children must not share this process's database connection.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        children = [
            context.Process(target=_child, args=(rest[k::processes], done), daemon=True)
            for k in range(processes)
        ]
        for child in children:
            child.start()
        while any(child.is_alive() for child in children):
            if any(child.exitcode not in (None, 0) for child in children):
                # Fail fast: the others' work would be thrown away with the database anyway.
                for other in children:
                    if other.is_alive():
                        other.terminate()
                break
            progress(done.value, total, started)
            time.sleep(0.5)
        for child in children:
            child.join()
        progress(done.value, total, started)
        sys.stderr.write("\n")
        failed = [child.exitcode for child in children if child.exitcode != 0]
        if failed:
            raise RuntimeError(f"A seeding process failed (exit codes {failed}); see above.")
    report.articles = Article.objects.filter(live_revision__isnull=False).count()
    report.seconds = time.monotonic() - started
    if report.articles != total:
        raise RuntimeError(f"Seeded {report.articles} live articles, expected {total}.")
    return report
