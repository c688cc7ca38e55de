"""The write side: articles and their append-only revisions, reviews, notes, audit events and
topics. What readers see is the read side's (`delivery.models`), written through its door."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from contentapi.ledger import LEGACY_FORM, AppendOnlyRecord, ChainedRecord, digest
from delivery.codes import CodeSystem


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Never published"
    PUBLISHED = "published", "Live"
    UNPUBLISHED = "unpublished", "Taken down"


class RevisionState(models.TextChoices):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    RECERTIFIED = "recertified"


class AuditAction(models.TextChoices):
    ARTICLE_CREATED = "article_created"
    REVISION_CREATED = "revision_created"
    REVISION_EDITED = "revision_edited"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    SCHEDULED = "scheduled"
    UNPUBLISHED = "unpublished"
    REVIEW_CERTIFIED = "review_certified"
    TOPIC_RENAMED = "topic_renamed"
    SCHEDULE_CANCELLED = "schedule_cancelled"
    TRANSLATION_OUTDATED = "translation_outdated"


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Topic(models.Model):
    """A subject area such as breast health; topics may nest under a parent."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Article(models.Model):
    """The stable identity of an article in one locale, with pointers to its revisions."""

    slug = models.SlugField(max_length=120)
    locale = models.CharField(max_length=10)
    # Articles that are translations of each other share a group.
    translation_group = models.UUIDField(default=uuid.uuid4, db_index=True)
    status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    latest_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    live_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_interval_days = models.PositiveIntegerField(default=365)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_review_due = models.DateTimeField(null=True, blank=True)
    # A live translation whose source article has since put live a revision that changes
    # its meaning: since when (None while it is current, or is no translation).
    outdated_since = models.DateTimeField(null=True, blank=True)
    # Bumped by every write to the article row; the management ETag is made from it.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="article_slug_locale_unique"),
            _choices_check("status", ArticleStatus, "article_status_valid"),
            models.CheckConstraint(
                condition=Q(review_interval_days__gte=1), name="article_review_interval_positive"
            ),
            # Invariant 2: a live article has its dates and a reviewer.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(
                    live_revision__isnull=False,
                    first_published_at__isnull=False,
                    last_updated_at__isnull=False,
                    last_reviewed_at__isnull=False,
                    last_reviewed_by__isnull=False,
                    next_review_due__isnull=False,
                ),
                name="article_live_has_dates_and_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"])]

    def __str__(self) -> str:
        return f"{self.slug} ({self.locale})"

    @property
    def etag(self) -> str:
        return f'"a{self.pk}.{self.version}"'


class Revision(models.Model):
    """An immutable numbered snapshot of an article's content, with its review state.

    Only a draft may change, and only through `services.revision_edit`; from submission on
    the content is frozen and any change is a new revision.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=1000)
    body = models.TextField()
    editor_note = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="revisions")
    sources = models.JSONField(default=list, blank=True)
    authors = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    base_revision = models.PositiveIntegerField(null=True, blank=True)
    # For a translation: the revision of the source article (another locale of the same
    # translation group) that this text translates.
    source_revision = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations"
    )
    # False: this revision changes the wording of its base only, not its meaning, so it does
    # not make translations outdated; `meaning_note` says why, for the reviewer to approve.
    meaning_changed = models.BooleanField(default=True)
    meaning_note = models.CharField(max_length=500, blank=True)
    # Written by a machine from its source revision: only a reviewer qualified in both the
    # source's language and this one may approve it.
    machine_translated = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set while the revision is scheduled: when it goes live, and who scheduled it.
    publish_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    reading_grade = models.FloatField(null=True, blank=True)
    # Bumped by every write to the revision row; the revision ETag is made from it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            _choices_check("state", RevisionState, "revision_state_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "scheduled", "published", "superseded"])
                | Q(approved_by__isnull=False),
                name="revision_approved_has_approver",
            ),
        ]
        indexes = [
            models.Index(fields=["state"]),
            models.Index(
                fields=["publish_at"],
                name="revision_due_schedule",
                condition=Q(state="scheduled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} r{self.number}"

    @property
    def etag(self) -> str:
        return f'"r{self.pk}.{self.version}"'

    def version_in(self, etags: list[str]) -> int | None:
        """The version of this revision that one of `etags` names, if any does."""
        prefix = f'"r{self.pk}.'
        for etag in etags:
            number = etag.removeprefix(prefix).removesuffix('"')
            if etag.startswith(prefix) and etag.endswith('"') and number.isdigit():
                return int(number)
        return None


class RevisionCode(models.Model):
    """A medical code a revision is about, normalised so EHR look-ups can use an index."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(max_length=10, choices=CodeSystem.choices)
    code = models.CharField(max_length=40)
    display = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "system", "code"], name="revision_code_unique"
            ),
            _choices_check("system", CodeSystem, "revision_code_system_valid"),
        ]
        indexes = [models.Index(fields=["system", "code"])]

    def __str__(self) -> str:
        return f"{self.system}:{self.code}"


class Review(AppendOnlyRecord):
    """A clinician's decision on a revision, or a re-certification of live content.

    Append-only: the database refuses to change or remove one (see migration 0007).
    """

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [_choices_check("decision", ReviewDecision, "review_decision_valid")]

    def __str__(self) -> str:
        return f"{self.decision} of {self.revision}"


class Note(models.Model):
    """An internal editor note on a revision; threaded; never shown on the delivery API."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    # The passage of the revision's text the note is about, as quoted (empty: the whole).
    quote = models.CharField(max_length=1000, blank=True)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.revision}"


class AuditEvent(ChainedRecord):
    """An append-only, signed record of one state change: who, what, which revision, when, why.

    Chained per article (`article:<id>`), or per topic (`topic:<id>`) for a rename; the
    transition that writes it holds that row's lock. The database refuses to change or
    remove an event, and `manage.py verify_audit` checks every chain.

    What it proves publicly (`attests`: who by, with credentials, which revision, the hash of
    the approved content) is hashed as it is, for anyone to check in an article's proof; the
    internal part (the comment and `details`) is hashed into one digest, so a proof can show
    the chain without showing an editor's comment.
    """

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    comment = models.TextField(blank=True)
    # What else the event proves: the contributors an approval excluded, a topic's old name.
    details = models.JSONField(default=dict, blank=True)
    # What it proves to anyone: who by (name, credentials), the revision number, and for
    # approvals, re-certifications and publications the hash of the content
    # (`delivery.rendering.content_hash`) and the topics as the reviewer saw them.
    attests = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            _choices_check("action", AuditAction, "audit_action_valid"),
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.chain} by {self.actor_id}"

    def chained_fields(self) -> dict[str, object]:
        fields = {
            **super().chained_fields(),
            "article": self.article_id,
            "revision": self.revision_id,
            "topic": self.topic_id,
            "actor": self.actor_id,
            "action": self.action,
        }
        if self.form == LEGACY_FORM:
            return {**fields, "comment": self.comment, "details": self.details}
        return {**fields, "attests": self.attests, "internal": self.internal_digest()}

    def internal_digest(self) -> str:
        """The hash of what a public proof leaves out: the comment and the details."""
        return digest({"comment": self.comment, "details": self.details})
