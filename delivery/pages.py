"""The patient page: every live article at `/{locale}/{slug}/`, for a patient to read in a
browser and print, rendered from the stored delivery document (no Markdown per request).

The page carries what the document carries: its language (`lang`, `hreflang` links to its
translations), the review statement, reviewer and dates, sources, and the JSON-LD
`MedicalWebPage`. It revalidates like delivery (ETag from the document's, 304) and may be
cached by a CDN the same way. An article that was live and is not any more answers 410 with
a calm page; `PATIENT_PAGES=false` turns the pages off (404), for a hospital that publishes
the articles on its own website.
"""

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from delivery import cache_tags
from delivery.models import ChangeEvent
from delivery.selectors import published_document_get

# Moves every page's ETag when the page's own template changes, not only the document.
PAGE_VERSION = "p1"


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
    if not settings.PATIENT_PAGES or locale not in settings.CONTENT_LOCALES:
        raise Http404
    document = published_document_get(slug=slug, locale=locale)
    if document is None:
        if ChangeEvent.objects.filter(slug=slug, locale=locale).exists():  # it was live once
            return render(request, "delivery/gone.html", {"locale": locale}, status=410)
        raise Http404
    etag = f'"{PAGE_VERSION}-{document.etag.strip(chr(34)).removeprefix("W/")}"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponse(status=304)
    else:
        fields = json.loads(bytes(document.body))
        response = render(request, "delivery/patient_page.html", _context(fields))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(document.rendered_at.timestamp())
    response["Cache-Control"] = (
        f"public, max-age={settings.DELIVERY_MAX_AGE}, stale-while-revalidate=30"
    )
    for name, value in cache_tags.tag_headers(document.cache_tags).items():
        response[name] = value
    return response


def _context(document: dict[str, Any]) -> dict[str, Any]:
    # Inside a <script> element only "</" can end it early: the stored JSON escapes <, > and
    # & as \u003c, \u003e and \u0026 already; this escapes them again, whatever the source.
    json_ld = (
        json.dumps(document["json_ld"], ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return {
        "doc": document,
        "json_ld": mark_safe(json_ld),  # escaped above for a script element
        "translations": [
            {**t, "name": dict(settings.LANGUAGES).get(t["locale"], t["locale"])}
            for t in document["translations"]
        ],
    }
