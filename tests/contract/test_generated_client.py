"""A client generated from the OpenAPI document works against the service, unchanged.

openapi-python-client generates a Python package from docs/openapi.yaml with no warning; the
test then takes an article live and reads it back through the generated functions and models
only, as an integrator's code would, with `raise_on_unexpected_status` on: an undocumented
status or a body the models cannot parse fails the test.
"""

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from config.wsgi import application
from contentapi.models import Role, StaffToken
from tests.factories import TopicFactory, UserFactory
from tests.publishing_helpers import api_key

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "contentapi_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The client package generated from the committed document, importable."""
    workdir = tmp_path_factory.mktemp("generated")
    config = workdir / "config.yaml"
    # No post-generation hooks: the check is the generator's own output, not a formatter's.
    config.write_text("post_hooks: []\n")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "docs" / "openapi.yaml"),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(workdir / PACKAGE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(workdir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workdir))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _client(generated: ModuleType, prefix: str, secret: str) -> Any:
    """An AuthenticatedClient that sends its requests to the service in this process."""
    return generated.AuthenticatedClient(
        base_url="http://testserver",
        token=secret,
        prefix=prefix,
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )


def _staff_client(generated: ModuleType, role: Role, username: str) -> Any:
    user = UserFactory(roles=[role.value], username=username, display_name=username.title())
    _, token = StaffToken.issue(user)
    return _client(generated, "Token", token)


def _call(module: str, *args: Any, **kwargs: Any) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{module}").sync(*args, **kwargs)


def test_a_generated_client_takes_an_article_live_and_reads_it_back(
    generated: ModuleType, in_process: None
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    TopicFactory(slug="diabetes", name="Diabetes")
    editor = _staff_client(generated, Role.EDITOR, "editor")
    reviewer = _staff_client(generated, Role.REVIEWER, "reviewer")
    publisher = _staff_client(generated, Role.PUBLISHER, "publisher")
    portal = _client(generated, "Api-Key", api_key("delivery"))

    article = _call(
        "manage.manage_articles_create",
        client=editor,
        body=models.ArticleCreateRequest.from_dict(
            {
                "slug": "low-blood-sugar",
                "locale": "en",
                "title": "Low blood sugar",
                "summary": "What to do when your sugar drops.",
                "body": "## Signs\n\nShaky, sweaty or confused: eat 15 grams of sugar.\n",
                "topics": ["diabetes"],
                "codes": [{"system": "icd10cm", "code": "E16.2", "display": "Hypoglycemia"}],
                "sources": [],
                "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
            }
        ),
    )
    assert isinstance(article, models.ManagedArticle), article
    _call("manage.manage_articles_revisions_submit_create", article.id, 1, client=editor)
    approved = _call(
        "manage.manage_articles_revisions_approve_create",
        article.id,
        1,
        client=reviewer,
        body=models.TransitionRequest.from_dict({"comment": "Accurate."}),
    )
    assert isinstance(approved, models.RevisionDetail), approved
    published = _call(
        "manage.manage_articles_revisions_publish_create", article.id, 1, client=publisher
    )
    assert isinstance(published, models.RevisionDetail), published

    page = _call("delivery.live_articles_list", client=portal, code="E16.2")
    detail = _call("delivery.live_articles_retrieve", "low-blood-sugar", client=portal)
    changes = _call("delivery.changes_list", client=portal)
    refused = _call("delivery.live_articles_retrieve", "no-such-article", client=portal)

    assert [item.slug for item in page.results] == ["low-blood-sugar"]
    assert page.count == 1
    assert isinstance(detail, models.LiveArticle), detail
    assert detail.title == "Low blood sugar"
    assert "Last reviewed on" in detail.review_statement
    assert [(change.event, change.slug) for change in changes.results] == [
        ("published", "low-blood-sugar")
    ]
    assert isinstance(refused, models.Problem)
    assert (refused.status, refused.code) == (404, "not-found")
