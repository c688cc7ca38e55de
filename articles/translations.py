"""Which English a translation translates, and whether it still says what that English says.

A translation revision names the source revision it translates (`Revision.source_revision`:
another locale of the same translation group). A live translation is outdated when its
source article has put live, after the revision it translates, a revision that changes its
meaning (`meaning_changed`; an editor may mark a revision as wording only, with a reason the
reviewer approves). The workflow (`articles.workflow`) sets `Article.outdated_since` in the
transaction that changes either side; this module only reads and resolves.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from articles.errors import ValidationFailed
from articles.models import Article, Revision

FIELD = "translation_of"


@dataclass(frozen=True)
class SourceRef:
    """A source revision as an editor names it: `{slug, locale, revision}`."""

    slug: str
    locale: str
    revision: int

    @classmethod
    def of(cls, value: dict[str, Any]) -> "SourceRef":
        return cls(value["slug"], value["locale"], int(value["revision"]))


def source_resolve(ref: SourceRef, *, locale: str, group: Any | None) -> Revision:
    """The revision `ref` names, which a text in `locale` (of translation group `group`, if
    it has one yet) may translate; 400 naming the field otherwise."""
    source = (
        Revision.objects.select_related("article")
        .filter(article__slug=ref.slug, article__locale=ref.locale, number=ref.revision)
        .first()
    )
    if source is None:
        raise ValidationFailed.on(
            FIELD,
            f"There is no revision {ref.revision} of {ref.slug!r} ({ref.locale}).",
            "not_found",
        )
    if ref.locale == locale:
        raise ValidationFailed.on(
            FIELD, "A translation's source is in another locale than the translation.", "locale"
        )
    if group is not None and source.article.translation_group != group:
        raise ValidationFailed.on(
            FIELD,
            f"{ref.slug!r} ({ref.locale}) is not in this article's translation group.",
            "other_group",
        )
    return source


def source_of_article(article_id: int) -> Revision:
    """What `translation_of: <article id>` means: that article's live revision (its latest
    while it has never been live)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise ValidationFailed.on(FIELD, f"There is no article {article_id}.", "not_found")
    number = article.live_revision_id or article.latest_revision_id
    return Revision.objects.select_related("article").get(pk=number)


def lineage_changes(changes: dict[str, Any], *, article: Article) -> dict[str, Any]:
    """The lineage fields of a revision write (`translation_of`, `meaning_changed`,
    `meaning_note`, `machine_translated`) as model fields, checked; absent fields are left
    out."""
    fields: dict[str, Any] = {}
    if changes.get(FIELD) is not None:
        fields["source_revision"] = source_resolve(
            SourceRef.of(changes[FIELD]), locale=article.locale, group=article.translation_group
        )
    for name in ("meaning_changed", "meaning_note", "machine_translated"):
        if name in changes:
            fields[name] = changes[name]
    return fields


def lineage_check(revision: Revision) -> None:
    """A revision that changes wording only says why, for the reviewer to approve; a machine
    translation names what it translates."""
    if revision.machine_translated and revision.source_revision_id is None:
        raise ValidationFailed.on(
            "machine_translated",
            "A machine translation names the source revision it was made from "
            "(translation_of): its reviewer must read both.",
            "requires_source",
        )
    if not revision.meaning_changed and not revision.meaning_note.strip():
        raise ValidationFailed.on(
            "meaning_note",
            "Say why this revision changes wording only, not meaning: the reviewer approves "
            "that too, and translations stay current because of it.",
            "required",
        )


def outdated(translation: Revision) -> bool:
    """Whether a translation revision's source article has put live, after the revision it
    translates, a revision that changes its meaning."""
    source = translation.source_revision
    if source is None:
        return False
    return Revision.objects.filter(
        article_id=source.article_id,
        number__gt=source.number,
        meaning_changed=True,
        published_at__isnull=False,
    ).exists()


def source_reference(revision: Revision) -> dict[str, Any] | None:
    """`{slug, locale, revision}` of what `revision` translates, or None."""
    source = revision.source_revision
    if source is None:
        return None
    return {"slug": source.article.slug, "locale": source.article.locale, "revision": source.number}


def language_label(code: str) -> str:
    """'Spanish (es)' for 'es'; the code itself for a language without a name here."""
    name = dict(settings.LANGUAGES).get(code.split("-")[0])
    return f"{name} ({code})" if name else code


def languages_needed(revision: Revision) -> list[str]:
    """The languages a reviewer must be qualified in to sign off `revision`: its own, and for
    a machine translation the language of its source too (source first)."""
    own = revision.article.locale
    if revision.machine_translated and revision.source_revision_id is not None:
        source = Revision.objects.select_related("article").get(pk=revision.source_revision_id)
        return list(dict.fromkeys([source.article.locale, own]))
    return [own]
