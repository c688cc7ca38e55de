"""Serializers of the management API: inputs are parsed into domain arguments, outputs read rows."""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from articles import selectors
from articles.models import Article, AuditEvent, Note, Review, Revision, Topic
from articles.translations import source_reference
from contentapi.converters import BIGINT_MAX, INT_MAX
from contentapi.fields import (
    HttpUrlField,
    PlainTextField,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)
from contentapi.models import User
from delivery.api.serializers import (
    CodeSerializer,
    PersonSerializer,
    SourceSerializer,
    TopicRefSerializer,
)
from delivery.codes import CodeSystem
from delivery.readability import PLAIN_LANGUAGE_GRADE, above_plain_language_target

MAX_LIST = 50

# Lower-case words joined by single hyphens: what portals put in URLs.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MESSAGE = "Use lower-case letters, digits and single hyphens, e.g. 'colonoscopy-prep'."


def not_blank(value: str) -> None:
    if not value.strip():
        raise serializers.ValidationError("This field may not be blank.", code="blank")


def slug_field(max_length: int, **kwargs: Any) -> StrictCharField:
    return StrictCharField(
        max_length=max_length,
        validators=[RegexValidator(SLUG_PATTERN, SLUG_MESSAGE, code="invalid_slug")],
        **kwargs,
    )


class StaffRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name")

    class Meta:
        model = User
        fields = ["username", "name", "credentials"]


# ------------------------------------------------------------------------------
# Content input
# ------------------------------------------------------------------------------
class CodeInputSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices)
    code = StrictCharField(max_length=40)
    display = PlainTextField(max_length=300, required=False, allow_blank=True, default="")


class SourceInputSerializer(serializers.Serializer):
    title = PlainTextField(max_length=300)
    url = HttpUrlField()


class AuthorInputSerializer(serializers.Serializer):
    name = PlainTextField(max_length=200)
    credentials = PlainTextField(max_length=200, required=False, allow_blank=True, default="")


def _list(child: serializers.Field, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=child, max_length=MAX_LIST, **kwargs)


class RevisionContentInputSerializer(serializers.Serializer):
    """The content fields of a revision. The body is Markdown."""

    title = PlainTextField(max_length=200)
    summary = PlainTextField(max_length=1000, multiline=True)
    # Markdown keeps its whitespace, but a body of nothing but whitespace is still blank.
    body = PlainTextField(
        max_length=settings.MAX_BODY_CHARS,
        multiline=True,
        trim_whitespace=False,
        validators=[not_blank],
    )
    editor_note = PlainTextField(max_length=5000, multiline=True, required=False, allow_blank=True)
    topics = _list(slug_field(80), required=False)
    codes = _list(CodeInputSerializer(), required=False)
    sources = _list(SourceInputSerializer(), required=False)
    authors = _list(AuthorInputSerializer(), required=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new article",
            value={
                "slug": "screening-mammogram-callback",
                "locale": "en",
                "title": "Why you might be called back after a screening mammogram",
                "summary": "Most call-backs are not cancer. Here is what happens next.",
                "body": "## What a call-back means\n\nA call-back means the radiologist ...",
                "editor_note": "",
                "topics": ["breast-health"],
                "codes": [{"system": "icd10cm", "code": "R92.8", "display": "Abnormal mammogram"}],
                "sources": [
                    {
                        "title": "Hospital breast imaging protocol",
                        "url": "https://example.org/protocol",
                    }
                ],
                "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
                "review_interval_days": 365,
            },
            request_only=True,
        )
    ]
)
class SourceRefSerializer(serializers.Serializer):
    """The source revision a translation translates."""

    slug = slug_field(120)
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES)
    revision = StrictIntegerField(min_value=1, max_value=INT_MAX)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX},
            {
                "type": "object",
                "properties": {
                    "slug": {"type": "string", "maxLength": 120},
                    "locale": {"type": "string", "enum": list(settings.CONTENT_LOCALES)},
                    "revision": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
                },
                "required": ["slug", "locale", "revision"],
            },
        ],
        "description": "The source revision this article translates, `{slug, locale, "
        "revision}`; an article id means that article's live revision.",
    }
)
class TranslationOfField(serializers.Field):
    """`{slug, locale, revision}`, or (as earlier versions took) an article id."""

    default_error_messages = {
        "invalid": "Give {{slug, locale, revision}} of the source revision, or an article id."
    }

    def to_internal_value(self, data: Any) -> int | dict[str, Any]:
        if isinstance(data, int) and not isinstance(data, bool):
            if not 1 <= data <= BIGINT_MAX:
                self.fail("invalid")
            return data
        if isinstance(data, dict):
            ref = SourceRefSerializer(data=data)
            ref.is_valid(raise_exception=True)
            return dict(ref.validated_data)
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value


