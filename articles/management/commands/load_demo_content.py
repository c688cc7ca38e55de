"""Load the demo topics, staff and articles once, and print fresh tokens for the demo staff."""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles import services, workflow
from articles.demo import (
    CHANGES_REQUESTED,
    DEMO_LIBRARY,
    DEMO_PUBLISHER,
    DEMO_STAFF,
    DEMO_TOPICS,
    DEMO_WORKFLOW,
    IN_REVIEW,
    LIVE,
    SCHEDULE_IN_DAYS,
    SCHEDULED,
    DemoStep,
)
from articles.library import article_file_import
from articles.library_files import ArticleFile, LibraryInvalid, library_read
from articles.models import Article, Revision, Topic
from contentapi.checkpoints import checkpoint_write
from contentapi.credentials import (
    api_key_create,
    api_key_revoke,
    command_line_actor,
    staff_password_set,
    staff_token_rotate,
    staff_user_create,
)
from contentapi.models import CheckpointReason, IntegratorKey, Scope, User

DEMO_KEY_NAME = "demo portal"


class Command(BaseCommand):
    help = (
        "Create the demo topics, staff users and articles if they are not there yet, and "
        "print a fresh token for each demo user (their previous demo tokens are revoked), a "
        "fresh demo-only password for the review pages, and a new delivery and preview API key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = {username: self._staff(username, *rest) for username, *rest in DEMO_STAFF}
        if not Article.objects.exists():
            loaded = self._content()
            self.stdout.write(f"Loaded {loaded} demo articles.")
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
        # Sign what is there now, so every live article's proof reaches a checkpoint at once.
        checkpoint = checkpoint_write(CheckpointReason.PUBLICATION)
        if checkpoint is not None:
            self.stdout.write(
                f"\nAudit checkpoint {checkpoint.seq} signed by key {checkpoint.key_id}: "
                f"{checkpoint.chains} chains."
            )
        # The key stays alone on the last line, for scripts.
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

    def _staff(
        self, username: str, roles: list[str], name: str, credentials: str, languages: list[str]
    ) -> str:
        user = User.objects.filter(username=username).first()
        if user is None:
            _, token = staff_user_create(
                username=username,
                roles=roles,
                display_name=name,
                credentials=credentials,
                languages=languages,
                actor_label=command_line_actor(),
            )
            return token
        return staff_token_rotate(user=user, label="demo", actor_label=command_line_actor())

    def _content(self) -> int:
        """Topics, then each file of the demo library taken as far as its workflow step
        says; returns how many articles there are."""
        with transaction.atomic():
            topics: dict[str, Topic] = {}
            for slug, name, parent in DEMO_TOPICS:
                topics[slug], _ = Topic.objects.get_or_create(
                    slug=slug, defaults={"name": name, "parent": topics.get(parent)}
                )
            # Checked once the topics they name exist; a fault takes the topics back too.
            files = demo_library_files()
        staff = {user.username: user for user in User.objects.filter(username__in=_usernames())}
        for step in DEMO_WORKFLOW:
            # The same import as `manage.py import_articles`: a new article, or a new draft
            # revision on the latest one.
            imported = article_file_import(files[step.file], actor=staff[step.editor])
            if imported.revision is None:
                raise CommandError(f"{step.file}: {imported.outcome}; the demo expects new text.")
            _DemoReview(staff, step).take(imported.revision)
        return len({file.article for file in files.values()})


def demo_library_files() -> dict[str, ArticleFile]:
    """Every file of the demo library, checked, by its path in DEMO_LIBRARY; each with a
    workflow step and each step with a file."""
    try:
        files = library_read(DEMO_LIBRARY)
    except LibraryInvalid as invalid:
        faults = "\n".join(str(error) for error in invalid.errors)
        raise CommandError(f"The demo library has faults:\n{faults}") from None
    by_name = {file.path.relative_to(DEMO_LIBRARY).as_posix(): file for file in files}
    scripted = [step.file for step in DEMO_WORKFLOW]
    unscripted = sorted(set(by_name) - set(scripted))
    missing = sorted(set(scripted) - set(by_name))
    if unscripted or missing or len(scripted) != len(set(scripted)):
        raise CommandError(
            "articles/demo.py's DEMO_WORKFLOW must name each file of the demo library once: "
            f"files without a step: {unscripted}; steps without a file: {missing}."
        )
    return by_name


def _usernames() -> list[str]:
    return [username for username, *_ in DEMO_STAFF]


class _DemoReview:
    """One demo revision taken through the real workflow: every step is a workflow or
    service call, so the audit chain, delivery documents and change feed are real too."""

    def __init__(self, staff: dict[str, User], step: DemoStep) -> None:
        self.staff = staff
        self.step = step

    def take(self, revision: Revision) -> None:
        """Submit `revision` and take it as far as the step's state, with its notes written
        in review."""
        step = self.step
        workflow.revision_submit(actor=self.staff[step.editor], revision=revision)
        thread = None
        for username, body in step.notes:
            note = services.note_create(
                actor=self.staff[username],
                revision=revision,
                body=body,
                reply_to=thread.pk if thread else None,
            )
            thread = thread or note
        reviewer = self.staff[step.reviewer]
        if step.state == IN_REVIEW:
            return
        if step.state == CHANGES_REQUESTED:
            workflow.revision_request_changes(
                actor=reviewer, revision=revision, comment=step.review_comment
            )
            return
        workflow.revision_approve(actor=reviewer, revision=revision, comment=step.review_comment)
        publisher = self.staff[DEMO_PUBLISHER]
        if step.state == SCHEDULED:
            workflow.revision_publish(
                actor=publisher,
                revision=revision,
                publish_at=timezone.now() + timedelta(days=SCHEDULE_IN_DAYS),
            )
        elif step.state == LIVE:
            workflow.revision_publish(actor=publisher, revision=revision)
        else:
            raise ValueError(f"Unknown demo state {step.state!r}.")
