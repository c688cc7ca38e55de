"""Test helpers for translations: an English article and Spanish translations of it, taken
through the real services and workflow."""

from typing import Any

from articles import services, workflow
from articles.content import RevisionContent
from articles.models import Article, Revision
from contentapi.models import User
from tests.publishing_helpers import approve, latest, make_live, publish

ENGLISH_BODY = "## Why it matters\n\nIt protects you.\n"
SPANISH = {
    "title": "La vacuna contra la gripe",
    "summary": "Por qué vacunarse cada otoño.",
    "body": "## Por qué importa\n\nLa vacuna le protege a usted y a su familia.\n",
}


def live_english(staff: dict[str, User], slug: str = "flu-shot", **fields: Any) -> Article:
    """A live English article (by default `flu-shot`, with a one-section body)."""
    return make_live(**staff, slug=slug, **{"body": ENGLISH_BODY, **fields})


def spanish_translation(
    staff: dict[str, User],
    *,
    slug: str = "vacuna-gripe",
    source: str = "flu-shot",
    revision: int = 1,
    machine_translated: bool = False,
    **fields: Any,
) -> Revision:
    """Revision 1 of a Spanish translation of revision `revision` of `source`, a draft."""
    article = services.article_create(
        actor=staff["editor"],
        slug=slug,
        locale="es",
        content=RevisionContent.from_input({**SPANISH, **fields}),
        translation_of={"slug": source, "locale": "en", "revision": revision},
        machine_translated=machine_translated,
    )
    return latest(article)


def submitted_translation(staff: dict[str, User], **options: Any) -> Revision:
    """A Spanish translation (`spanish_translation`) waiting in review."""
    revision = spanish_translation(staff, **options)
    return workflow.revision_submit(actor=staff["editor"], revision=revision)


def live_translation(staff: dict[str, User], **options: Any) -> Article:
    """A live Spanish translation (`spanish_translation`), approved by `staff["reviewer"]`."""
    revision = spanish_translation(staff, **options)
    approve(revision, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(revision, publisher=staff["publisher"])
    article = revision.article
    article.refresh_from_db()
    return article
