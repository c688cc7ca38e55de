"""Delivery API views: live articles for portals, served from stored bytes.

A request is: check the key, parse the query, one indexed query, return the stored bytes.
The serializers here only describe those bytes for the OpenAPI document.
"""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import cache_tags, selectors
from articles.api.serializers import (
    CodeSerializer,
    PersonSerializer,
    SourceSerializer,
    TopicRefSerializer,
)
from articles.cursors import CURSOR_PATTERN, decode_cursor, encode_cursor
from articles.models import CodeSystem, RevisionState
from articles.rendering import etag_of, to_bytes
from contentapi import schema
from contentapi.authentication import IntegratorKeyAuthentication, StaffTokenAuthentication
from contentapi.conditional import if_none_match_hits
from contentapi.fields import StrictCharField
from contentapi.inputs import validated
from contentapi.models import Scope
from contentapi.permissions import DeliveryIsPublic, HasScope, IsStaff

JSON = "application/json"


# ------------------------------------------------------------------------------
# What the stored bytes look like (documentation)
# ------------------------------------------------------------------------------
class TranslationSerializer(serializers.Serializer):
    locale = serializers.CharField()
    slug = serializers.CharField()


class LiveArticleItemSerializer(serializers.Serializer):
    slug = serializers.CharField()
    locale = serializers.CharField()
    url = serializers.URLField()
    title = serializers.CharField()
    summary = serializers.CharField()
    topics = TopicRefSerializer(many=True)
    first_published_at = serializers.DateTimeField()
    last_updated_at = serializers.DateTimeField()
    last_reviewed_at = serializers.DateTimeField()
    next_review_due = serializers.DateTimeField()
    revision = serializers.IntegerField()
    reading_grade = serializers.FloatField(allow_null=True)


_EXAMPLE_DATES = {
    "first_published_at": "2026-03-02T09:00:00Z",
    "last_updated_at": "2026-11-20T14:05:00Z",
    "last_reviewed_at": "2026-11-19T16:30:00Z",
    "next_review_due": "2027-11-19T16:30:00Z",
}


_LIVE_EXAMPLE = {
    "slug": "colonoscopy-prep",
    "locale": "en",
    "url": "https://content.hospital.example/api/v1/articles/colonoscopy-prep/?locale=en",
    "title": "What a colonoscopy prep involves",
    "summary": "How to get your bowel ready for a colonoscopy, day by day.",
    "body_html": "<h2>Why the prep matters</h2>\n<p>Your doctor needs a clean bowel.</p>\n",
    "body_markdown": "## Why the prep matters\n\nYour doctor needs a clean bowel.\n",
    "editor_note": "",
    "topics": [{"slug": "colorectal-health", "name": "Colorectal health"}],
    "codes": [{"system": "icd10cm", "code": "Z12.11", "display": "Screening for colon cancer"}],
    "sources": [{"title": "Endoscopy unit instructions", "url": "https://example.org/endoscopy"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
    "reviewed_by": {"name": "Dr. Mei Chen", "credentials": "MD, gastroenterologist"},
    **_EXAMPLE_DATES,
    "revision": 3,
    "reading_grade": 5.2,
    "translations": [{"locale": "es", "slug": "preparacion-colonoscopia"}],
    "review_statement": "Originally published on March 2, 2026. Last reviewed on November 19, "
    "2026 by Dr. Mei Chen, MD, gastroenterologist. Next review due November 2027.",
    "json_ld": {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "What a colonoscopy prep involves",
        "lastReviewed": _EXAMPLE_DATES["last_reviewed_at"],
        "reviewedBy": {"@type": "Person", "name": "Dr. Mei Chen"},
        "datePublished": _EXAMPLE_DATES["first_published_at"],
        "dateModified": _EXAMPLE_DATES["last_updated_at"],
    },
}


@extend_schema_serializer(
    examples=[OpenApiExample("A live article", value=_LIVE_EXAMPLE, response_only=True)]
)
class LiveArticleSerializer(LiveArticleItemSerializer):
    body_html = serializers.CharField(help_text="Sanitized HTML rendered from the Markdown body.")
    body_markdown = serializers.CharField()
    editor_note = serializers.CharField(help_text="Public note for readers; may be empty.")
    codes = CodeSerializer(many=True)
    sources = SourceSerializer(many=True)
    authors = PersonSerializer(many=True)
    reviewed_by = PersonSerializer()
    translations = TranslationSerializer(many=True)
    review_statement = serializers.CharField(
        help_text="The editor's-note line to print under the article, complete and in its "
        "language, from the same dates and reviewer as the document and its JSON-LD."
    )
    json_ld = serializers.DictField(help_text="A schema.org MedicalWebPage.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A revision in review",
            value={**_LIVE_EXAMPLE, "revision": 4, "state": "in_review", "reviewed_by": None},
            response_only=True,
        )
    ]
)
class PreviewArticleSerializer(LiveArticleSerializer):
    state = serializers.ChoiceField(choices=RevisionState.choices)
    reviewed_by = PersonSerializer(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_updated_at = serializers.DateTimeField(allow_null=True)
    last_reviewed_at = serializers.DateTimeField(allow_null=True)
    next_review_due = serializers.DateTimeField(allow_null=True)


class LiveArticlePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many live articles match, on all pages.")
    results = LiveArticleItemSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class LiveTopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True, source="parent.slug", default=None)
    live_articles = serializers.IntegerField()


class ChangeSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=["published", "updated", "unpublished"])
    slug = serializers.CharField()
    locale = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.CharField(help_text="Pass as `since` to get what changed after these.")
    has_more = serializers.BooleanField()


# ------------------------------------------------------------------------------
# Query parameters
# ------------------------------------------------------------------------------
class DetailQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES, required=False)


class ListQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES, required=False)
    topic = serializers.SlugField(required=False, help_text="A topic slug.")
    q = StrictCharField(required=False, max_length=200, help_text="Full-text search.")
    updated_since = serializers.DateTimeField(required=False)
    code = StrictCharField(
        required=False,
        max_length=40,
        help_text="A medical code; with `code_system` in that system, without it in any.",
    )
    code_system = serializers.ChoiceField(
        choices=CodeSystem.choices,
        required=False,
        help_text="With `code`, where to look it up; alone, articles with any code of it.",
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.RegexField(
        CURSOR_PATTERN,
        required=False,
        help_text="The `cursor` of a previous response, e.g. `c1.1542`.",
        error_messages={"invalid": "Not a cursor this feed gave out."},
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)


# ------------------------------------------------------------------------------
# Views
# ------------------------------------------------------------------------------
def _bytes_response(
    body: bytes, *, etag: str, tags: str, not_modified: bool = False
) -> HttpResponse:
    """Stored bytes with their ETag, or 304 with no body when the client has them already."""
    # A 304 describes the JSON the client has; it is no HTML page (so no page policy either).
    if not_modified:
        response = HttpResponse(status=304, content_type=JSON)
    else:
        response = HttpResponse(body, content_type=JSON)
    response["ETag"] = etag
    response["Cache-Control"] = public_cache_control()
    for name, value in cache_tags.tag_headers(tags).items():
        response[name] = value
    return response


def public_cache_control() -> str:
    return f"public, max-age={settings.DELIVERY_MAX_AGE}, stale-while-revalidate=30"


class DeliveryView(APIView):
    """Base of the delivery views: a `delivery` key, or anyone when DELIVERY_PUBLIC is on."""

    authentication_classes = [IntegratorKeyAuthentication]
    permission_classes = [DeliveryIsPublic | HasScope.of(Scope.DELIVERY)]

    def is_public(self) -> bool:
        """Whether anyone may call this view without a key (then no `Vary: Authorization`)."""
        return settings.DELIVERY_PUBLIC

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if not self.is_public():
            # Shared caches must keep one copy per key, never serve one key's copy to another.
            response["Vary"] = "Authorization"
        return response


DELIVERY_ERRORS = {401: schema.UNAUTHORIZED, 403: schema.FORBIDDEN}
NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match matched); no body.")


