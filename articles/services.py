"""Writes that are not workflow transitions: articles, revisions, draft edits, notes, topics."""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from articles.content import RevisionContent, content_write
from articles.errors import (
    InvalidTransition,
    NotAllowed,
    RevisionChanged,
    StaleRevision,
    ValidationFailed,
)
from articles.locking import article_lock
from articles.models import Article, AuditAction, AuditEvent, Note, Revision, RevisionState, Topic
from articles.publication import publication
from articles.selectors import revision_quotes
from articles.translations import (
    SourceRef,
    lineage_changes,
    lineage_check,
    source_of_article,
    source_resolve,
)
from articles.workflow import attestation, audit, check_role
from contentapi.models import Role, User
from delivery.models import PublishedTopic


def article_create(
    *,
    actor: User,
    slug: str,
    locale: str,
    content: RevisionContent,
    review_interval_days: int | None = None,
    translation_of: int | dict[str, Any] | None = None,
    machine_translated: bool = False,
    via: str | None = None,
) -> Article:
    """Create an article with its first revision, a draft written by `actor`.

    `translation_of` names the source revision this one translates, `{slug, locale,
    revision}` (or an article id, meaning that article's live revision); the two articles
    then share a translation group (one article per locale in a group). A machine
    translation (`machine_translated`) names one.
    """
    check_role(actor, (Role.EDITOR,), "create articles")
    if Article.objects.filter(slug=slug, locale=locale).exists():
        raise _duplicate_slug(slug, locale)
    source = _translation_source(translation_of, locale) if translation_of is not None else None
    group = _translation_group(source.article, locale) if source is not None else None
    try:
        with transaction.atomic():
            article = Article.objects.create(
                slug=slug,
                locale=locale,
                review_interval_days=review_interval_days or settings.DEFAULT_REVIEW_INTERVAL_DAYS,
                created_by=actor,
                **({"translation_group": group} if group else {}),
            )
            revision = Revision(
                article=article,
                number=1,
                author=actor,
                source_revision=source,
                machine_translated=machine_translated,
            )
            lineage_check(revision)
            content_write(revision, content)
            article.latest_revision = revision
            article.save(update_fields=["latest_revision", "updated_at"])
            audit(
                article=article,
                actor=actor,
                action=AuditAction.ARTICLE_CREATED,
                revision=revision,
                details=_via(via),
            )
    except IntegrityError as exc:
        # Two editors raced for the same slug; the database decided.
        if Article.objects.filter(slug=slug, locale=locale).exists():
            raise _duplicate_slug(slug, locale) from exc
        raise
    return article


def _translation_source(translation_of: int | dict[str, Any], locale: str) -> Revision:
    if isinstance(translation_of, int):
        source = source_of_article(translation_of)
        if source.article.locale == locale:
            raise ValidationFailed.on(
                "translation_of", "A translation's source is in another locale.", "locale"
            )
        return source
    return source_resolve(SourceRef.of(translation_of), locale=locale, group=None)


def _translation_group(original: Article, locale: str) -> Any:
    taken = Article.objects.filter(
        translation_group=original.translation_group, locale=locale
    ).first()
    if taken is not None:
        raise ValidationFailed.on(
            "translation_of",
            f"{original.slug!r} already has a {locale!r} version: {taken.slug!r}.",
            "translation_exists",
        )
    return original.translation_group


def _via(via: str | None) -> dict[str, Any]:
    """Where a request came from (`web` for the staff pages), for the audit event."""
    return {"via": via} if via else {}


def _duplicate_slug(slug: str, locale: str) -> ValidationFailed:
    return ValidationFailed.on(
        "slug", f"An article with slug {slug!r} already exists in locale {locale!r}.", "unique"
    )


