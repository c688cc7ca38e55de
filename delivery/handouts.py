"""The printable handout: a live article as a tagged PDF (PDF/UA) that a nurse hands to a
patient, made by WeasyPrint from the stored delivery document.

Every page carries a footer with the review statement, the revision, the page's address as
text and as a QR code. `large` prints the text at 18 pt; a pairing (`also`) prints a
translation and another language of the same article side by side, section by section. A
handout is made once per document, size and pairing and kept in `Handout` (its ETag names
the documents it was made from); a changed document changes the ETag, and the next request
makes it again.
"""

import hashlib
import itertools
import json
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from delivery.models import Handout, PublishedDocument
from delivery.patient_words import words_for
from delivery.rendering import article_page_url, handout_url

# Text size per handout size, in points: `large` is large print (18 pt or more).
SIZES = {"standard": 12, "large": 18}
# Moves every handout's ETag when the handout's template or style changes.
HANDOUT_VERSION = "h1"
# A new section starts at each second-level heading: the unit a pairing prints side by side.
_SECTION_START = re.compile(r"(?=<h2[\s>])")
# The most body text (Markdown characters, both languages together) printed side by side:
# half the longest body the API accepts. Two languages in large print at this length take
# about 13 s to make (bench/README.md), well inside gunicorn's timeout; twice as long, over it.
PAIR_MAX_CHARS = 100_000
# How long a request waits for another one making the same handout, and how often it looks.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.2
# A claim older than this is taken over: its maker died (a killed worker) or is stuck.
# Above the longest a handout takes to make (bench/README.md: `make bench-handouts
# BENCH_ARGS=--longest`).
CLAIM_SECONDS = 60.0


class HandoutUnavailable(Exception):
    """The handout cannot be made: WeasyPrint or the system libraries it needs are missing."""


class PairingUnavailable(Exception):
    """`also` names no live version of the article in that language, or one too long to
    print beside it."""


class HandoutBeingMade(Exception):
    """Another request is making this handout and it was not ready in time."""


@dataclass(frozen=True)
class HandoutSource:
    """The documents a handout is made from, as stored rows (without their bodies)."""

    document: PublishedDocument
    partner: PublishedDocument | None
    size: str

    @property
    def etag(self) -> str:
        document = self.document
        parts = [
            HANDOUT_VERSION,
            settings.HANDOUT_PAGE_SIZE,
            # The address printed in its footer and QR code: a moved website reprints it.
            article_page_url(document.slug, document.locale),
            handout_url(document.slug, document.locale),
            self.size,
            document.etag,
            self.partner.etag if self.partner else "",
        ]
        return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40] + '"'

    @property
    def also(self) -> str:
        return self.partner.locale if self.partner else ""


_ROW_FIELDS = ("article_id", "slug", "locale", "etag", "rendered_at", "cache_tags")


def handout_source(*, slug: str, locale: str, size: str, also: str) -> HandoutSource | None:
    """What the handout of a live article is made from, or None if it is not live.

    Raises PairingUnavailable when `also` names no other live language of the article.
    """
    document = (
        PublishedDocument.objects.filter(slug=slug, locale=locale)
        .only(*_ROW_FIELDS, "translation_group")
        .first()
    )
    if document is None:
        return None
    partner = None
    if also:
        partner = (
            PublishedDocument.objects.filter(translation_group=document.translation_group)
            .filter(Q(locale=also) & ~Q(locale=locale))
            .only(*_ROW_FIELDS)
            .first()
        )
        if partner is None:
            raise PairingUnavailable(f"This article has no live version in `{also}`.")
    return HandoutSource(document=document, partner=partner, size=size)


def handout_pdf(source: HandoutSource) -> bytes:
    """The handout's PDF: the one kept for these documents, or made now and kept.

    One request makes it; requests for the same handout meanwhile wait for it (up to
    `WAIT_SECONDS`) instead of making it too, so a burst of requests for a long article just
    published costs one worker, not all of them. Raises HandoutBeingMade when the wait is
    over first, and PairingUnavailable for two languages too long to print side by side.
    """
    etag = source.etag
    kept = _kept(source, etag)
    if kept:
        return kept
    document = _body(source.document)
    partner = _body(source.partner) if source.partner else None
    if partner is not None:
        length = len(document["body_markdown"]) + len(partner["body_markdown"])
        if length > PAIR_MAX_CHARS:
            raise PairingUnavailable(
                f"These two languages are too long to print side by side ({length:,} "
                f"characters together; at most {PAIR_MAX_CHARS:,}): print each one's handout."
            )
    if not _claim(source, etag):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            kept = _kept(source, etag)
            if kept:
                return kept
        if not _claim(source, etag):  # its maker may have died: then its claim is stale
            raise HandoutBeingMade
    started = time.perf_counter()
    try:
        pdf = make_handout(document, size=source.size, partner=partner)
    except BaseException:
        # Released at once, so the next request tries again (after an operator installs
        # pango, say) without waiting out the claim.
        _rows(source).filter(etag=etag, pdf=b"").delete()
        raise
    _rows(source).filter(etag=etag).update(
        pdf=pdf, made_at=timezone.now(), make_seconds=time.perf_counter() - started
    )
    return pdf


