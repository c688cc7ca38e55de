"""Delivery API views: live articles for portals, served from stored bytes.

A request is: check the key, parse the query, one indexed query, return the stored bytes.
The serializers (`delivery.api.serializers`) only describe those bytes for the OpenAPI
document.
"""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contentapi import schema
from contentapi.authentication import IntegratorKeyAuthentication
from contentapi.conditional import if_none_match_hits
from contentapi.errors import ValidationFailed
from contentapi.inputs import validated_query
from contentapi.models import Scope
from contentapi.permissions import DeliveryIsPublic, HasScope
from delivery import cache_tags, selectors
from delivery.api.serializers import (
    ChangesPageSerializer,
    ChangesQuerySerializer,
    DetailQuerySerializer,
    ListQuerySerializer,
    LiveArticlePageSerializer,
    LiveArticleSerializer,
)
from delivery.consistency import delivery_reads
from delivery.cursors import CursorAhead, ListKey, decode_cursor, encode_cursor, encode_list_cursor
from delivery.hot import hot_documents, kept_or_read
from delivery.rendering import etag_of, to_bytes
from delivery.selectors import StoredDocument

JSON = "application/json"


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

    # The published content this view reads may come from a replica (contentapi/replicas.py)
    # that has replayed as far as these query parameters' cursors ask.
    replica_reads = True
    position_params: tuple[str, ...] = ("min_cursor",)

    def is_public(self) -> bool:
        """Whether anyone may call this view without a key (then no `Vary: Authorization`)."""
        return settings.DELIVERY_PUBLIC

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.replica_reads:
            return super().dispatch(request, *args, **kwargs)
        with delivery_reads(request, self.position_params):
            return super().dispatch(request, *args, **kwargs)

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
        params = validated_query(ListQuerySerializer, request.query_params)
        page, size, cursor = params.pop("page"), params.pop("page_size"), params.pop("cursor")
        min_cursor = params.pop("min_cursor", None)
        tags = cache_tags.header_value(
            cache_tags.list_keys(params.get("locale"), params.get("topic"))
        )
        # A list is the same bytes until the feed moves: kept per process (delivery/hot.py).
        hot = settings.HOT_DOCUMENTS_MB > 0
        request_key = request.build_absolute_uri()
        min_event = decode_cursor(min_cursor) if min_cursor else None
        if hot and hot_documents.current(min_event):
            kept = hot_documents.answer(request_key)
            if kept is not None:
                return _bytes_response(
                    kept.body,
                    etag=kept.etag,
                    tags=tags,
                    not_modified=if_none_match_hits(request, kept.etag),
                )
        try:
            live = selectors.published_list_items(
                offset=0 if cursor else (page - 1) * size, size=size, cursor=cursor, **params
            )
        except selectors.ForeignCursor as exc:
            message = "This cursor is from another list (not this search); start without it."
            raise ValidationFailed(
                message, errors=[{"field": "cursor", "message": message, "code": "invalid"}]
            ) from exc
        forward = cursor is None or cursor.after
        # The pages around this one, as cursors from its first and last items: with `more`,
        # the read found another item past the page in the direction it read.
        has_next = live.more if forward else bool(live.keys)
        has_previous = (cursor is not None or page > 1) if forward else live.more
        next_link = self._page_link(request, live.keys[-1], after=True) if has_next else None
        previous_link = (
            self._page_link(request, live.keys[0], after=False)
            if has_previous and live.keys
            else None
        )
        body = b"".join(
            [
                b'{"count":',
                str(live.count).encode(),
                b',"results":[',
                b",".join(live.items),
                b'],"next":',
                to_bytes(next_link),
                b',"previous":',
                to_bytes(previous_link),
                b"}",
            ]
        )
        etag = etag_of(body)
        if hot:
            hot_documents.keep_answer(request_key, body, etag, live.generation)
        return _bytes_response(
            body, etag=etag, tags=tags, not_modified=if_none_match_hits(request, etag)
        )

    @staticmethod
    def _page_link(request: Request, key: ListKey, *, after: bool) -> str:
        query = request.query_params.copy()
        query.pop("page", None)
        query["cursor"] = encode_list_cursor(key, after=after)
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
        params = validated_query(DetailQuerySerializer, request.query_params)
        locale = params.get("locale")
        min_cursor = params.get("min_cursor")
        if settings.HOT_DOCUMENTS_MB > 0:
            min_event = decode_cursor(min_cursor) if min_cursor else None
            document = kept_or_read(slug=slug, locale=locale, min_event=min_event)
        else:
            document = self._stored_get(request, slug, locale)
        if document is None:
            raise NotFound()
        fresh = if_none_match_hits(request, document.etag)
        response = _bytes_response(
            document.body, etag=document.etag, tags=document.cache_tags, not_modified=fresh
        )
        response["Last-Modified"] = http_date(document.rendered_at.timestamp())
        return response

    @staticmethod
    def _stored_get(request: Request, slug: str, locale: str | None) -> StoredDocument | None:
        """Without hot documents: a revalidation reads the ETag alone, the bytes only if the
        portal's copy is stale."""
        revalidating = "If-None-Match" in request.headers
        document = selectors.published_document_get(
            slug=slug, locale=locale, with_body=not revalidating
        )
        if document is not None and revalidating and not if_none_match_hits(request, document.etag):
            document = selectors.published_document_get(slug=slug, locale=document.locale)
        return document


class ChangeFeed(DeliveryView):
    # A feed read never goes back before the cursor it resumes from, whichever replica.
    position_params = ("min_cursor", "since")

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
        params = validated_query(ChangesQuerySerializer, request.query_params)
        after = decode_cursor(params["since"]) if params.get("since") else 0
        events = selectors.changes_after(after, limit=params["limit"] + 1)
        if not events and after and (head := selectors.position_never_given(after)) is not None:
            raise CursorAhead(params["since"], head)
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
