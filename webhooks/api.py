"""The webhook admin API under /api/v1/manage/webhooks/ (admins only)."""

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from contentapi import schema
from contentapi.fields import StrictBooleanField, StrictCharField
from contentapi.inputs import validated
from contentapi.permissions import IsAdmin
from delivery.cursors import CURSOR_PATTERN, decode_cursor, encode_cursor
from webhooks import services
from webhooks.models import (
    CHECKPOINT_EVENT,
    EVENT_CHOICES,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

MAX_DESCRIPTION = 300


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        min_length=1,
        max_length=len(EVENT_CHOICES),
        required=False,
        help_text="Which changes to send; default the four article changes. "
        "`audit.checkpoint` sends every signed audit checkpoint (docs/audit.md).",
    )
    locales = serializers.ListField(
        child=serializers.ChoiceField(choices=settings.CONTENT_LOCALES),
        max_length=len(settings.CONTENT_LOCALES),
        required=False,
        help_text="Only articles in these locales; default every locale.",
    )
    enabled = StrictBooleanField(required=False, default=True)
    description = StrictCharField(
        max_length=MAX_DESCRIPTION, required=False, allow_blank=True, default=""
    )


class WebhookPatchSerializer(WebhookInputSerializer):
    url = serializers.URLField(max_length=2000, required=False)
    enabled = StrictBooleanField(required=False)
    description = StrictCharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))
    locales = serializers.ListField(child=serializers.CharField())
    secret_rotating_until = serializers.DateTimeField(
        source="previous_secret_expires_at",
        allow_null=True,
        help_text="While set, the previous secret signs beside the new one.",
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "events",
            "locales",
            "enabled",
            "description",
            "disabled_reason",
            "failing_since",
            "last_error",
            "secret_rotating_until",
            "created_at",
            "updated_at",
        ]


class WebhookWithSecretSerializer(WebhookSerializer):
    """A subscription with its signing secret: only in the answer that makes the secret."""

    secret = serializers.CharField(
        help_text="The signing secret (`whsec_…`): shown in this response only. Keep it."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    # Declared, not derived from the model: the derived bounds would differ by database.
    number = serializers.IntegerField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True, help_text="None: no answer.")

    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "error", "response_excerpt"]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField(help_text="The change kind, or `audit.checkpoint`.")
    slug = serializers.CharField(source="event.slug", allow_null=True, default=None)
    locale = serializers.CharField(source="event.locale", allow_null=True, default=None)
    attempts_made = serializers.IntegerField(source="attempts")
    last_status_code = serializers.IntegerField(allow_null=True)
    tries = AttemptSerializer(many=True, help_text="Every attempt, first first.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event",
            "slug",
            "locale",
            "state",
            "attempts_made",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "created_at",
            "tries",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=EVENT_CHOICES))
    def get_event(self, delivery: WebhookDelivery) -> str:
        return delivery.event.event if delivery.event_id else CHECKPOINT_EVENT


class ReplayQuerySerializer(serializers.Serializer):
    since = serializers.RegexField(
        CURSOR_PATTERN,
        help_text="A changes-feed cursor: events after it are sent again.",
        error_messages={"invalid": "Not a cursor this feed gave out."},
    )


class ReplaySerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="New deliveries made.")
    cursor = serializers.CharField(
        allow_null=True, help_text="The last event queued; replay again from it for more."
    )


class AdminView(generics.GenericAPIView):
    permission_classes = [IsAdmin]
    queryset = WebhookSubscription.objects.all()

    def subscription(self) -> WebhookSubscription:
        return get_object_or_404(WebhookSubscription, pk=self.kwargs["webhook_id"])


WEBHOOK_EXAMPLE = OpenApiExample(
    "subscription",
    value={
        "url": "https://portal.hospital.example/hooks/content",
        "events": ["published", "updated", "unpublished"],
        "locales": [],
        "description": "Patient portal cache",
    },
    request_only=True,
)


