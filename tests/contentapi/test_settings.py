"""Production settings: a server never starts without SECRET_KEY; tooling runs without it;
a setting that is not a valid value stops the start-up."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RATE_SETTINGS = ["RATE_LIMIT_DELIVERY", "RATE_LIMIT_STAFF", "RATE_LIMIT_AUTH_FAILURES"]


def _run(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    unset = (
        "SECRET_KEY", "DEBUG", "WEBHOOK_ENCRYPTION_KEYS", "WEBHOOK_ENCRYPTION_KEY",
        "AUDIT_SIGNING_KEY",
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_wsgi_server_refuses_to_start_without_a_secret_key():
    done = _run("-c", "import config.wsgi")

    assert done.returncode != 0
    assert "Set the SECRET_KEY environment variable" in done.stderr


def test_the_asgi_server_refuses_to_start_without_a_secret_key():
    done = _run("-c", "import config.asgi")

    assert done.returncode != 0
    assert "Set the SECRET_KEY environment variable" in done.stderr


@pytest.mark.parametrize("entry", ["config.wsgi", "config.asgi"])
def test_a_server_refuses_to_start_without_webhook_encryption_keys(entry):
    done = _run("-c", f"import {entry}", SECRET_KEY="test-only")

    assert done.returncode != 0
    assert "Set WEBHOOK_ENCRYPTION_KEYS" in done.stderr
    assert "Fernet.generate_key()" in done.stderr  # how to make one


@pytest.mark.parametrize("entry", ["config.wsgi", "config.asgi"])
def test_a_server_refuses_to_start_without_an_audit_signing_key(entry):
    keys = "dGVzdC1vbmx5LW5vdC1hLXNlY3JldC1hdC1hbGwtLS0="
    done = _run("-c", f"import {entry}", SECRET_KEY="test-only", WEBHOOK_ENCRYPTION_KEYS=keys)

    assert done.returncode != 0
    assert "Set AUDIT_SIGNING_KEY" in done.stderr
    assert "create_audit_signing_key" in done.stderr  # how to make one


def test_an_audit_signing_key_that_is_not_a_key_stops_a_server():
    keys = "dGVzdC1vbmx5LW5vdC1hLXNlY3JldC1hdC1hbGwtLS0="
    done = _run(
        "-c", "import config.wsgi", SECRET_KEY="test-only", WEBHOOK_ENCRYPTION_KEYS=keys,
        AUDIT_SIGNING_KEY="c2hvcnQ=",
    )  # fmt: skip

    assert done.returncode != 0
    assert "AUDIT_SIGNING_KEY is not a base64-encoded 32-byte Ed25519 key" in done.stderr


def test_the_webhook_worker_refuses_to_start_without_webhook_encryption_keys():
    done = _run("manage.py", "deliver_webhooks", SECRET_KEY="test-only")

    assert done.returncode != 0
    assert "Set WEBHOOK_ENCRYPTION_KEYS" in done.stderr


def test_a_webhook_encryption_key_that_is_not_a_fernet_key_stops_the_start_up():
    done = _run("manage.py", "check", WEBHOOK_ENCRYPTION_KEYS="short")

    assert done.returncode != 0
    assert "WEBHOOK_ENCRYPTION_KEYS: key 1 is not a Fernet key" in done.stderr


def test_development_gets_a_webhook_key_of_its_own(tmp_path):
    done = _run(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WEBHOOK_ENCRYPTION_KEYS)",
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="config.settings",
    )

    assert done.returncode == 0, done.stderr
    assert "ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQta2U=" in done.stdout


def test_the_openapi_schema_is_generated_without_a_secret_key(tmp_path):
    schema = tmp_path / "openapi.yaml"

    done = _run("manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert done.returncode == 0, done.stderr
    assert schema.read_text().startswith("openapi: 3")


@pytest.mark.parametrize("name", RATE_SETTINGS)
@pytest.mark.parametrize("value", ["0/min", "-1/min", "1/fortnight", "abc"])
def test_a_rate_setting_that_is_not_a_rate_stops_the_start_up(name, value):
    done = _run("manage.py", "check", **{name: value})

    assert done.returncode != 0
    assert f"ImproperlyConfigured: {name}: '{value}' is not a rate" in done.stderr


def test_a_new_audit_signing_key_needs_no_database_and_no_settings():
    done = _run(
        "manage.py", "create_audit_signing_key", DATABASE_URL="postgres://nobody@127.0.0.1:1/none"
    )

    assert done.returncode == 0, done.stderr
    assert len(base64.b64decode(done.stdout.strip().splitlines()[-1])) == 32


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DATABASE_URL": "sqlite:////tmp/x.sqlite3",
             "DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:5432/x"},
            "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL",
        ),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
             "DATABASE_REPLICA_URLS": "sqlite:////tmp/x.sqlite3"},
            "DATABASE_REPLICA_URLS: replica 1 is not PostgreSQL",
        ),
    ],
)  # fmt: skip
def test_replicas_that_are_not_postgresql_stop_the_start_up(environment, message):
    done = _run("-c", "import config.wsgi", SECRET_KEY="test-only", **environment)

    assert done.returncode != 0
    assert message in done.stderr


def test_replicas_are_named_in_order_and_only_the_primary_is_migrated():
    done = _run(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "from contentapi.replicas import ReplicaRouter; router = ReplicaRouter(); "
        "print(sorted(settings.DATABASES), settings.DATABASES['replica2']['PORT'], "
        "[router.allow_migrate(alias, 'delivery') for alias in ('default', 'replica1')])",
        SECRET_KEY="test-only",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        DATABASE_REPLICA_URLS="postgres://a@10.0.0.2:5433/x,postgres://b@10.0.0.3:5434/x",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "['default', 'replica1', 'replica2'] 5434 [True, False]"


def test_the_direct_listener_connection_is_kept_and_never_pooled():
    done = _run(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "direct = settings.DATABASES['direct']; "
        "print('pool' in direct['OPTIONS'], direct['CONN_MAX_AGE'], "
        "'pool' in settings.DATABASES['default']['OPTIONS'])",
        SECRET_KEY="test-only",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        DATABASE_POOL="true",
        DATABASE_DIRECT_URL="postgres://postgres@10.0.0.9:5432/x",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "False None True"
