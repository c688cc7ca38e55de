"""The read side: what readers see, and the changes feed.

Owns the published documents (the stored bytes the delivery API serves, their search and
link rows), the changes feed (the only outbox), the door that alone writes them
(`delivery.door`), rendering (Markdown to sanitized HTML, reading level, JSON-LD), the
vocabulary of medical codes, the answer cache, and the delivery API (list, detail, changes).

May import: `contentapi`. Never the write side (`articles`), the EHR answers (`ehr`), the
subscribers (`webhooks`) or the pages (`review`): they all build on this app, and it receives
what it renders as plain data (`delivery.rendering.DocumentSource`).
"""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    default_auto_field = "django.db.models.BigAutoField"
