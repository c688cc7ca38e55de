"""Webhooks: signed change notifications to subscribers, following the changes feed."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from webhooks import monitoring  # noqa: F401  (registers gauges and a status section)