def revision_create(
    *,
    actor: User,
    article: Article,
    base_revision: int,
    changes: dict[str, Any],
    via: str | None = None,
) -> Revision:
    """A new draft revision edited from `base_revision`, which must be the latest one.

    Fields absent from `changes` are carried over from the base revision.
    """
    check_role(actor, (Role.EDITOR,), "write revisions")
    with transaction.atomic(durable=True):
        locked = article_lock(article.pk)
        latest = (
            Revision.objects.filter(pk=locked.latest_revision_id)
            .prefetch_related("topics", "codes")
            .get()
        )
        if base_revision != latest.number:
            raise StaleRevision(
                f"You edited revision {base_revision}, but the latest is {latest.number}: "
                "reload it and reapply your changes."
            )
        content = RevisionContent.of(latest).updated(changes)
        # The source it translates carries over; whether it changes meaning, or a machine
        # wrote it, is its own.
        lineage = {"source_revision": latest.source_revision}
        lineage.update(lineage_changes(changes, article=locked))
        revision = Revision(
            article=locked,
            number=latest.number + 1,
            author=actor,
            base_revision=latest.number,
            **lineage,
        )
        lineage_check(revision)
        content_write(revision, content)
        locked.latest_revision = revision
        locked.version += 1
        locked.save(update_fields=["latest_revision", "version", "updated_at"])
        audit(
            article=locked,
            actor=actor,
            action=AuditAction.REVISION_CREATED,
            revision=revision,
            details=_via(via),
        )
    return revision


def draft_edit_check(actor: User, revision: Revision) -> None:
    """Refuse `actor` editing `revision` in place unless it is their own draft."""
    if revision.author_id != actor.pk:
        raise NotAllowed("Only the author of a draft may edit it; write a new revision.")
    if revision.state != RevisionState.DRAFT:
        raise InvalidTransition(
            f"Revision {revision.number} is {revision.get_state_display().lower()} and can no "
            "longer change: write a new revision instead."
        )


def revision_edit(
    *,
    actor: User,
    revision: Revision,
    expected_version: int | None,
    changes: dict[str, Any],
    via: str | None = None,
) -> Revision:
    """Edit a draft in place: only its author, only while a draft, only the version they read.

    `expected_version` is the revision version the editor's change was made to (None: any).
    """
    with transaction.atomic(durable=True):
        article = article_lock(revision.article_id)
        locked = (
            Revision.objects.select_for_update()
            .prefetch_related("topics", "codes")
            .get(pk=revision.pk)
        )
        draft_edit_check(actor, locked)
        if expected_version is not None and expected_version != locked.version:
            raise RevisionChanged(
                "The revision has changed since you read it: fetch it again and reapply your edit."
            )
        if locked.pk != article.latest_revision_id:
            raise StaleRevision(
                f"Revision {locked.number} is no longer the latest: a newer revision was "
                "written from it. Edit the latest revision instead."
            )
        before = RevisionContent.of(locked)
        content = before.updated(changes)
        lineage = {
            name: value
            for name, value in lineage_changes(changes, article=article).items()
            if getattr(locked, name) != value
        }
        if content == before and not lineage:
            return locked  # nothing to change: no new ETag, no audit event
        for name, value in lineage.items():
            setattr(locked, name, value)
        lineage_check(locked)
        locked.version += 1
        content_write(locked, content)
        article.version += 1
        article.save(update_fields=["version", "updated_at"])
        audit(
            article=article,
            actor=actor,
            action=AuditAction.REVISION_EDITED,
            revision=locked,
            details=_via(via),
        )
    return locked


def note_create(
    *,
    actor: User,
    revision: Revision,
    body: str,
    reply_to: int | None = None,
    quote: str = "",
) -> Note:
    """An internal note on a revision, optionally a reply to another note on the same revision,
    optionally about a passage of its text (`quote`, which must be in the revision)."""
    quote = " ".join(quote.split())
    if quote and not revision_quotes(revision, quote):
        raise ValidationFailed.on(
            "quote",
            f"“{quote[:80]}” is not in the text of revision {revision.number}: copy the "
            "passage as it reads there.",
            "not_found",
        )
    parent = None
    if reply_to is not None:
        parent = Note.objects.filter(pk=reply_to, revision=revision).first()
        if parent is None:
            raise ValidationFailed.on(
                "reply_to", f"Note {reply_to} is not a note on this revision.", "not_found"
            )
    return Note.objects.create(
        revision=revision, author=actor, body=body, reply_to=parent, quote=quote
    )