class LiveArticleList(DeliveryView):
    @extend_schema(
        operation_id="live_articles_list",
        tags=["delivery"],
        summary="Live articles, newest first",
        parameters=[ListQuerySerializer],
        responses={
            200: LiveArticlePageSerializer,
            304: NOT_MODIFIED,
            400: schema.BAD_REQUEST,
            **DELIVERY_ERRORS,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        params = validated(ListQuerySerializer, request.query_params)
        page, size = params.pop("page"), params.pop("page_size")
        live = selectors.published_list_items(offset=(page - 1) * size, limit=size + 1, **params)
        has_next = len(live.items) > size
        body = b"".join(
            [
                b'{"count":',
                str(live.count).encode(),
                b',"results":[',
                b",".join(live.items[:size]),
                b'],"next":',
                to_bytes(self._page_link(request, page + 1) if has_next else None),
                b',"previous":',
                to_bytes(self._page_link(request, page - 1) if page > 1 else None),
                b"}",
            ]
        )
        etag = etag_of(body)
        tags = cache_tags.header_value(
            cache_tags.list_keys(params.get("locale"), params.get("topic"))
        )
        return _bytes_response(
            body, etag=etag, tags=tags, not_modified=if_none_match_hits(request, etag)
        )

    @staticmethod
    def _page_link(request: Request, page: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class LiveArticleDetail(DeliveryView):
    @extend_schema(
        operation_id="live_articles_retrieve",
        tags=["delivery"],
        summary="One live article",
        parameters=[DetailQuerySerializer],
        responses={
            200: LiveArticleSerializer,
            304: NOT_MODIFIED,
            400: schema.BAD_REQUEST,
            404: schema.NOT_FOUND,
            **DELIVERY_ERRORS,
        },
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        locale = validated(DetailQuerySerializer, request.query_params).get("locale")
        # A revalidation reads the ETag alone; the bytes only if the portal's copy is stale.
        revalidating = "If-None-Match" in request.headers
        document = selectors.published_document_get(
            slug=slug, locale=locale, with_body=not revalidating
        )
        fresh = document is not None and if_none_match_hits(request, document.etag)
        if document is not None and revalidating and not fresh:
            document = selectors.published_document_get(slug=slug, locale=document.locale)
        if document is None:
            raise NotFound()
        response = _bytes_response(
            document.body, etag=document.etag, tags=document.cache_tags, not_modified=fresh
        )
        response["Last-Modified"] = http_date(document.rendered_at.timestamp())
        return response


class LiveTopicList(DeliveryView):
    @extend_schema(
        operation_id="live_topics_list",
        tags=["delivery"],
        summary="Topics, with how many live articles each has",
        responses={200: LiveTopicSerializer(many=True), **DELIVERY_ERRORS},
    )
    def get(self, request: Request) -> Response:
        response = Response(LiveTopicSerializer(selectors.live_topics(), many=True).data)
        response["Cache-Control"] = public_cache_control()
        for name, value in cache_tags.tag_headers(cache_tags.TOPICS_LIST).items():
            response[name] = value
        return response


class ChangeFeed(DeliveryView):
    @extend_schema(
        operation_id="changes_list",
        tags=["delivery"],
        summary="What changed on the delivery side, oldest first",
        description="Start without `since`; then pass the returned `cursor` as `since`. "
        "Replaying the feed in order (published/updated: fetch the article; unpublished: "
        "remove it) keeps an exact mirror of the live set.",
        parameters=[ChangesQuerySerializer],
        responses={200: ChangesPageSerializer, 400: schema.BAD_REQUEST, **DELIVERY_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = validated(ChangesQuerySerializer, request.query_params)
        after = decode_cursor(params["since"]) if params.get("since") else 0
        events = selectors.changes_after(after, limit=params["limit"] + 1)
        has_more = len(events) > params["limit"]
        events = events[: params["limit"]]
        last = events[-1].pop("id") if events else after
        for event in events:
            event.pop("id", None)
        response = Response(
            {"results": events, "cursor": encode_cursor(last), "has_more": has_more}
        )
        response["Cache-Control"] = "no-cache"
        return response


class RevisionPreview(APIView):
    """Any revision in the delivery shape, for the hospital web team; never cached."""

    authentication_classes = [IntegratorKeyAuthentication, StaffTokenAuthentication]
    permission_classes = [HasScope.of(Scope.PREVIEW) | IsStaff]

    @extend_schema(
        operation_id="preview_revision_retrieve",
        tags=["preview"],
        summary="Preview any revision as readers would see it",
        responses={200: PreviewArticleSerializer, 404: schema.NOT_FOUND, **DELIVERY_ERRORS},
    )
    def get(self, request: Request, article_id: int, number: int) -> HttpResponse:
        revision = selectors.revision_get(article_id, number)
        response = HttpResponse(selectors.revision_preview_bytes(revision), content_type=JSON)
        response["Cache-Control"] = "private, no-store"
        return response