MACHINE_TRANSLATED_HELP = (
    "true: a machine wrote this text from its source revision (`translation_of`, required); "
    "only a reviewer qualified in both languages may approve it. Default false."
)


class LineageInputSerializer(serializers.Serializer):
    """What a revision says of its translation lineage, and of its meaning."""

    translation_of = SourceRefSerializer(
        required=False, help_text="The source revision this translation now translates."
    )
    meaning_changed = StrictBooleanField(
        required=False,
        help_text="false: this revision changes wording only, so translations stay current "
        "(give `meaning_note`). Default true.",
    )
    meaning_note = StrictCharField(max_length=500, required=False, allow_blank=True)
    machine_translated = StrictBooleanField(
        required=False,
        help_text=MACHINE_TRANSLATED_HELP,
    )


class ArticleCreateSerializer(RevisionContentInputSerializer):
    slug = slug_field(120)
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES)
    review_interval_days = StrictIntegerField(min_value=1, max_value=3650, required=False)
    translation_of = TranslationOfField(required=False)
    machine_translated = StrictBooleanField(
        required=False, default=False, help_text=MACHINE_TRANSLATED_HELP
    )


class RevisionCreateSerializer(LineageInputSerializer, RevisionContentInputSerializer):
    """A new revision. Content fields left out are carried over from `base_revision`."""

    base_revision = StrictIntegerField(
        min_value=1,
        max_value=INT_MAX,
        help_text="The number of the revision you edited (must be the latest).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in RevisionContentInputSerializer().fields:
            self.fields[name].required = False


class RevisionPatchSerializer(LineageInputSerializer, RevisionContentInputSerializer):
    """A partial edit of a draft: send only the fields that change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TransitionSerializer(serializers.Serializer):
    comment = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class PublishSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="A future time (with UTC offset) to schedule; leave out to publish now.",
    )
    comment = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class UnpublishSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class RequestChangesSerializer(serializers.Serializer):
    comment = StrictCharField(max_length=5000, help_text="What the editor must change.")


# ------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------
class ManagedArticleSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="latest_revision.title", read_only=True)
    latest_revision = serializers.IntegerField(source="latest_revision.number", read_only=True)
    live_revision = serializers.IntegerField(
        source="live_revision.number", read_only=True, allow_null=True, default=None
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="manage-article-detail", lookup_url_kwarg="article_id"
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "slug",
            "locale",
            "translation_group",
            "title",
            "status",
            "latest_revision",
            "live_revision",
            "first_published_at",
            "last_updated_at",
            "last_reviewed_at",
            "next_review_due",
            "outdated_since",
            "review_interval_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContributorSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    revisions = serializers.ListField(
        child=serializers.IntegerField(), help_text="The revisions of this text they wrote."
    )


class ContributorsMixin(serializers.Serializer):
    """`contributors`: everyone who wrote part of the text, whom approval excludes."""

    contributors = serializers.SerializerMethodField(
        help_text="The authors of this revision and of every revision it was based on, back "
        "to the nearest approved one. None of them may approve it."
    )

    @extend_schema_field(ContributorSerializer(many=True))
    def get_contributors(self, revision: Revision) -> list[dict[str, Any]]:
        # One look-up per article, shared by every revision a list serializes.
        known = self.context.setdefault("contributors", {})
        if revision.article_id not in known:
            known[revision.article_id] = selectors.article_contributors(revision.article_id)
        return known[revision.article_id].get(revision.number, [])


class RevisionSummarySerializer(ContributorsMixin, serializers.ModelSerializer):
    author = StaffRefSerializer(read_only=True)

    class Meta:
        model = Revision
        fields = [
            "number",
            "state",
            "title",
            "author",
            "contributors",
            "base_revision",
            "created_at",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = StaffRefSerializer(read_only=True)

    class Meta:
        model = Review
        fields = ["decision", "reviewer", "comment", "created_at"]
        read_only_fields = fields


class PlainLanguageSerializer(serializers.Serializer):
    reading_grade = serializers.FloatField(allow_null=True, help_text="US school grade.")
    target_grade = serializers.FloatField()
    above_target = serializers.BooleanField()
    warning = serializers.CharField(allow_null=True)


class RevisionDetailSerializer(ContributorsMixin, serializers.ModelSerializer):
    author = StaffRefSerializer(read_only=True)
    approved_by = StaffRefSerializer(read_only=True, allow_null=True)
    topics = TopicRefSerializer(many=True, read_only=True)
    codes = CodeSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    authors = PersonSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    plain_language = serializers.SerializerMethodField()
    translation_of = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "article",
            "number",
            "state",
            "title",
            "summary",
            "body",
            "editor_note",
            "topics",
            "codes",
            "sources",
            "authors",
            "author",
            "contributors",
            "base_revision",
            "translation_of",
            "meaning_changed",
            "meaning_note",
            "machine_translated",
            "approved_by",
            "approved_at",
            "submitted_at",
            "publish_at",
            "published_at",
            "plain_language",
            "reviews",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SourceRefSerializer(allow_null=True))
    def get_translation_of(self, revision: Revision) -> dict[str, Any] | None:
        return source_reference(revision)

    @extend_schema_field(PlainLanguageSerializer)
    def get_plain_language(self, revision: Revision) -> dict[str, Any]:
        grade = revision.reading_grade
        above = above_plain_language_target(grade)
        return {
            "reading_grade": grade,
            "target_grade": PLAIN_LANGUAGE_GRADE,
            "above_target": above,
            "warning": (
                f"Reads at grade {grade}: patient material should read at grade "
                f"{PLAIN_LANGUAGE_GRADE:g} or below. Shorter sentences and words help."
                if above
                else None
            ),
        }


class NoteSerializer(serializers.ModelSerializer):
    author = StaffRefSerializer(read_only=True)
    reply_to = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "body", "quote", "reply_to", "author", "created_at"]
        read_only_fields = fields


class NoteInputSerializer(serializers.Serializer):
    body = StrictCharField(max_length=10_000)
    quote = StrictCharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="The passage of the revision's text the note is about, copied as it reads "
        "(title, summary, body or editor's note); the review page marks it.",
    )
    reply_to = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX
    )


class AuditEventSerializer(serializers.ModelSerializer):
    actor = StaffRefSerializer(read_only=True)
    revision = serializers.IntegerField(
        source="revision.number", read_only=True, allow_null=True, default=None
    )

    details = serializers.JSONField(
        read_only=True,
        help_text="What else the event records, e.g. the `contributors` an approval excluded.",
    )
    hash = serializers.CharField(
        read_only=True,
        help_text="SHA-256 of the previous event's hash and this event: the article's audit "
        "chain, which `manage.py verify_audit` checks.",
    )

    class Meta:
        model = AuditEvent
        fields = ["seq", "action", "actor", "revision", "at", "comment", "details", "hash"]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "parent"]
        read_only_fields = fields


class TopicInputSerializer(serializers.Serializer):
    slug = slug_field(80)
    name = PlainTextField(max_length=120)
    parent = slug_field(80, required=False, allow_null=True)


class TopicPatchSerializer(serializers.Serializer):
    name = PlainTextField(max_length=120, required=False)
    parent = slug_field(80, required=False, allow_null=True)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()


class RevisionDiffSerializer(serializers.Serializer):
    base = serializers.IntegerField(help_text="The revision compared against (`against`).")
    revision = serializers.IntegerField()
    changed = FieldChangeSerializer(many=True)
    body_diff = serializers.ListField(
        child=serializers.CharField(), help_text="Unified diff of the Markdown body, line by line."
    )
