"""URLs of the webhook admin API under /api/v1/manage/webhooks/."""

from django.urls import path

from contentapi import converters  # noqa: F401  (registers <id:>)
from webhooks import api

urlpatterns = [
    path("", api.WebhookListCreate.as_view(), name="webhook-list"),
    path("<id:webhook_id>/", api.WebhookDetail.as_view(), name="webhook-detail"),
    path(
        "<id:webhook_id>/rotate-secret/",
        api.WebhookRotateSecret.as_view(),
        name="webhook-rotate-secret",
    ),
    path("<id:webhook_id>/deliveries/", api.WebhookDeliveries.as_view(), name="webhook-deliveries"),
    path(
        "<id:webhook_id>/deliveries/<id:delivery_id>/redeliver/",
        api.WebhookRedeliver.as_view(),
        name="webhook-redeliver",
    ),
    path("<id:webhook_id>/replay/", api.WebhookReplay.as_view(), name="webhook-replay"),
]
