"""What portals and web teams read of the write side: the topic vocabulary with how many live
articles use each topic (a delivery endpoint), and any revision previewed in the delivery
shape (for the hospital web team, never cached)."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import selectors
from articles.audit import article_proof
from articles.models import Article, RevisionState
from contentapi import schema
from contentapi.audit_api import CHECKPOINT_EXAMPLE, CheckpointSerializer
from contentapi.authentication import IntegratorKeyAuthentication, StaffTokenAuthentication
from contentapi.conditional import if_none_match_hits
from contentapi.inputs import validated_query
from contentapi.models import Scope
from contentapi.permissions import HasScope, IsStaff
from delivery import cache_tags
from delivery.api.serializers import (
    LIVE_EXAMPLE,
    DetailQuerySerializer,
    LiveArticleSerializer,
    PersonSerializer,
)
from delivery.api.views import (
    DELIVERY_ERRORS,
    JSON,
    NOT_MODIFIED,
    DeliveryView,
    public_cache_control,
)
from delivery.selectors import published_document_get


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


# ------------------------------------------------------------------------------
# The proof of a live article's sign-off
# ------------------------------------------------------------------------------
class ProofArticleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    locale = serializers.CharField()
    revision = serializers.IntegerField(help_text="The live revision's number.")
    content_hash = serializers.CharField(
        allow_null=True,
        help_text="The live document's `content_hash`: the hash of the approved words.",
    )


class ProofRecordSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1)
    form = serializers.IntegerField(help_text="1: written before signing began (hash only).")
    at = serializers.CharField(required=False)
    action = serializers.CharField(required=False)
    attests = serializers.DictField(
        required=False,
        help_text="What the record proves: `by` (name, credentials), `revision`, and for "
        "approvals, re-certifications and publications `content_hash` and `topics`.",
    )
    fields = serializers.DictField(
        allow_null=True,
        help_text="Exactly what the hash covers (docs/audit.md); null for form 1.",
    )
    hash = serializers.CharField(min_length=64, max_length=64)
    key_id = serializers.CharField(required=False)
    signature = serializers.CharField(required=False)


class ProofHeadSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1)
    hash = serializers.CharField(min_length=64, max_length=64)


class InclusionSerializer(serializers.Serializer):
    checkpoint = CheckpointSerializer()
    leaf_index = serializers.IntegerField(min_value=0)
    tree_size = serializers.IntegerField(min_value=1)
    path = serializers.ListField(
        child=serializers.CharField(min_length=64, max_length=64),
        help_text="Sibling hashes from the chain's leaf up to the checkpoint's root.",
    )


_H = "0" * 60
PROOF_EXAMPLE = {
    "article": {
        "slug": "understanding-your-a1c",
        "locale": "en",
        "revision": 1,
        "content_hash": "c464" + _H,
    },
    "chain": "article:6",
    "records": [
        {
            "seq": 3,
            "form": 2,
            "at": "2026-12-03T17:00:19.469983+00:00",
            "action": "approved",
            "attests": {
                "by": {"name": "Dr. Chidi Okafor", "credentials": "MD, endocrinologist"},
                "revision": 1,
                "content_hash": "c464" + _H,
                "topics": [{"slug": "diabetes", "name": "Diabetes"}],
            },
            "fields": {
                "chain": "article:6", "seq": 3, "at": "2026-12-03T17:00:19.469983+00:00",
                "form": 2, "record": "articles.auditevent", "article": 6, "revision": 7,
                "topic": None, "actor": 3, "action": "approved", "attests": "(as above)",
                "internal": "5e1f" + _H,
            },
            "hash": "9f2c" + _H,
            "key_id": "077bee0446580271",
            "signature": "base64 Ed25519 signature of contentapi-audit:record:<hash>",
        }
    ],
    "head": {"seq": 4, "hash": "77ab" + _H},
    "inclusion": {
        "checkpoint": CHECKPOINT_EXAMPLE,
        "leaf_index": 5,
        "tree_size": 27,
        "path": ["1d2e" + _H, "aa01" + _H],
    },
}  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample("A live article's proof (one record shown)", value=PROOF_EXAMPLE,
                       response_only=True)
    ]
)  # fmt: skip
class ProofSerializer(serializers.Serializer):
    article = ProofArticleSerializer()
    chain = serializers.CharField()
    records = ProofRecordSerializer(many=True)
    head = ProofHeadSerializer()
    inclusion = InclusionSerializer(
        allow_null=True,
        help_text="Null until a checkpoint includes the chain's newest record (the "
        "publication worker writes one within a scheduler interval of a publication).",
    )


class ArticleProof(DeliveryView):
    # The proof joins the audit chain and the signed checkpoints: one database, the primary.
    replica_reads = False

    @extend_schema(
        operation_id="live_article_proof",
        tags=["audit"],
        summary="Proof of who approved a live article's words, and when",
        description="The article's signed audit records from its first revision on, the "
        "chain's head, and the path from that head to the Merkle root of a signed checkpoint. "
        "`examples/verify_proof.py` checks it offline against /api/v1/audit/keys/.",
        parameters=[DetailQuerySerializer],
        responses={
            200: ProofSerializer,
            304: NOT_MODIFIED,
            400: schema.BAD_REQUEST,
            404: schema.NOT_FOUND,
            **DELIVERY_ERRORS,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        locale = validated_query(DetailQuerySerializer, request.query_params).get("locale")
        document = published_document_get(slug=slug, locale=locale, with_body=False)
        if document is None:
            raise NotFound()
        article = Article.objects.select_related("live_revision").get(
            slug=slug, locale=document.locale
        )
        proof = article_proof(article)
        etag = f'"p{article.pk}.{proof.version}"'
        if if_none_match_hits(request, etag):
            response = Response(status=304)
        else:
            response = Response(proof.body)
        response["Cache-Control"] = public_cache_control()
        response["ETag"] = etag
        return response
