"""The patient page and the handout: every live article at `/{locale}/{slug}/`, for a patient
to read in a browser and print, and at `/{locale}/{slug}.pdf`, a handout to take home; both
made from the stored delivery document (no Markdown per request).

The page carries what the document carries: its language (`lang`, `hreflang` links to its
translations), the review statement, reviewer and dates, sources, and the JSON-LD
`MedicalWebPage`. Both revalidate like delivery (ETag, 304) and may be cached by a CDN the
same way (`Surrogate-Key`). An article that was live and is not any more answers 410 with a
calm page; `PATIENT_PAGES=false` turns both off (404), for a hospital that publishes the
articles on its own website.
"""

import dataclasses
import functools
import json
import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from contentapi.exception_handler import problem_response
from contentapi.problems import title_of
from delivery import cache_tags, handouts, selectors
from delivery.consistency import delivery_reads
from delivery.hot import hot_documents
from delivery.models import ChangeEvent
from delivery.patient_words import language_name, words_for
from delivery.rendering import handout_url, patient_page_url
from delivery.selectors import StoredDocument, published_document_get

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait while another request makes the same handout.
HANDOUT_RETRY_SECONDS = 5
# Moves every page's ETag when the page's own template changes, not only the document.
PAGE_VERSION = "p2"


class LocaleConverter:
    """`<locale:...>`: a language tag as content locales are written (`en`, `es`, `es-US`);
    never a word such as `api` or `review`, whose paths are not pages."""

    regex = "[a-z]{2}(?:-[A-Z]{2})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


@require_safe
def patient_page(request: HttpRequest, locale: str, slug: str) -> HttpResponse:
    """One live article as a patient reads it; 410 if it was live and is not any more."""
    _check_pages_on(locale)
    # A replica may serve it (no `min_cursor` here: pages are for people, not feed followers).
    with delivery_reads(request, names=()):
        return _patient_page(request, locale=locale, slug=slug)


def _patient_page(request: HttpRequest, *, locale: str, slug: str) -> HttpResponse:
    if settings.HOT_DOCUMENTS_MB > 0:
        return _hot_patient_page(request, locale=locale, slug=slug)
    revalidating = bool(request.headers.get("If-None-Match"))
    document = published_document_get(slug=slug, locale=locale, with_body=not revalidating)
    if document is None:
        return _not_live(slug=slug, locale=locale)
    etag = _page_etag(document)
    if etag in _if_none_match(request):
        response = HttpResponse(status=304)
    else:
        if revalidating:  # a stale ETag: now the body is needed
            document = published_document_get(slug=slug, locale=locale)
            if document is None:
                return _not_live(slug=slug, locale=locale)
        response = HttpResponse(_patient_page_html(document))
    return _cacheable(
        response, etag=etag, rendered_at=document.rendered_at, tags=document.cache_tags
    )


