"""Staff users with roles, their hashed, revocable API tokens, and the credential audit trail."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from contentapi.ledger import AppendOnlyRecord, ChainedRecord


class Role(models.TextChoices):
    EDITOR = "editor", "Editor"
    REVIEWER = "reviewer", "Clinical reviewer"
    PUBLISHER = "publisher", "Publisher"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A member of staff. `display_name` and `credentials` are what readers see of a reviewer."""

    display_name = models.CharField(max_length=200, blank=True)
    credentials = models.CharField(max_length=200, blank=True)
    roles = models.JSONField(default=list, blank=True)
    # The content locales this person may sign off as a reviewer; empty means the service's
    # default locale only (`review_languages`). Set by an admin, never by themselves.
    languages = models.JSONField(default=list, blank=True)

    def has_role(self, role: Role) -> bool:
        """True if the user holds `role`; admins hold every role."""
        return role in self.roles or Role.ADMIN in self.roles

    @property
    def review_languages(self) -> list[str]:
        """The locales this person may approve or re-certify, admins included."""
        return list(self.languages) or [settings.DEFAULT_CONTENT_LOCALE]

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


def token_digest(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is as safe as a slow one here
    # and keeps the per-request check to one indexed lookup.
    return hashlib.sha256(token.encode()).hexdigest()


class StaffTokenQuerySet(models.QuerySet):
    def active(self) -> "StaffTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class StaffToken(models.Model):
    """A staff API token. Only its SHA-256 digest is stored; the token is shown once."""

    PREFIX = "pe_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StaffTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"

    @classmethod
    def issue(cls, user: User, *, label: str = "") -> tuple["StaffToken", str]:
        """Create a token for `user`; returns the row and the plain token, never stored."""
        plain = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, digest=token_digest(plain), label=label), plain


class Scope(models.TextChoices):
    DELIVERY = "delivery", "Read live articles"
    PREVIEW = "preview", "Preview any revision"


class IntegratorKey(AbstractAPIKey):
    """An API key of a portal or website: hashed (SHA-512), prefixed, revocable, scoped."""

    scopes = models.JSONField(default=list, blank=True)
    # Its own request rate (e.g. "12000/min"); blank: RATE_LIMIT_DELIVERY.
    rate_limit = models.CharField(max_length=30, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "integrator API key"


class CredentialAction(models.TextChoices):
    TOKEN_ISSUED = "token_issued"
    TOKENS_ROTATED = "tokens_rotated"
    TOKENS_REVOKED = "tokens_revoked"
    API_KEY_ISSUED = "api_key_issued"
    API_KEY_REVOKED = "api_key_revoked"
    PASSWORD_SET = "password_set"
    # A webhook subscription holds a signing secret and sends to a URL outside: who set it
    # up, changed it, rotated its secret or removed it is on the record too.
    WEBHOOK_CREATED = "webhook_created"
    WEBHOOK_CHANGED = "webhook_changed"
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated"
    WEBHOOK_DELETED = "webhook_deleted"
    # The languages a reviewer may sign off are a qualification: who granted which, and when,
    # is on the record like a credential.
    LANGUAGES_SET = "languages_set"


class CredentialEvent(ChainedRecord):
    """An append-only record of a credential issued, rotated or revoked; never the secret.

    One chain per subject: `user:<id>` for a staff user's tokens, `api-key:<prefix>` for an
    integrator key.
    """

    action = models.CharField(max_length=30, choices=CredentialAction.choices)
    # Who did it: a staff user (through the API), or a label such as "command line (root)".
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    # The username or key prefix the credential belongs to.
    subject = models.CharField(max_length=150)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="credential_event_chain_seq"),
            models.CheckConstraint(
                condition=models.Q(action__in=CredentialAction.values),
                name="credential_event_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.subject} by {self.actor_label}"

    def chained_fields(self) -> dict[str, object]:
        return {
            **super().chained_fields(),
            "action": self.action,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "subject": self.subject,
            "details": self.details,
        }


STALE_AFTER_INTERVALS = 3
STALE_AFTER_AT_LEAST = timedelta(seconds=30)


class WorkerHeartbeat(models.Model):
    """The last run of one background worker process, for the status page and metrics.

    A worker writes its row after every run; a row that stops moving is what an operator's
    alert sees (the process died, or cannot reach the database).
    """

    # e.g. "publish_scheduled@web-1:4242"
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    started_at = models.DateTimeField()
    last_run_at = models.DateTimeField()
    last_ok_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # Seconds between its passes: a row that has not moved for three of them is stale.
    interval_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def stale_at(self) -> datetime:
        """When this heartbeat counts as stale if it has not moved: three intervals, and
        never less than STALE_AFTER_AT_LEAST (one pass may send webhooks for that long)."""
        return self.last_run_at + max(
            STALE_AFTER_AT_LEAST, timedelta(seconds=STALE_AFTER_INTERVALS * self.interval_seconds)
        )

    @property
    def stale(self) -> bool:
        return timezone.now() > self.stale_at()


class CheckpointReason(models.TextChoices):
    SIGNING_BEGAN = "signing_began"  # seals the unsigned records written before signing
    PUBLICATION = "publication"  # an article went live, came down or was re-certified
    INTERVAL = "interval"  # records were added, and AUDIT_CHECKPOINT_INTERVAL passed


class AuditCheckpoint(AppendOnlyRecord):
    """A signed statement of the head of every audit chain at one moment (docs/audit.md).

    `heads` lists the chains whose head moved since the previous checkpoint (every chain, in
    the first); replaying them from the first checkpoint gives the head of every chain, and
    `root` is the Merkle tree head over all of those. Each checkpoint names the hash of the
    one before, so a kept copy shows a removed tail, a rewritten chain or a fork.
    """

    seq = models.PositiveIntegerField(unique=True)
    at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=CheckpointReason.choices)
    heads = models.JSONField()  # {chain: [seq, hash]}
    chains = models.PositiveIntegerField()  # how many chains `root` covers
    root = models.CharField(max_length=64)
    previous = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    form = models.PositiveSmallIntegerField(default=1)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=CheckpointReason.values),
                name="audit_checkpoint_reason_valid",
            )
        ]

    def __str__(self) -> str:
        return f"checkpoint {self.seq}"


class CheckpointHead(models.Model):
    """The head of each chain as the latest checkpoint states it: the leaves of its Merkle
    tree, for proofs. Derived data: a change here makes proofs fail, never pass."""

    chain = models.CharField(max_length=60, primary_key=True)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    checkpoint = models.PositiveIntegerField()  # the seq of the checkpoint that last moved it

    class Meta:
        ordering = ["chain"]

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"
