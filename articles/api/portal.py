"""What portals and web teams read of the write side: the topic vocabulary with how many live
articles use each topic (a delivery endpoint), and any revision previewed in the delivery
shape (for the hospital web team, never cached)."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import selectors
from articles.models import RevisionState
from contentapi import schema
from contentapi.authentication import IntegratorKeyAuthentication, StaffTokenAuthentication
from contentapi.models import Scope
from contentapi.permissions import HasScope, IsStaff
from delivery import cache_tags
from delivery.api.serializers import LIVE_EXAMPLE, LiveArticleSerializer, PersonSerializer
from delivery.api.views import DELIVERY_ERRORS, JSON, DeliveryView, public_cache_control


class LiveTopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True, source="parent.slug", default=None)
    live_articles = serializers.IntegerField()


class LiveTopicList(DeliveryView):
    @extend_schema(
        operation_id="live_topics_list",
        tags=["delivery"],
        summary="The topics live articles name, with how many name each",
        responses={200: LiveTopicSerializer(many=True), **DELIVERY_ERRORS},
    )
    def get(self, request: Request) -> Response:
        response = Response(LiveTopicSerializer(selectors.live_topics(), many=True).data)
        response["Cache-Control"] = public_cache_control()
        for name, value in cache_tags.tag_headers(cache_tags.TOPICS_LIST).items():
            response[name] = value
        return response


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A revision in review",
            value={**LIVE_EXAMPLE, "revision": 4, "state": "in_review", "reviewed_by": None},
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
