"""factory_boy factories for staff, topics, articles and revisions."""

import factory
from django.conf import settings
from factory.django import DjangoModelFactory

from articles.models import Article, AuditAction, AuditEvent, Revision, Topic
from contentapi.models import Role, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    display_name = factory.Faker("name")
    credentials = "MD"
    roles = factory.LazyFunction(lambda: [Role.EDITOR.value])
    # Qualified in every content locale unless a test says otherwise: the tests of the
    # language rule give their reviewers fewer (tests/articles/test_reviewer_languages.py).
    languages = factory.LazyFunction(lambda: list(settings.CONTENT_LOCALES))


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class ArticleFactory(DjangoModelFactory):
    """An article with a first draft revision, made the way `article_create` makes one."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    locale = "en"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def first_revision(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        revision = RevisionFactory(article=self, number=1, author=self.created_by)
        self.latest_revision = revision
        self.save(update_fields=["latest_revision"])
        AuditEvent.append(
            chain=f"article:{self.pk}",
            article=self,
            revision=revision,
            actor=self.created_by,
            action=AuditAction.ARTICLE_CREATED,
        )


class RevisionFactory(DjangoModelFactory):
    class Meta:
        model = Revision

    article = factory.SubFactory(ArticleFactory)
    number = 1
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Understanding test result {n}")
    summary = "What the result means and what happens next."
    body = "## What it means\n\nMost results like this are normal.\n"
