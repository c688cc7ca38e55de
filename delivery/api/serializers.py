"""What the delivery API's stored bytes look like, for the OpenAPI document, and the query
parameters its views parse. Nothing here serializes a response on the hot path: the views send
stored bytes."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from contentapi.fields import StrictCharField
from delivery.codes import CodeSystem
from delivery.consistency import MIN_CURSOR_HELP
from delivery.cursors import CURSOR_PATTERN, ListCursor, decode_list_cursor
from delivery.models import ChangeKind


class TopicRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=120)


class CodeSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices)
    code = serializers.CharField()
    display = serializers.CharField()


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class PersonSerializer(serializers.Serializer):
    """A named person with credentials: an author, or the reviewer shown to readers."""

    name = serializers.CharField()
    credentials = serializers.CharField()


class TranslationSerializer(serializers.Serializer):
    locale = serializers.CharField()
    slug = serializers.CharField()


class ReadabilitySerializer(serializers.Serializer):
    fernandez_huerta = serializers.FloatField(
        help_text="Fernández-Huerta readability (Law's 2011 correction: 206.84 - 60 * "
        "syllables/words - 1.02 * words/sentences), one decimal; higher is easier."
    )
    inflesz = serializers.FloatField(
        help_text="Szigriszt-Pazos perspicuity (206.835 - 62.3 * syllables/words - "
        "words/sentences), one decimal; higher is easier."
    )
    inflesz_band = serializers.ChoiceField(
        choices=["muy difícil", "algo difícil", "normal", "bastante fácil", "muy fácil"],
        help_text="`inflesz` on the INFLESZ scale (Barrio-Cantalejo et al. 2008): below 40, "
        "40 to below 55, 55 to below 65, 65 to 80, above 80.",
    )


class LiveArticleItemSerializer(serializers.Serializer):
    slug = serializers.CharField()
    locale = serializers.CharField()
    url = serializers.URLField()
    title = serializers.CharField()
    summary = serializers.CharField()
    topics = TopicRefSerializer(many=True)
    first_published_at = serializers.DateTimeField()
    last_updated_at = serializers.DateTimeField()
    last_reviewed_at = serializers.DateTimeField()
    next_review_due = serializers.DateTimeField()
    revision = serializers.IntegerField()
    reading_grade = serializers.FloatField(allow_null=True)


_EXAMPLE_DATES = {
    "first_published_at": "2026-03-02T09:00:00Z",
    "last_updated_at": "2026-11-20T14:05:00Z",
    "last_reviewed_at": "2026-11-19T16:30:00Z",
    "next_review_due": "2027-11-19T16:30:00Z",
}


LIVE_EXAMPLE = {
    "slug": "colonoscopy-prep",
    "locale": "en",
    "url": "https://content.hospital.example/api/v1/articles/colonoscopy-prep/?locale=en",
    "links": {
        "page": "https://content.hospital.example/en/colonoscopy-prep/",
        "handout": "https://content.hospital.example/en/colonoscopy-prep.pdf",
    },
    "title": "What a colonoscopy prep involves",
    "summary": "How to get your bowel ready for a colonoscopy, day by day.",
    "body_html": "<h2>Why the prep matters</h2>\n<p>Your doctor needs a clean bowel.</p>\n",
    "body_markdown": "## Why the prep matters\n\nYour doctor needs a clean bowel.\n",
    "editor_note": "",
    "topics": [{"slug": "colorectal-health", "name": "Colorectal health"}],
    "codes": [{"system": "icd10cm", "code": "Z12.11", "display": "Screening for colon cancer"}],
    "sources": [{"title": "Endoscopy unit instructions", "url": "https://example.org/endoscopy"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
    "reviewed_by": {"name": "Dr. Mei Chen", "credentials": "MD, gastroenterologist"},
    **_EXAMPLE_DATES,
    "revision": 3,
    "reading_grade": 5.2,
    "readability": None,
    "translations": [{"locale": "es", "slug": "preparacion-colonoscopia"}],
    "translation": None,
    "review_statement": "Originally published on March 2, 2026. Last reviewed on November 19, "
    "2026 by Dr. Mei Chen, MD, gastroenterologist. Next review due November 2027.",
    "content_hash": "3b0c41c5a27e8a3cd5c5a9b04f11d8e3f1d3f1c70f7e5e4c2c2b1a0f9e8d7c6b",
    "json_ld": {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "What a colonoscopy prep involves",
        "lastReviewed": _EXAMPLE_DATES["last_reviewed_at"],
        "reviewedBy": {"@type": "Person", "name": "Dr. Mei Chen"},
        "datePublished": _EXAMPLE_DATES["first_published_at"],
        "dateModified": _EXAMPLE_DATES["last_updated_at"],
    },
}


class TranslationLineageSerializer(serializers.Serializer):
    source_locale = serializers.CharField(help_text="The locale of the text this translates.")
    source_revision = serializers.IntegerField(
        help_text="The revision of the source article this translates."
    )
    status = serializers.ChoiceField(
        choices=["current", "outdated"],
        help_text="`outdated`: the source has since put live a change of meaning that this "
        "translation does not have yet.",
    )
    outdated_since = serializers.DateTimeField(allow_null=True)


class PublicLinksSerializer(serializers.Serializer):
    page = serializers.URLField(
        help_text="Where a patient reads the article: this service's patient page "
        "(`/{locale}/{slug}/`), or the hospital's own page when `ARTICLE_PUBLIC_URL` is set."
    )
    handout = serializers.URLField(
        allow_null=True,
        help_text="The printable handout (`/{locale}/{slug}.pdf`; add `?size=large` for "
        "large print, `?also=en` on a translation for two languages side by side). Null "
        "when the service's patient pages are turned off.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("A live article", value=LIVE_EXAMPLE, response_only=True),
        OpenApiExample(
            "An outdated translation",
            value={
                **LIVE_EXAMPLE,
                "slug": "preparacion-colonoscopia",
                "locale": "es",
                "readability": {
                    "fernandez_huerta": 78.3,
                    "inflesz": 72.1,
                    "inflesz_band": "bastante fácil",
                },
                "translations": [{"locale": "en", "slug": "colonoscopy-prep"}],
                "translation": {
                    "source_locale": "en",
                    "source_revision": 2,
                    "status": "outdated",
                    "outdated_since": "2026-12-01T09:30:00Z",
                },
            },
            response_only=True,
        ),
    ]
)
class LiveArticleSerializer(LiveArticleItemSerializer):
    links = PublicLinksSerializer(help_text="The patient page and the printable handout.")
    body_html = serializers.CharField(help_text="Sanitized HTML rendered from the Markdown body.")
    body_markdown = serializers.CharField()
    editor_note = serializers.CharField(help_text="Public note for readers; may be empty.")
    codes = CodeSerializer(many=True)
    sources = SourceSerializer(many=True)
    authors = PersonSerializer(many=True)
    reviewed_by = PersonSerializer()
    readability = ReadabilitySerializer(
        allow_null=True,
        help_text="For Spanish text: the body's Fernández-Huerta and INFLESZ indices, which "
        "Spanish readers use beside `reading_grade` (Crawford). Null in other languages.",
    )
    translations = TranslationSerializer(many=True)
    translation = TranslationLineageSerializer(
        allow_null=True,
        help_text="For a translation: what it translates, and whether it is current. Null for "
        "an article that is no translation.",
    )
    review_statement = serializers.CharField(
        help_text="The editor's-note line to print under the article, complete and in its "
        "language, from the same dates and reviewer as the document and its JSON-LD."
    )
    content_hash = serializers.CharField(
        min_length=64,
        max_length=64,
        help_text="SHA-256 of the approved words as this document shows them (title, summary, "
        "body_markdown, editor_note, topic slugs, codes, sources, authors; docs/audit.md). "
        "Recompute it from the document to tie the bytes you show to the clinician's signed "
        "approval in /api/v1/articles/{slug}/proof/.",
    )
    json_ld = serializers.DictField(help_text="A schema.org MedicalWebPage.")


class LiveArticlePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many live articles match, on all pages.")
    results = LiveArticleItemSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    event = serializers.ChoiceField(
        choices=ChangeKind.choices,
        help_text="`translation_outdated`: refetch the article; its `translation.status` is now "
        "`outdated`.",
    )
    slug = serializers.CharField()
    locale = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.CharField(help_text="Pass as `since` to get what changed after these.")
    has_more = serializers.BooleanField()


class ListCursorField(serializers.CharField):
    """A list's `cursor`, decoded (`delivery.cursors.ListCursor`)."""

    default_error_messages = {"invalid": "Not a cursor this list gave out."}

    def to_internal_value(self, data: Any) -> ListCursor:
        try:
            return decode_list_cursor(super().to_internal_value(data))
        except ValueError as exc:  # the pattern, its length included, or what it packs
            raise serializers.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from exc

    def run_validators(self, value: Any) -> None:
        pass  # CharField's validators read text: the cursor's was checked before decoding


