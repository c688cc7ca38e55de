"""Fixtures shared by the whole suite: staff with roles, API clients, and a fresh article."""

from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import override_settings
from rest_framework.test import APIClient

from articles.models import Article, Revision
from contentapi.models import Role, StaffToken, User
from contentapi.rates import Rate
from delivery.hot import hot_documents
from tests.db_guards import guards_lifted
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from tests.publishing_helpers import Clock, api_key, key_header, make_live


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_guards() -> Iterator[None]:
    """Transactional tests end by emptying every table, which the audit triggers refuse."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with guards_lifted(self.connection.alias):
            flush(self, sql_list)

    with mock.patch.object(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush):
        yield


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings: Any) -> None:
    """Tests send bursts (hypothesis, parametrized matrices) no client would; the rate-limit
    tests set the limits they exercise."""
    settings.RATE_LIMIT_DELIVERY = Rate(1_000_000, 60)
    settings.RATE_LIMIT_STAFF = Rate(1_000_000, 60)
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(1_000_000, 60)


@pytest.fixture(scope="session", autouse=True)
def _caches_of_its_own() -> Iterator[None]:
    """The suite empties its caches around every test, which on a shared Redis would empty
    keys that others made: whatever CACHE_URL says, the test process keeps each cache in its
    own memory. (Tests of app processes on Redis give them a key prefix of their own.)"""
    local = "django.core.cache.backends.locmem.LocMemCache"
    if all(cache["BACKEND"] == local for cache in django_settings.CACHES.values()):
        yield
        return
    own = {name: {"BACKEND": local, "LOCATION": f"tests-{name}"} for name in django_settings.CACHES}
    with override_settings(CACHES=own):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with nothing cached: no API key remembered, no rate counted, no
    answer kept."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _hot_documents_look_every_time(settings: Any) -> Iterator[None]:
    """No hot document kept from another test (whose rolled-back events may have used the
    same feed positions), and a look at the feed before every answer: a test changes content
    and reads it back within milliseconds. tests/delivery/test_hot.py tests the bound."""
    settings.HOT_DOCUMENTS_FRESH_MS = 0
    hot_documents.forget()
    yield
    hot_documents.forget()


@pytest.fixture
def make_staff(db: None) -> Callable[..., User]:
    def make(*roles: Role, username: str | None = None, **fields: Any) -> User:
        extra = {"username": username} if username else {}
        return UserFactory(roles=[r.value for r in roles], **extra, **fields)

    return make


@pytest.fixture
def editor(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.EDITOR, username="editor", display_name="Ana Ruiz")


@pytest.fixture
def other_editor(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.EDITOR, username="editor2")


@pytest.fixture
def reviewer(make_staff: Callable[..., User]) -> User:
    return make_staff(
        Role.REVIEWER, username="reviewer", display_name="Dr. Mei Chen", credentials="MD"
    )


@pytest.fixture
def publisher(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.PUBLISHER, username="publisher")


@pytest.fixture
def admin(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.ADMIN, username="admin")


@pytest.fixture
def api(db: None) -> Callable[[User | None], APIClient]:
    """An API client authenticated with a real staff token of `user` (or anonymous)."""

    def client_for(user: User | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            _, token = StaffToken.issue(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return client_for


@pytest.fixture
def topic(db: None) -> Any:
    return TopicFactory(slug="breast-health", name="Breast health")


@pytest.fixture
def article(editor: User) -> Article:
    return ArticleFactory(created_by=editor)


@pytest.fixture
def draft(article: Article) -> Revision:
    return article.latest_revision


def revision_url(article: Article, number: int, action: str = "") -> str:
    base = f"/api/v1/manage/articles/{article.pk}/revisions/{number}/"
    return f"{base}{action}/" if action else base


@pytest.fixture
def new_article_payload(topic: Any) -> dict[str, Any]:
    return {
        "slug": "screening-mammogram-callback",
        "locale": "en",
        "title": "Why you might be called back after a screening mammogram",
        "summary": "Most call-backs are not cancer.",
        "body": "## What a call-back means\n\nThe radiologist wants a closer look.\n",
        "editor_note": "",
        "topics": ["breast-health"],
        "codes": [{"system": "icd10cm", "code": "r92.8", "display": "Abnormal breast imaging"}],
        "sources": [{"title": "Protocol", "url": "https://example.org/protocol"}],
        "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
    }


@pytest.fixture
def staff(editor: User, reviewer: User, publisher: User) -> dict[str, User]:
    """One of each role that takes an article live, as keyword arguments for the helpers."""
    return {"editor": editor, "reviewer": reviewer, "publisher": publisher}


@pytest.fixture
def live(staff: dict[str, User]) -> Callable[..., Article]:
    """Make a live article through the real workflow: `live(slug, **content)`."""

    def make(slug: str, **fields: Any) -> Article:
        return make_live(**staff, slug=slug, **fields)

    return make


@pytest.fixture
def delivery_headers(db: None) -> dict[str, str]:
    """Authorization for an integrator key with the delivery scope."""
    return key_header(api_key("delivery"))


@pytest.fixture
def clock() -> Iterator[Clock]:
    """`timezone.now()` under the test's control: it moves only when the test moves it."""
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock):
        yield clock
