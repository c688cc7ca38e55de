"""Load the demo topics, staff and articles once, and print fresh tokens for the demo staff."""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import services, workflow
from articles.content import RevisionContent
from articles.demo import (
    CHANGES_REQUESTED,
    DEMO_ARTICLES,
    DEMO_STAFF,
    DEMO_TOPICS,
    IN_REVIEW,
    LIVE,
    SCHEDULE_IN_DAYS,
    SCHEDULED,
)
from articles.models import Article, Revision, Topic
from contentapi.credentials import (
    api_key_create,
    api_key_revoke,
    command_line_actor,
    staff_password_set,
    staff_token_rotate,
    staff_user_create,
)
from contentapi.models import IntegratorKey, Scope, User

DEMO_KEY_NAME = "demo portal"
DEFAULT_EDITOR = "ana"
DEFAULT_REVIEW_COMMENT = "Clinically accurate."


class Command(BaseCommand):
    help = (
        "Create the demo topics, staff users and articles if they are not there yet, and "
        "print a fresh token for each demo user (their previous demo tokens are revoked), a "
        "fresh demo-only password for the review pages, and a new delivery and preview API key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = {username: self._staff(username, *rest) for username, *rest in DEMO_STAFF}
        if not Article.objects.exists():
            self._content()
            self.stdout.write(f"Loaded {len(DEMO_ARTICLES)} demo articles.")
        else:
            self.stdout.write("Articles exist already; demo content left as it is.")
        self.stdout.write("\nDemo staff tokens (use as 'Authorization: Token <token>'):")
        for username, token in tokens.items():
            self.stdout.write(f"  {username:<10} {token}")
        base_url = settings.PUBLIC_BASE_URL
        self.stdout.write(
            f"\nDemo sign-in for the review pages, {base_url}/review/ (DEMO ONLY, new on every "
            "start; reviewers and admin get in, the others see why not):"
        )
        for username in tokens:
            self.stdout.write(f"  {username:<10} {self._demo_password(username)}")
        for old in IntegratorKey.objects.filter(name=DEMO_KEY_NAME, revoked=False):
            api_key_revoke(api_key=old, actor_label=command_line_actor())
        _, key = api_key_create(
            name=DEMO_KEY_NAME,
            scopes=[Scope.DELIVERY.value, Scope.PREVIEW.value],
            actor_label=command_line_actor(),
        )
        self.stdout.write("\nDemo portal API key (use as 'Authorization: Api-Key <key>'):")
        self.stdout.write(f"  {key}")

    def _demo_password(self, username: str) -> str:
        """A fresh random password, so a demo left running is not open with a known one."""
        password = f"demo-{secrets.token_urlsafe(12)}"
        staff_password_set(
            user=User.objects.get(username=username),
            password=password,
            actor_label=command_line_actor(),
        )
        return password

    def _staff(self, username: str, roles: list[str], name: str, credentials: str) -> str:
        user = User.objects.filter(username=username).first()
        if user is None:
            _, token = staff_user_create(
                username=username,
                roles=roles,
                display_name=name,
                credentials=credentials,
                actor_label=command_line_actor(),
            )
            return token
        return staff_token_rotate(user=user, label="demo", actor_label=command_line_actor())

    def _content(self) -> None:
        with transaction.atomic():
            topics: dict[str, Topic] = {}
            for slug, name, parent in DEMO_TOPICS:
                topics[slug], _ = Topic.objects.get_or_create(
                    slug=slug, defaults={"name": name, "parent": topics.get(parent)}
                )
        staff = {user.username: user for user in User.objects.filter(username__in=_usernames())}
        for data in DEMO_ARTICLES:
            _DemoArticle(staff, data).load()


def _usernames() -> list[str]:
    return [username for username, *_ in DEMO_STAFF]


class _DemoArticle:
    """One demo article taken through the real workflow: every step is a workflow or
    service call, so the audit chain, delivery documents and change feed are real too."""

    def __init__(self, staff: dict[str, User], data: dict[str, Any]) -> None:
        self.staff = staff
        self.publisher = staff["sam"]
        self.data = dict(data)

    def load(self) -> Article:
        fields = self.data
        slug, locale = fields.pop("slug"), fields.pop("locale")
        original_slug = fields.pop("translation_of", None)
        editor = self.staff[fields.pop("editor", DEFAULT_EDITOR)]
        reviewer = self.staff[fields.pop("reviewer")]
        state = fields.pop("state", LIVE)
        review_comment = fields.pop("review_comment", DEFAULT_REVIEW_COMMENT)
        interval = fields.pop("review_interval_days", None)
        notes = fields.pop("notes", [])
        later = fields.pop("later", [])
        article = services.article_create(
            actor=editor,
            slug=slug,
            locale=locale,
            content=RevisionContent.from_input(fields),
            review_interval_days=interval,
            translation_of=Article.objects.get(slug=original_slug).pk if original_slug else None,
        )
        revision = Revision.objects.get(pk=article.latest_revision_id)
        self._review(revision, editor, reviewer, state, review_comment, notes)
        for step in later:
            step_editor = self.staff[step["editor"]]
            revision = services.revision_create(
                actor=step_editor,
                article=article,
                base_revision=revision.number,
                changes=step["changes"],
            )
            self._review(
                revision,
                step_editor,
                reviewer,
                step.get("state", LIVE),
                step.get("review_comment", DEFAULT_REVIEW_COMMENT),
                step.get("notes", []),
            )
        return article

    def _review(
        self,
        revision: Revision,
        editor: User,
        reviewer: User,
        state: str,
        comment: str,
        notes: list[tuple[str, str]],
    ) -> None:
        """Submit `revision` and take it as far as `state`, with `notes` written in review."""
        workflow.revision_submit(actor=editor, revision=revision)
        thread = None
        for username, body in notes:
            note = services.note_create(
                actor=self.staff[username],
                revision=revision,
                body=body,
                reply_to=thread.pk if thread else None,
            )
            thread = thread or note
        if state == IN_REVIEW:
            return
        if state == CHANGES_REQUESTED:
            workflow.revision_request_changes(actor=reviewer, revision=revision, comment=comment)
            return
        workflow.revision_approve(actor=reviewer, revision=revision, comment=comment)
        if state == SCHEDULED:
            workflow.revision_publish(
                actor=self.publisher,
                revision=revision,
                publish_at=timezone.now() + timedelta(days=SCHEDULE_IN_DAYS),
            )
        elif state == LIVE:
            workflow.revision_publish(actor=self.publisher, revision=revision)
        else:
            raise ValueError(f"Unknown demo state {state!r}.")