class WebhookListCreate(generics.ListAPIView, AdminView):
    serializer_class = WebhookSerializer
    queryset = WebhookSubscription.objects.order_by("id")

    @extend_schema(
        operation_id="manage_webhooks_list", summary="Webhook subscriptions", tags=["webhooks"]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Subscribe a URL to change events; the answer shows the signing secret once",
        tags=["webhooks"],
        request=WebhookInputSerializer,
        examples=[WEBHOOK_EXAMPLE],
        responses={201: WebhookWithSecretSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = validated(WebhookInputSerializer, request.data)
        subscription, secret = services.subscription_create(actor=request.user, **data)
        body = {**WebhookSerializer(subscription).data, "secret": secret}
        location = reverse("webhook-detail", args=[subscription.pk], request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class WebhookDetail(AdminView):
    serializer_class = WebhookSerializer

    @extend_schema(summary="One webhook subscription", tags=["webhooks"])
    def get(self, request: Request, webhook_id: int) -> Response:
        return Response(WebhookSerializer(self.subscription()).data)

    @extend_schema(
        summary="Change a subscription (enabling it again clears why it was off)",
        tags=["webhooks"],
        request=WebhookPatchSerializer,
        responses={200: WebhookSerializer, **schema.WRITE_ERRORS},
    )
    def patch(self, request: Request, webhook_id: int) -> Response:
        subscription = self.subscription()
        changes = validated(WebhookPatchSerializer, request.data)
        subscription = services.subscription_update(
            actor=request.user, subscription=subscription, changes=changes
        )
        return Response(WebhookSerializer(subscription).data)

    @extend_schema(
        summary="Delete a subscription and its delivery history",
        tags=["webhooks"],
        responses={204: None},
    )
    def delete(self, request: Request, webhook_id: int) -> Response:
        services.subscription_delete(actor=request.user, subscription=self.subscription())
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecret(AdminView):
    serializer_class = WebhookWithSecretSerializer

    @extend_schema(
        summary="A new signing secret; the old one keeps signing beside it for 24 hours",
        tags=["webhooks"],
        request=None,
        responses={200: WebhookWithSecretSerializer},
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        subscription, secret = services.secret_rotate(
            actor=request.user, subscription=self.subscription()
        )
        return Response({**WebhookSerializer(subscription).data, "secret": secret})


class WebhookDeliveries(generics.ListAPIView, AdminView):
    serializer_class = DeliverySerializer
    queryset = WebhookDelivery.objects.none()

    def get_queryset(self) -> Any:
        return (
            WebhookDelivery.objects.filter(subscription=self.subscription())
            .select_related("event")
            .prefetch_related("tries")
            .order_by("-id")
        )

    @extend_schema(
        summary="The subscription's deliveries, newest first, with every attempt", tags=["webhooks"]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class WebhookRedeliver(AdminView):
    serializer_class = DeliverySerializer

    @extend_schema(
        summary="Send a delivery again (same webhook-id, a fresh retry schedule)",
        tags=["webhooks"],
        request=None,
        responses={200: DeliverySerializer},
    )
    def post(self, request: Request, webhook_id: int, delivery_id: int) -> Response:
        delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("event"),
            pk=delivery_id,
            subscription=self.subscription(),
        )
        services.delivery_redeliver(actor=request.user, delivery=delivery)
        return Response(DeliverySerializer(delivery).data)


class WebhookReplay(AdminView):
    serializer_class = ReplaySerializer

    @extend_schema(
        summary="Send again every event after a changes-feed cursor (new webhook-ids)",
        tags=["webhooks"],
        request=None,
        parameters=[ReplayQuerySerializer],
        responses={202: ReplaySerializer, 400: schema.BAD_REQUEST},
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        since = validated(ReplayQuerySerializer, request.query_params)["since"]
        events = services.replay(
            actor=request.user, subscription=self.subscription(), after_event=decode_cursor(since)
        )
        body = {"queued": len(events), "cursor": encode_cursor(events[-1]) if events else None}
        return Response(body, status=status.HTTP_202_ACCEPTED)