def _rows(source: HandoutSource) -> QuerySet[Handout]:
    return Handout.objects.filter(
        article_id=source.document.article_id, size=source.size, also=source.also
    )


def _kept(source: HandoutSource, etag: str) -> bytes | None:
    """The PDF kept for `etag`, or None (none kept, or one being made: its `pdf` is empty)."""
    kept = _rows(source).filter(etag=etag).values_list("pdf", flat=True).first()
    return bytes(kept) if kept else None


def _claim(source: HandoutSource, etag: str) -> bool:
    """Whether this request may make the handout: its row (one per article, size and
    pairing) is claimed by writing the new ETag with an empty PDF, unless another request
    claimed it for this ETag less than CLAIM_SECONDS ago. One statement each way, so of two
    requests exactly one wins."""
    now = timezone.now()
    claimed = (
        _rows(source)
        .exclude(
            Q(etag=etag) & (~Q(pdf=b"") | Q(made_at__gte=now - timedelta(seconds=CLAIM_SECONDS)))
        )
        .update(etag=etag, pdf=b"", made_at=now, make_seconds=0)
    )
    if claimed:
        return True
    if _rows(source).exists():
        return False
    try:
        with transaction.atomic():
            Handout.objects.create(
                article_id=source.document.article_id,
                size=source.size,
                also=source.also,
                etag=etag,
                pdf=b"",
                made_at=now,
                make_seconds=0,
            )
    except IntegrityError:  # another request created it first
        return False
    return True


def _body(document: PublishedDocument) -> dict[str, Any]:
    stored = PublishedDocument.objects.filter(pk=document.pk).values_list("body", flat=True)
    return json.loads(bytes(stored.get()))


def make_handout(
    document: dict[str, Any], *, size: str, partner: dict[str, Any] | None = None
) -> bytes:
    """The PDF of a delivery document (and, side by side, its `partner`), with no database."""
    try:
        # Imported here: it loads Debian's pango, which only handouts need.
        import weasyprint
    except OSError as exc:  # the library is installed but pango is not
        raise HandoutUnavailable(str(exc)) from exc
    html = render_to_string("delivery/handout.html", handout_context(document, size, partner))
    # Everything a handout shows is in its HTML (the QR code is a data: URI). Nothing is
    # fetched, so no stored text can make the server read its own files or call a network
    # address, whatever a document holds.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


def handout_context(
    document: dict[str, Any], size: str, partner: dict[str, Any] | None
) -> dict[str, Any]:
    page_url = article_page_url(document["slug"], document["locale"])
    return {
        "doc": _printed(document),
        "partner": _printed(partner) if partner else None,
        "pairs": _pairs(document, partner) if partner else None,
        "words": words_for(document["locale"]),
        "point_size": SIZES[size],
        "page_size": settings.HANDOUT_PAGE_SIZE,
        "page_url": page_url,
        "handout_url": handout_url(document["slug"], document["locale"]),
        # A QR code a phone reads at arm's length; drawn as vectors, so it prints sharp.
        "qr": segno.make(page_url, error="m").svg_data_uri(border=0, dark="#000"),
    }


def _printed(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its labels in its own language."""
    return {**document, "words": words_for(document["locale"])}


def sections(body_html: str) -> list[str]:
    """The body cut before each second-level heading (the first part may have none)."""
    return [part for part in _SECTION_START.split(body_html) if part.strip()]


def _pairs(document: dict[str, Any], partner: dict[str, Any]) -> list[tuple[str, str]]:
    # Translations keep their source's sections, so the nth section of one is the nth of
    # the other; if they differ in number, the longer one's last sections stand alone.
    return list(
        itertools.zip_longest(
            sections(document["body_html"]), sections(partner["body_html"]), fillvalue=""
        )
    )
