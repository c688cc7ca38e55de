"""Webhooks: signed change notifications to subscribers, from the read side's outbox."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from webhooks import metrics  # noqa: F401  (registers the webhooks' gauges)
