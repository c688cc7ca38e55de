"""Webhooks: signed change notifications to subscribers, following the changes feed.

Owns the subscriptions (each with its own cursor in the feed), their deliveries and attempts,
the fan-out and the worker that sends, the SSRF guard and the signing secrets.

May import: `delivery` (the feed, cursors, cache tags) and `contentapi`. Never `articles`:
the write side publishes without knowing that anyone listens.
"""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from webhooks import monitoring  # noqa: F401  (registers gauges and a status section)
