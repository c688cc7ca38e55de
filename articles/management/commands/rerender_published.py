"""Re-render every live delivery document, e.g. after a change to the Markdown renderer.

Rendering is the slow part and needs no lock, so each article is rendered first, outside any
transaction, in several processes at once (--processes). Only when the bytes differ from the
stored ones is the document written: in a short change through the read side's door (the
feed lock, then the article's row lock, as every transition takes them), which re-renders
under the lock if the article changed meanwhile (its version moved). An `updated` change
event is written only for documents whose bytes changed, so portals refetch exactly those.
One article's failure is logged and counted; the rest go on.
"""

import logging
import multiprocessing
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from articles.models import Article
from articles.publication import document_source, publication, translations_of
from delivery.door import search_vectors
from delivery.models import PublishedDocument
from delivery.rendering import document_render
from delivery.selectors import stored_etags

logger = logging.getLogger(__name__)


BATCH = 200


def documents_rerender(article_ids: list[int], *, force: bool = False) -> Counter[str]:
    """Re-render a batch of live articles; counts "changed", "same", "gone" and "failed".

    Everything rendering needs is read for the whole batch at once, outside any transaction.
    Only documents whose bytes differ (or all, with `force`) are written, each in its own
    change through the read side's door; if the article changed since it was read (its
    version moved), it is rendered again under the locks.
    """
    counts: Counter[str] = Counter()
    articles = list(
        Article.objects.select_related("last_reviewed_by", "live_revision")
        .prefetch_related("live_revision__topics", "live_revision__codes")
        .filter(pk__in=article_ids, live_revision__isnull=False)
    )
    counts["gone"] += len(article_ids) - len(articles)
    etags = stored_etags(article_ids)
    translations = translations_of(articles)
    for article in articles:
        try:
            result = _rerender_one(article, translations[article.pk], etags.get(article.pk), force)
        except Exception:
            logger.exception("Re-rendering article %s failed", article.pk)
            result = "failed"
        counts[result] += 1
    return counts


def _rerender_one(
    article: Article, translations: tuple[tuple[str, str], ...], etag: str | None, force: bool
) -> str:
    source = document_source(
        article,
        article.live_revision,
        reviewer=article.last_reviewed_by,
        translations=translations,
    )
    rendered = document_render(source)
    if not force and rendered.etag == etag:
        return "same"
    # Slow in PostgreSQL: before the feed lock.
    vectors = search_vectors(rendered.locale, rendered.title, rendered.summary, rendered.body_text)
    with publication() as change:
        locked = change.lock(article.pk)
        if locked.live_revision_id is None:
            return "gone"
        if locked.version != article.version:  # changed meanwhile: render again, under the locks
            rendered, vectors = None, None
        changed = change.refresh(locked, rendered=rendered, vectors=vectors, force=force)
    return "changed" if changed else "same"


def _rerender_share(share: int, shares: int, progress: Any, force: bool) -> Counter[str]:
    """Re-render the live articles whose position is `share` modulo `shares`."""
    counts: Counter[str] = Counter()
    ids = list(
        PublishedDocument.objects.order_by("article_id").values_list("article_id", flat=True)
    )[share::shares]
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        counts += documents_rerender(batch, force=force)
        with progress.get_lock():
            progress.value += len(batch)
    return counts


def _child(share: int, shares: int, progress: Any, force: bool, results: Any) -> None:
    connections.close_all()  # never share the parent's database connection
    try:
        results.put((share, _rerender_share(share, shares, progress, force)))
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Re-render every live article's delivery document from its live revision; an `updated` "
        "change event is written for each document whose bytes changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--processes",
            type=int,
            default=2,
            help="Processes rendering at once (2; 1 renders in this process).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write every document even if its bytes are unchanged (fills new columns).",
        )

    def handle(self, *args: Any, processes: int, force: bool, **options: Any) -> None:
        started = time.monotonic()
        total = PublishedDocument.objects.count()
        progress = multiprocessing.Value("i", 0)
        if processes <= 1:
            counts = [_rerender_share(0, 1, progress, force)]
        else:
            counts = self._in_processes(processes, progress, force, total, started)
        self._progress(progress.value, total, started)
        self.stderr.write("", style_func=str)
        total_counts: Counter[str] = sum(counts, Counter())
        failed = total_counts["failed"]
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Re-rendered {total_counts['changed'] + total_counts['same']} live documents in "
            f"{elapsed:.1f} s: {total_counts['changed']} changed (an `updated` change event "
            f"each), {total_counts['gone']} no longer live, {failed} failed."
        )
        if failed:
            raise CommandError(f"{failed} documents could not be re-rendered; see the log above.")

    def _in_processes(
        self, processes: int, progress: Any, force: bool, total: int, started: float
    ) -> list[Counter[str]]:
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        connections.close_all()
        children = [
            context.Process(target=_child, args=(share, processes, progress, force, results))
            for share in range(processes)
        ]
        for child in children:
            child.start()
        counts: dict[int, Counter[str]] = {}
        while len(counts) < processes:
            self._progress(progress.value, total, started)
            try:
                share, share_counts = results.get(timeout=0.25)
            except Exception:  # queue.Empty: nothing finished yet
                if not any(child.is_alive() for child in children) and results.empty():
                    raise CommandError("A re-rendering process died; see the log above.") from None
                continue
            counts[share] = share_counts
        for child in children:
            child.join()
        return list(counts.values())

    def _progress(self, done: int, total: int, started: float) -> None:
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:6.1f}/s  "
            f"{elapsed:5.1f}s",
            style_func=str,
            ending="",
        )
        self.stderr.flush()
