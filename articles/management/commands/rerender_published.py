"""Re-render every live delivery document, e.g. after a change to the Markdown renderer.

Each article is re-rendered in its own short transaction that takes the feed lock, then the
article's row lock, as every transition does, so it never races a publication and never holds
the feed for more than one article. A change event (`updated`) is written only when the stored
bytes changed, so portals refetch exactly the documents that are different. One article's
failure is logged and counted; the rest go on.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from articles import publishing, workflow
from articles.models import Article, ChangeEvent, PublishedDocument

logger = logging.getLogger(__name__)


def document_rerender(article_id: int) -> bool | None:
    """Re-render one live article; True if its bytes changed, None if it is no longer live."""
    with transaction.atomic(durable=True):
        workflow.lock_feed()
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_reviewed_by")
            .filter(pk=article_id, live_revision__isnull=False)
            .first()
        )
        if article is None:
            return None
        before = (
            PublishedDocument.objects.filter(article=article).values_list("etag", flat=True).first()
        )
        document = publishing.document_store(article)
        if document.etag == before:
            return False
        publishing.feed_append(ChangeEvent.Kind.UPDATED, article, at=timezone.now())
        return True


class Command(BaseCommand):
    help = (
        "Re-render every live article's delivery document from its live revision; an `updated` "
        "change event is written for each document whose bytes changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Article ids read per query (500)."
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        started = time.monotonic()
        total = PublishedDocument.objects.count()
        done = changed = gone = failed = 0
        last_id = 0
        drawn = 0.0
        while True:
            # Keyset pages over the live set: stable while documents come and go meanwhile.
            batch = list(
                PublishedDocument.objects.filter(article_id__gt=last_id)
                .order_by("article_id")
                .values_list("article_id", flat=True)[:batch_size]
            )
            if not batch:
                break
            for article_id in batch:
                try:
                    result = document_rerender(article_id)
                except Exception:
                    logger.exception("Re-rendering article %s failed", article_id)
                    failed += 1
                    continue
                done += 1
                changed += result is True
                gone += result is None
                if time.monotonic() - drawn > 0.25:
                    drawn = time.monotonic()
                    self._progress(done + failed, total, started)
            last_id = batch[-1]
        self._progress(done + failed, total, started)
        self.stderr.write("", style_func=str)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Re-rendered {done - gone} live documents in {elapsed:.1f} s: {changed} changed "
            f"(an `updated` change event each), {gone} no longer live, {failed} failed."
        )
        if failed:
            raise CommandError(f"{failed} documents could not be re-rendered; see the log above.")

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
