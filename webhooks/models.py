"""Webhook subscriptions, and the deliveries of change events to them with each attempt.

Each subscription follows the changes feed with a cursor of its own (`webhooks.fanout`), so
nothing that changes what readers see can skip its webhooks, and publishing never waits on
them. A subscription may also ask for every signed audit checkpoint (`audit.checkpoint`),
followed by a second cursor, so an auditor's receiver keeps a copy outside the building. The
worker (`deliver_webhooks`) fans new events out, sends due deliveries and records every
attempt.
"""

from django.conf import settings
from django.db import models

from delivery.models import ChangeKind

# What a subscription may ask for: the change kinds, and every signed audit checkpoint.
CHECKPOINT_EVENT = "audit.checkpoint"
EVENT_CHOICES = [*ChangeKind.choices, (CHECKPOINT_EVENT, "Audit checkpoint")]


class DeliveryState(models.TextChoices):
    PENDING = "pending"  # waiting for its first attempt or for a retry
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed, or the subscription was disabled by a 410


class WebhookSubscription(models.Model):
    url = models.URLField(max_length=2000)
    events = models.JSONField(
        help_text="What is sent: published, updated, unpublished, audit.checkpoint."
    )
    locales = models.JSONField(default=list, blank=True, help_text="Empty: every locale.")
    enabled = models.BooleanField(default=True)
    description = models.CharField(max_length=300, blank=True)
    # Fernet tokens (webhooks/secrets.py): a database dump alone cannot sign.
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Why the service turned it off (a 410 from the receiver), or when its last delivery
    # failed every attempt; both shown to admins.
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    # Why the worker cannot serve it at all (a secret no key decrypts); cleared by a success.
    last_error = models.CharField(max_length=300, blank=True)
    # The worker that sends its deliveries holds it until `lease_until` (one worker per
    # subscription at a time keeps first attempts in feed order).
    lease_until = models.DateTimeField(null=True, blank=True)
    # The id of the last change event fanned out to it: it gets every later one it wants.
    # Set to the feed's head when it is created or turned on again.
    feed_cursor = models.BigIntegerField(default=0)
    # The seq of the last audit checkpoint considered for it (the latest when it was made).
    checkpoint_cursor = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.pk} to {self.url}"


class WebhookDelivery(models.Model):
    """One change event, or one audit checkpoint, for one subscription; `message_id` stays
    the same across retries."""

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "delivery.ChangeEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checkpoint = models.ForeignKey(
        "contentapi.AuditCheckpoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    message_id = models.CharField(max_length=60, unique=True)
    payload = models.TextField()  # the JSON body, fixed when the event happened
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, checkpoint__isnull=True)
                | models.Q(event__isnull=True, checkpoint__isnull=False),
                name="webhook_delivery_event_or_checkpoint",
            )
        ]
        indexes = [
            # The worker's question: what is due, per subscription, in feed order.
            models.Index(
                fields=["subscription", "next_attempt_at", "id"],
                name="webhook_delivery_due",
                condition=models.Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.message_id} ({self.state})"


class WebhookAttempt(models.Model):
    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.TextField(blank=True)  # the first 1 KB of the answer

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"