@require_safe
def handout(request: HttpRequest, locale: str, slug: str) -> HttpResponse:
    """The printable handout of a live article (`delivery.handouts`): `?size=large` for
    large print, `?also=<locale>` for another language of it side by side."""
    _check_pages_on(locale)
    size = request.GET.get("size", "standard")
    also = request.GET.get("also", "")
    errors = _handout_query_errors(size=size, also=also)
    if errors:
        return _invalid(errors)
    try:
        source = handouts.handout_source(slug=slug, locale=locale, size=size, also=also)
    except handouts.PairingUnavailable as exc:
        return _invalid([{"field": "also", "message": str(exc), "code": "invalid_choice"}])
    if source is None:
        return _not_live(slug=slug, locale=locale)
    etag = source.etag
    if etag in _if_none_match(request):
        response = HttpResponse(status=304)
    else:
        try:
            pdf = handouts.handout_pdf(source)
        except handouts.PairingUnavailable as exc:
            return _invalid([{"field": "also", "message": str(exc), "code": "too_long"}])
        except handouts.HandoutUnavailable:
            logger.exception("Handouts unavailable: WeasyPrint cannot load its libraries")
            return problem_response(
                503, code="handouts-unavailable", detail=title_of("handouts-unavailable")
            )
        except handouts.HandoutBeingMade:
            return problem_response(
                503,
                code="handout-being-made",
                detail="This handout is being made for another request; it will be ready in a "
                "few seconds.",
                headers={"Retry-After": str(HANDOUT_RETRY_SECONDS)},
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"{slug}-{also}.pdf" if also else f"{slug}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
    documents = [d for d in (source.document, source.partner) if d is not None]
    return _cacheable(
        response,
        etag=etag,
        rendered_at=max(d.rendered_at for d in documents),
        tags=" ".join(d.cache_tags for d in documents),
    )


def _check_pages_on(locale: str) -> None:
    if not settings.PATIENT_PAGES or locale not in settings.CONTENT_LOCALES:
        raise Http404


def _hot_patient_page(request: HttpRequest, *, locale: str, slug: str) -> HttpResponse:
    """The page from this process's hot pages (delivery/hot.py), made and kept if not there:
    the page alone is kept (its HTML, with the document's ETag and tags), not the document."""
    page = hot_documents.get(slug, locale, kind="page") if hot_documents.current() else None
    if page is None:
        document = selectors.published_document_get(slug=slug, locale=locale, with_generation=True)
        if document is None:
            return _not_live(slug=slug, locale=locale)
        page = dataclasses.replace(document, body=_patient_page_html(document))
        hot_documents.keep(slug, locale, page, kind="page")
    etag = _page_etag(page)
    response = (
        HttpResponse(status=304) if etag in _if_none_match(request) else HttpResponse(page.body)
    )
    return _cacheable(response, etag=etag, rendered_at=page.rendered_at, tags=page.cache_tags)


def _page_etag(document: StoredDocument) -> str:
    return f'"{PAGE_VERSION}-{document.etag.strip(chr(34)).removeprefix("W/")}"'


def _patient_page_html(document: StoredDocument) -> bytes:
    """The page, the same for every reader (see `_page`)."""
    html = render_to_string("delivery/patient_page.html", _context(json.loads(document.body)))
    return html.encode()


def _not_live(*, slug: str, locale: str) -> HttpResponse:
    """410 with a calm page for an article that was live once; 404 for one that never was."""
    if ChangeEvent.objects.filter(slug=slug, locale=locale).exists():
        return _page("delivery/gone.html", {"locale": locale}, status=410)
    raise Http404


def _page(template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A page that is the same for every reader: rendered without the request, so no context
    processor reads the session (which would add `Vary: Cookie` and split a CDN's copy)."""
    return HttpResponse(render_to_string(template, context), status=status)


def _if_none_match(request: HttpRequest) -> set[str]:
    return {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}


def _cacheable(
    response: HttpResponse, *, etag: str, rendered_at: datetime, tags: str
) -> HttpResponse:
    """Revalidated by ETag and cached by browsers and CDNs as delivery's answers are."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered_at.timestamp())
    response["Cache-Control"] = (
        f"public, max-age={settings.DELIVERY_MAX_AGE}, stale-while-revalidate=30"
    )
    for name, value in cache_tags.tag_headers(tags).items():
        response[name] = value
    return response


def _handout_query_errors(*, size: str, also: str) -> list[dict[str, str]]:
    errors = []
    if size not in handouts.SIZES:
        sizes = " or ".join(f"`{name}`" for name in handouts.SIZES)
        errors.append({"field": "size", "message": f"Use {sizes}.", "code": "invalid_choice"})
    if also and also not in settings.CONTENT_LOCALES:
        locales = ", ".join(settings.CONTENT_LOCALES)
        errors.append(
            {
                "field": "also",
                "message": f"Not a content locale; use one of {locales}.",
                "code": "invalid_choice",
            }
        )
    return errors


def _invalid(errors: list[dict[str, str]]) -> HttpResponse:
    return problem_response(
        400, code="validation-failed", detail=errors[0]["message"], errors=errors
    )


def _context(document: dict[str, Any]) -> dict[str, Any]:
    # Inside a <script> element only "</" can end it early: the stored JSON escapes <, > and
    # & as \u003c, \u003e and \u0026 already; this escapes them again, whatever the source.
    json_ld = (
        json.dumps(document["json_ld"], ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    slug, locale = document["slug"], document["locale"]
    translation = document.get("translation") or {}
    # Each address is reversed once here, not in the template: the page is on the hot path.
    translations = [
        {
            **t,
            "name": language_name(t["locale"]),
            "path": reverse("patient-page", args=(t["locale"], t["slug"])),
        }
        for t in document["translations"]
    ]
    source = next(
        (t for t in translations if t["locale"] == translation.get("source_locale")), None
    )
    return {
        "doc": document,
        "words": words_for(locale),
        "json_ld": mark_safe(json_ld),  # escaped above for a script element
        "page_url": patient_page_url(slug, locale),
        "handout_url": handout_url(slug, locale),
        "handout_path": reverse("patient-handout", args=(locale, slug)),
        # A translation prints beside the text it translates.
        "source": source,
        "outdated": translation.get("status") == "outdated",
        "translations": translations,
        "assets": _assets(),
    }


@functools.cache
def _assets() -> dict[str, str]:
    """The page's stylesheet and script, as the static files storage names them (hashed
    names after collectstatic): fixed for the life of a process."""
    return {"css": static("delivery/patient.css"), "js": static("delivery/print.js")}
