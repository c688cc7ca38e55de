"""Fixtures of the review pages' tests: a fast password hasher, signed-in clients, and a
revision waiting in review."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from articles.models import Article, Revision
from articles.workflow import revision_submit
from contentapi.models import User
from tests.publishing_helpers import create_article, latest, make_live, new_revision


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    """Argon2 costs ~0.1 s a hash on purpose; the tests that need it say so."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def signed_in(db: None) -> Callable[[User], Client]:
    def client_for(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for


@pytest.fixture
def live_article(editor: User, reviewer: User, publisher: User, make_staff: Any) -> Article:
    """A live article whose revision 1 was approved by another reviewer."""
    from contentapi.models import Role

    first = make_staff(
        Role.REVIEWER, username="first-reviewer", display_name="Dr. First", credentials="MD"
    )
    return make_live(
        editor=editor,
        reviewer=first,
        publisher=publisher,
        slug="knee-recovery",
        title="Recovering from knee replacement",
        summary="The first six weeks.",
        body="## Week one\n\nWalk a little every hour.\n",
    )


@pytest.fixture
def in_review(live_article: Article, editor: User) -> Revision:
    """Revision 2 of the live article, submitted: what a reviewer finds in the queue."""
    revision = new_revision(
        live_article,
        editor=editor,
        body=(
            "## Week one\n\nWalk a little every two hours.\n\nIf your surgeon recommends "
            "additional physiotherapy appointments, schedule them immediately, because "
            "delayed rehabilitation frequently complicates the recovery considerably.\n"
        ),
    )
    revision_submit(actor=editor, revision=revision)
    return latest(live_article)


@pytest.fixture
def first_draft_in_review(editor: User) -> Revision:
    article = create_article(editor=editor, slug="new-topic", title="A brand new article")
    revision_submit(actor=editor, revision=latest(article))
    return latest(article)
