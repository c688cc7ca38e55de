"""The public side of the audit trail: signed checkpoints and the keys that verify them.

Anyone may read both, with no key: they hold hashes and public keys, never content, and a
hospital's auditor, a portal or a patient's advocate keeps them to check the service later
(docs/audit.md). Checkpoints never change, so a page before the newest may be cached for good.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contentapi import schema
from contentapi.checkpoints import checkpoint_document
from contentapi.inputs import validated
from contentapi.models import AuditCheckpoint, CheckpointReason
from contentapi.signing import public_keys

HASH = {"min_length": 64, "max_length": 64}
CHECKPOINT_EXAMPLE = {
    "form": 1,
    "seq": 42,
    "at": "2026-11-30T14:05:09.512331+00:00",
    "reason": "publication",
    "heads": {"article:12": [7, "9f2c" + "0" * 60]},
    "chains": 318,
    "root": "51be" + "0" * 60,
    "previous": "c0de" + "0" * 60,
    "hash": "7a11" + "0" * 60,
    "key_id": "e6f033dadfab3587",
    "signature": "Q2hlY2twb2ludCBzaWduYXR1cmUgZXhhbXBsZQ" + "A" * 48 + "==",
}


@extend_schema_serializer(
    examples=[OpenApiExample("After a publication", value=CHECKPOINT_EXAMPLE, response_only=True)]
)
class CheckpointSerializer(serializers.Serializer):
    form = serializers.IntegerField(help_text="The version of the canonical form (now 1).")
    seq = serializers.IntegerField(min_value=1)
    at = serializers.CharField(help_text="When it was written (ISO 8601, UTC).")
    reason = serializers.ChoiceField(choices=CheckpointReason.choices)
    heads = serializers.DictField(
        child=serializers.ListField(min_length=2, max_length=2),
        help_text="The chains whose last record moved since the checkpoint before (every "
        "chain in the first): chain -> [seq, hash]. Replayed from the first checkpoint, they "
        "give the head of every chain, which `root` covers.",
    )
    chains = serializers.IntegerField(min_value=0, help_text="How many chains `root` covers.")
    root = serializers.CharField(
        **HASH, help_text="The Merkle tree head (RFC 9162) over every chain's head."
    )
    previous = serializers.CharField(**HASH, help_text="The hash of the checkpoint before.")
    hash = serializers.CharField(**HASH, help_text="SHA-256 of the canonical form.")
    key_id = serializers.CharField(help_text="Which key in /api/v1/audit/keys/ signed it.")
    signature = serializers.CharField(help_text="Ed25519 signature, base64.")


class CheckpointPageSerializer(serializers.Serializer):
    results = CheckpointSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text="Older checkpoints.")


class CheckpointQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31,
        help_text="Only checkpoints older than this seq (the `next` link sets it).",
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class PublicKeySerializer(serializers.Serializer):
    key_id = serializers.CharField(help_text="The first 16 hex digits of SHA-256(public key).")
    algorithm = serializers.ChoiceField(choices=["Ed25519"])
    public_key = serializers.CharField(help_text="The raw 32-byte public key, base64.")
    status = serializers.ChoiceField(
        choices=["current", "retired"],
        help_text="`current` signs now; `retired` signed earlier records and still verifies them.",
    )


class PublicKeysSerializer(serializers.Serializer):
    keys = PublicKeySerializer(many=True)


class PublicAuditView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class CheckpointList(PublicAuditView):
    @extend_schema(
        operation_id="audit_checkpoints_list",
        tags=["audit"],
        summary="Signed checkpoints of every audit chain, newest first",
        parameters=[CheckpointQuerySerializer],
        responses={200: CheckpointPageSerializer, 400: schema.BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        query = validated(CheckpointQuerySerializer, request.query_params)
        size = query["page_size"]
        checkpoints = AuditCheckpoint.objects.order_by("-seq")
        if "before" in query:
            checkpoints = checkpoints.filter(seq__lt=query["before"])
        page = list(checkpoints[: size + 1])
        following = None
        if len(page) > size:
            page = page[:size]
            url = request.build_absolute_uri(request.path)
            following = f"{url}?before={page[-1].seq}&page_size={size}"
        response = Response({"results": [checkpoint_document(c) for c in page], "next": following})
        # Older pages never change; the newest moves with every checkpoint.
        response["Cache-Control"] = (
            "public, max-age=86400, immutable"
            if "before" in query
            else f"public, max-age={settings.DELIVERY_MAX_AGE}"
        )
        return response


class PublicKeyList(PublicAuditView):
    @extend_schema(
        operation_id="audit_keys_list",
        tags=["audit"],
        summary="The public keys that verify audit records, checkpoints and proofs",
        responses={200: PublicKeysSerializer},
    )
    def get(self, request: Request) -> Response:
        keys = [
            {
                "key_id": key.key_id,
                "algorithm": "Ed25519",
                "public_key": key.public_key,
                "status": key.status,
            }
            for key in public_keys().values()
        ]
        response = Response({"keys": keys})
        response["Cache-Control"] = "public, max-age=300"
        return response