def _min_cursor() -> serializers.RegexField:
    return serializers.RegexField(
        CURSOR_PATTERN,
        required=False,
        help_text=MIN_CURSOR_HELP,
        error_messages={"invalid": "Not a cursor the changes feed gave out (c1.<n>)."},
    )


class DetailQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES, required=False)
    min_cursor = _min_cursor()


class ListQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=settings.CONTENT_LOCALES, required=False)
    topic = serializers.SlugField(required=False, help_text="A topic slug.")
    q = StrictCharField(required=False, max_length=200, help_text="Full-text search.")
    updated_since = serializers.DateTimeField(required=False)
    code = StrictCharField(
        required=False,
        max_length=40,
        help_text="A medical code; with `code_system` in that system, without it in any.",
    )
    code_system = serializers.ChoiceField(
        choices=CodeSystem.choices,
        required=False,
        help_text="With `code`, where to look it up; alone, articles with any code of it.",
    )
    cursor = ListCursorField(
        required=False,
        default=None,
        help_text="Where a page starts: the `next` and `previous` links carry it. Opaque; a "
        "deep page costs what the first does. Not with `page`.",
    )
    page = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10_000,
        default=1,
        help_text="A page by its number, for clients written before cursors: the database "
        "skips the pages before it, so a deep page costs more than following `next`.",
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)
    min_cursor = _min_cursor()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("cursor") is not None and "page" in self.initial_data:
            raise serializers.ValidationError(
                {"page": "Give `cursor` or `page`, not both: the cursor names its page."}
            )
        return attrs


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.RegexField(
        CURSOR_PATTERN,
        required=False,
        help_text="The `cursor` of a previous response, e.g. `c1.1542`.",
        error_messages={"invalid": "Not a cursor this feed gave out."},
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)
    min_cursor = _min_cursor()
