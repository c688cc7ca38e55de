"""Load the demo topics, staff and articles once, and print fresh tokens for the demo staff."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from articles import services, workflow
from articles.content import RevisionContent
from articles.demo import DEMO_ARTICLES, DEMO_STAFF, DEMO_TOPICS
from articles.models import Article, Topic
from contentapi.credentials import (
    api_key_create,
    api_key_revoke,
    command_line_actor,
    staff_token_rotate,
    staff_user_create,
)
from contentapi.models import IntegratorKey, Scope, User

DEMO_KEY_NAME = "demo portal"


class Command(BaseCommand):
    help = (
        "Create the demo topics, staff users and articles if they are not there yet, and "
        "print a fresh token for each demo user (their previous demo tokens are revoked) and "
        "a new delivery and preview API key."
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
        for old in IntegratorKey.objects.filter(name=DEMO_KEY_NAME, revoked=False):
            api_key_revoke(api_key=old, actor_label=command_line_actor())
        _, key = api_key_create(
            name=DEMO_KEY_NAME,
            scopes=[Scope.DELIVERY.value, Scope.PREVIEW.value],
            actor_label=command_line_actor(),
        )
        self.stdout.write("\nDemo portal API key (use as 'Authorization: Api-Key <key>'):")
        self.stdout.write(f"  {key}")

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
            topics = {}
            for slug, name, parent in DEMO_TOPICS:
                topics[slug] = Topic.objects.create(slug=slug, name=name, parent=topics.get(parent))
        editor = User.objects.get(username="ana")
        reviewer_for_topic = {"diabetes": User.objects.get(username="dr.okafor")}
        default_reviewer = User.objects.get(username="dr.chen")
        publisher = User.objects.get(username="sam")
        for data in DEMO_ARTICLES:
            fields = dict(data)
            slug, locale = fields.pop("slug"), fields.pop("locale")
            original_slug = fields.pop("translation_of", None)
            article = services.article_create(
                actor=editor,
                slug=slug,
                locale=locale,
                content=RevisionContent.from_input(fields),
                translation_of=Article.objects.get(slug=original_slug).pk
                if original_slug
                else None,
            )
            revision = article.latest_revision
            workflow.revision_submit(actor=editor, revision=revision)
            reviewer = reviewer_for_topic.get(fields["topics"][0], default_reviewer)
            workflow.revision_approve(
                actor=reviewer, revision=revision, comment="Clinically accurate."
            )
            workflow.revision_publish(actor=publisher, revision=revision)