def topic_create(*, actor: User, slug: str, name: str, parent: str | None = None) -> Topic:
    check_role(actor, (Role.EDITOR,), "manage topics")
    if Topic.objects.filter(slug=slug).exists():
        raise ValidationFailed.on("slug", f"A topic with slug {slug!r} already exists.", "unique")
    try:
        with transaction.atomic():
            return Topic.objects.create(slug=slug, name=name, parent=_topic_parent(parent))
    except IntegrityError as exc:
        raise ValidationFailed.on(
            "slug", f"A topic with slug {slug!r} already exists.", "unique"
        ) from exc


# Revisions a reviewer approved that are not live yet: they go live with their topics as named.
AWAITING_GO_LIVE = (RevisionState.APPROVED, RevisionState.SCHEDULED)


def topic_update(*, actor: User, topic: Topic, changes: dict[str, Any]) -> Topic:
    """Rename a topic or move it under another parent (never under itself or a descendant).

    Topic names are words readers see, and a reviewer approves a revision with its topics'
    names as they were: renaming a topic that live articles show, or that an approved or
    scheduled revision uses (it would go live under a name no reviewer saw), needs a
    publisher or an admin, and the reviewer of the article's next revision is shown the
    rename (review/selectors.py). The rename re-renders the live articles, each with an
    `updated` change event. Every rename writes an audit event with the old and the new
    name, in the same transaction.
    """
    with publication() as change:
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        old_name = topic.name
        renamed = "name" in changes and changes["name"] != old_name
        live_articles = PublishedTopic.objects.filter(topic=topic).count() if renamed else 0
        awaiting = (
            Revision.objects.filter(topics=topic, state__in=AWAITING_GO_LIVE).count()
            if renamed
            else 0
        )
        if live_articles or awaiting:
            check_role(
                actor,
                (Role.PUBLISHER,),
                f"rename a topic that {live_articles} live article(s) show to readers and "
                f"{awaiting} approved or scheduled revision(s) use",
            )
        if not (live_articles or awaiting) or set(changes) - {"name"}:
            check_role(actor, (Role.EDITOR,), "manage topics")
        if "name" in changes:
            topic.name = changes["name"]
        if "parent" in changes:
            parent = _topic_parent(changes["parent"])
            ancestor = parent
            while ancestor is not None:
                if ancestor.pk == topic.pk:
                    raise ValidationFailed.on(
                        "parent", "A topic cannot be placed under itself or its own sub-topic."
                    )
                ancestor = ancestor.parent
            topic.parent = parent
        topic.save()
        if renamed:
            AuditEvent.append(
                chain=f"topic:{topic.pk}",
                topic=topic,
                actor=actor,
                action=AuditAction.TOPIC_RENAMED,
                details={
                    "old_name": old_name,
                    "new_name": topic.name,
                    "live_articles": live_articles,
                    "approved_or_scheduled_revisions": awaiting,
                },
                attests={
                    **attestation(actor, AuditAction.TOPIC_RENAMED, None),
                    "topic": topic.slug,
                    "old_name": old_name,
                    "new_name": topic.name,
                },
            )
            change.refresh_all(Article.objects.filter(document__topic_links__topic=topic))
    return topic


def _topic_parent(slug: str | None) -> Topic | None:
    if slug is None:
        return None
    parent = Topic.objects.filter(slug=slug).first()
    if parent is None:
        raise ValidationFailed.on("parent", f"Unknown topic {slug!r}.", "unknown_topic")
    return parent
