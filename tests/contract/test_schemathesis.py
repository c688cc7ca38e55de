"""The OpenAPI document tells the truth: schemathesis runs every operation against the service.

Every default check (server errors, status codes, content types, headers, response schemas,
refused valid input, accepted invalid input, authentication that is ignored, ...) over every
operation in the published schema, with a staff admin token on the management API and an
integrator key with both scopes on the delivery and preview API, over the demo library so that
the schema's examples name real articles. The number of examples per operation is bounded so
that the run stays short (about half a minute per database here).
"""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, settings

from config.wsgi import application
from contentapi.models import Role, StaffToken
from tests.factories import UserFactory
from tests.publishing_helpers import api_key

ROOT = Path(__file__).resolve().parents[2]

# The committed document, which a test keeps equal to what the service serves: the contract
# an integrator reads is the one checked here, with the project's schemathesis.toml.
schema = schemathesis.openapi.from_path(
    ROOT / "docs" / "openapi.yaml",
    config=schemathesis.config.SchemathesisConfig.from_path(ROOT / "schemathesis.toml"),
)
schema.config.update(base_url="http://localhost")
# Called in process: every request of every check goes through the service's WSGI application.
schema.app = application


@pytest.fixture(scope="module")
def _demo_library(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo library, committed once for the module and flushed after it."""
    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, database=connection.alias)


@pytest.fixture
def credentials(_demo_library: None, in_process: None) -> dict[str, str]:
    admin = UserFactory(roles=[Role.ADMIN.value], username="contract-admin")
    _, token = StaffToken.issue(admin)
    return {
        "StaffToken": f"Token {token}",
        "IntegratorKey": f"Api-Key {api_key('delivery', 'preview')}",
    }


def _authorization(case: Any, credentials: dict[str, str]) -> dict[str, str]:
    """The first credential the operation's security requirements accept (a CDS Hooks JWT
    needs an EHR with a JWKS: those endpoints take an integrator key too); none for an
    operation that says anyone may call it (`security: [{}]`, the public audit endpoints)."""
    requirements = case.operation.definition.raw.get("security", [])
    if requirements == [{}]:
        return {}
    for requirement in requirements:
        for scheme in requirement:
            if scheme in credentials:
                return {"Authorization": credentials[scheme]}
    raise AssertionError(f"{case.operation.label} declares no security requirement")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case: Any, credentials: dict[str, str]) -> None:
    case.call_and_validate(headers=_authorization(case, credentials))
