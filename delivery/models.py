"""The read side: what the delivery API serves, stored as the bytes it sends, and the changes
feed. Only the door (`delivery.door`) writes these tables (but the handout cache, which
`delivery.handouts` keeps).

The tables were made by the write side's migrations and keep their names (`articles_...`):
moving the models here changed no table and no row. The links to articles and topics are by
foreign key only; nothing here imports the write side.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from delivery.codes import CodeSystem


class PublishedDocument(models.Model):
    """The rendered, live form of one article, stored as the bytes the delivery API sends.

    A row exists exactly while the article is live; publishing writes it, unpublishing
    deletes it. Serving it needs no Markdown, serializer or template work.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="document"
    )
    slug = models.SlugField(max_length=120)
    locale = models.CharField(max_length=10)
    revision_number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=1000)
    # Plain text of title, summary and body: the search fallback where there is no tsvector.
    search_text = models.TextField()
    last_updated_at = models.DateTimeField()
    # When these bytes were rendered (Last-Modified): certification re-renders without a
    # new revision, so this can be later than last_updated_at.
    rendered_at = models.DateTimeField()
    body = models.BinaryField()  # the detail document, JSON
    list_item = models.BinaryField()  # the list entry, JSON
    etag = models.CharField(max_length=80)
    # Surrogate-Key / Cache-Tag of the detail response (delivery/cache_tags.py).
    cache_tags = models.CharField(max_length=2000, default="")
    # The article's translation group (`Article.translation_group`): its live translations
    # are the other documents of the group, found here without asking the write side.
    translation_group = models.UUIDField()
    # For a translation whose source has since changed meaning: since when. EHR answers do
    # not present such a document as current (OUTDATED_TRANSLATIONS).
    outdated_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "articles_publisheddocument"
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="document_slug_locale_unique")
        ]
        indexes = [
            models.Index(fields=["-last_updated_at", "-article"], name="document_newest"),
            models.Index(
                fields=["locale", "-last_updated_at", "-article"], name="document_locale_newest"
            ),
            models.Index(fields=["translation_group", "locale"], name="document_translations"),
        ]

    def __str__(self) -> str:
        return f"live {self.slug} ({self.locale}) r{self.revision_number}"


class PublishedSearch(models.Model):
    """The full-text side of a live document (PostgreSQL), in a narrow table of its own.

    A common word matches thousands of articles, and ranking them visits every matching row;
    narrow rows put ~20 on a page where the wide document rows put ~5, so a search reads a
    fraction of the pages. The documents' bytes are joined in for the page's rows only.
    """

    document = models.OneToOneField(
        PublishedDocument,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search",
        db_column="article_id",
    )
    locale = models.CharField(max_length=10)
    last_updated_at = models.DateTimeField()
    # Weighted (title A, summary B, body C) in the locale's text-search configuration; its
    # GIN index is made by migration on PostgreSQL.
    search_vector = SearchVectorField()
    # Title and summary alone: small enough to stay in the row, so ranking never unpacks the
    # large body vectors.
    rank_vector = SearchVectorField()

    class Meta:
        db_table = "articles_publishedsearch"

    def __str__(self) -> str:
        return f"search of {self.document_id}"


class PublishedTopic(models.Model):
    """A topic of a live document, for the `topic` filter and live counts."""

    document = models.ForeignKey(
        PublishedDocument, on_delete=models.CASCADE, related_name="topic_links"
    )
    topic = models.ForeignKey("articles.Topic", on_delete=models.CASCADE, related_name="live_links")
    # The topic's slug (slugs never change), so the `topic` filter needs no other table.
    slug = models.SlugField(max_length=80, db_index=False)

    class Meta:
        db_table = "articles_publishedtopic"
        constraints = [
            models.UniqueConstraint(fields=["topic", "document"], name="published_topic_unique")
        ]
        indexes = [models.Index(fields=["slug", "document"], name="published_topic_slug")]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.topic_id}"


class PublishedCode(models.Model):
    """A medical code of a live document, for the `code` look-up (EHR links)."""

    document = models.ForeignKey(
        PublishedDocument, on_delete=models.CASCADE, related_name="code_links"
    )
    system = models.CharField(max_length=10, choices=CodeSystem.choices)
    code = models.CharField(max_length=40)

    class Meta:
        db_table = "articles_publishedcode"
        constraints = [
            models.UniqueConstraint(
                fields=["system", "code", "document"], name="published_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} about {self.system}:{self.code}"


class ChangeKind(models.TextChoices):
    PUBLISHED = "published"
    UPDATED = "updated"
    UNPUBLISHED = "unpublished"
    # A live translation's source put live a change of meaning: the translation is outdated.
    TRANSLATION_OUTDATED = "translation_outdated"


class ChangeEvent(models.Model):
    """The outbox of delivery changes: the changes feed serves it, and subscribers (webhooks)
    follow it with cursors of their own.

    Written in the same transaction as the change it records, while holding the feed lock
    (`delivery.door.delivery_change`), so ids are committed in increasing order and a reader
    that has seen id N never later finds a new event below N. Everything a subscriber needs
    to announce the change is on the row, fixed when it happened.
    """

    Kind = ChangeKind

    id = models.BigAutoField(primary_key=True)
    event = models.CharField(max_length=20, choices=ChangeKind.choices)
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=120)
    locale = models.CharField(max_length=10)
    revision_number = models.PositiveIntegerField(null=True)
    at = models.DateTimeField()
    # The CDN cache tags the change made stale (space-separated; delivery/cache_tags.py): the
    # article's detail with its topics as readers saw them, and every list showing it.
    purge_keys = models.TextField(default="", blank=True)

    class Meta:
        db_table = "articles_changeevent"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=ChangeKind.values), name="change_event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.event} {self.slug} ({self.locale})"


class FeedGap(models.Model):
    """Positions of the changes feed that a restore made void (`manage.py feed_restored`).

    After a restore from a backup, the events written after the backup are gone, but clients
    and webhook receivers saw them: their positions must never be handed out again for other
    events. So the feed's numbering jumps: new events start at `resumes_at`, and a cursor
    between `restored_head` and `resumes_at` is one the restored feed never gave out
    (cursor-ahead).
    """

    restored_head = models.BigIntegerField(help_text="The newest event when it was restored.")
    resumes_at = models.BigIntegerField(help_text="The first id the feed uses after it.")
    restored_at = models.DateTimeField()

    class Meta:
        db_table = "delivery_feedgap"
        ordering = ["restored_head"]

    def __str__(self) -> str:
        return f"feed gap after c1.{self.restored_head}, resumes at c1.{self.resumes_at}"


class Handout(models.Model):
    """A made handout PDF (`delivery.handouts`): one per article, size and pairing, kept
    until its document (or its pairing's) changes, which changes `etag`.

    A cache, not a record: `delivery.handouts` writes it (not the door), and losing a row
    only costs making the PDF again.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    size = models.CharField(max_length=10)
    # The locale printed beside it, or "" for the article alone.
    also = models.CharField(max_length=10, blank=True, default="")
    etag = models.CharField(max_length=80)
    pdf = models.BinaryField()
    made_at = models.DateTimeField()
    # How long making it took, for operators (docs/operations.md).
    make_seconds = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "size", "also"], name="handout_article_size_also_unique"
            )
        ]

    def __str__(self) -> str:
        return f"handout {self.article_id} {self.size} {self.also or '-'}"
