"""Test helpers that take articles through the real workflow, and a clock tests can move."""

from datetime import UTC, datetime, timedelta
from typing import Any

from articles import services, workflow
from articles.content import RevisionContent
from articles.models import Article, Revision
from contentapi.models import IntegratorKey, User

# When a refusal says something happened, in the hospital's zone (the tests run in UTC).
AT = r"on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC"

DEFAULT_BODY = "## What it means\n\nMost results like this are normal.\n"


def content(**fields: Any) -> RevisionContent:
    """Revision content with sensible defaults for whatever `fields` leaves out."""
    defaults: dict[str, Any] = {
        "title": "Understanding your result",
        "summary": "What the result means and what happens next.",
        "body": DEFAULT_BODY,
    }
    return RevisionContent.from_input({**defaults, **fields})


def create_article(
    *,
    editor: User,
    slug: str,
    locale: str = "en",
    translation_of: Article | None = None,
    review_interval_days: int = 365,
    **fields: Any,
) -> Article:
    """A new article with a draft first revision, made by `services.article_create`."""
    return services.article_create(
        actor=editor,
        slug=slug,
        locale=locale,
        content=content(**fields),
        review_interval_days=review_interval_days,
        translation_of=translation_of.pk if translation_of is not None else None,
    )


def latest(article: Article) -> Revision:
    article.refresh_from_db()
    return Revision.objects.get(pk=article.latest_revision_id)


def new_revision(article: Article, *, editor: User, **changes: Any) -> Revision:
    """A new draft revision on top of the latest one, carrying over what `changes` leaves out."""
    return services.revision_create(
        actor=editor, article=article, base_revision=latest(article).number, changes=changes
    )


def approve(revision: Revision, *, editor: User, reviewer: User) -> Revision:
    """Submit a draft (by `editor`) and approve it (by `reviewer`)."""
    workflow.revision_submit(actor=editor, revision=revision)
    return workflow.revision_approve(actor=reviewer, revision=revision, comment="Accurate.")


def approved_revision(
    article: Article, *, editor: User, reviewer: User, **changes: Any
) -> Revision:
    """A new revision of `article`, submitted and approved, not yet published."""
    return approve(
        new_revision(article, editor=editor, **changes), editor=editor, reviewer=reviewer
    )


def publish(revision: Revision, *, publisher: User) -> Revision:
    return workflow.revision_publish(actor=publisher, revision=revision)


def make_live(
    *,
    editor: User,
    reviewer: User,
    publisher: User,
    slug: str,
    locale: str = "en",
    translation_of: Article | None = None,
    review_interval_days: int = 365,
    **fields: Any,
) -> Article:
    """An article created, submitted, approved by another user and published: live."""
    article = create_article(
        editor=editor,
        slug=slug,
        locale=locale,
        translation_of=translation_of,
        review_interval_days=review_interval_days,
        **fields,
    )
    approve(latest(article), editor=editor, reviewer=reviewer)
    publish(latest(article), publisher=publisher)
    article.refresh_from_db()
    return article


def publish_new_revision(
    article: Article, *, editor: User, reviewer: User, publisher: User, **changes: Any
) -> Revision:
    """Write, approve and publish a new revision of an article."""
    revision = approved_revision(article, editor=editor, reviewer=reviewer, **changes)
    publish(revision, publisher=publisher)
    article.refresh_from_db()
    revision.refresh_from_db()
    return revision


def api_key(*scopes: str, name: str = "portal") -> str:
    """A new integrator key with `scopes`; returns the plain key."""
    _, key = IntegratorKey.objects.create_key(name=name, scopes=list(scopes))
    return key


def key_header(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


class Clock:
    """A clock a test moves by hand; patch `django.utils.timezone.now` with it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2030, 1, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
