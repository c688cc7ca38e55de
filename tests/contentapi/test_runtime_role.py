"""The service's runtime role cannot switch the audit guards off (`grant_runtime_role`).

On PostgreSQL each test makes roles of its own (a unique name each, dropped at the end with
everything granted to them), lets `grant_runtime_role` grant one what the service needs, and
connects as it to the test database, as the service would, to see what it may and may not do.
The data it reads is committed (transactional tests), or a second connection would not see
it. On SQLite, which has no roles, the command does nothing and says so, and each test shows
what holds there instead.
"""

import io
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from psycopg import errors, sql

from articles.models import AuditEvent
from tests.publishing_helpers import approve, create_article, latest

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT = AuditEvent._meta.db_table

MakeRole = Callable[..., str]


def _grant(role: str, *options: str) -> str:
    out = io.StringIO()
    call_command("grant_runtime_role", role, *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _owner_run(statement: str, params: list | None = None) -> list[tuple]:
    """Run `statement` on the suite's own connection: the migration role, the tables' owner."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def _held_by(*roles: str) -> list[tuple]:
    """Every privilege granted to one of `roles` on a table or sequence."""
    return _owner_run(
        "SELECT c.relname, a.privilege_type FROM pg_class c, aclexplode(c.relacl) AS a "
        "WHERE a.grantee = ANY(%s::regrole[])",
        [list(roles)],
    )


def _quoted(name: str) -> str:
    return sql.Identifier(name).as_string(None)


@pytest.fixture
def make_role(transactional_db: None) -> Iterator[MakeRole]:
    """`make_role("SUPERUSER")` creates a LOGIN role with a unique name and returns the name.
    At the end each is dropped with whatever it owns or was granted in the test database."""
    made: list[str] = []

    def make(*attributes: str) -> str:
        name = f"test_runtime_{uuid.uuid4().hex[:12]}"
        _owner_run(f"CREATE ROLE {_quoted(name)} LOGIN {' '.join(attributes)}")
        made.append(name)
        return name

    yield make
    for name in made:
        _owner_run(f"DROP OWNED BY {_quoted(name)}")
        _owner_run(f"DROP ROLE {_quoted(name)}")


def _connect_as(role: str) -> psycopg.Connection:
    """A connection to the test database as `role` (the server trusts 127.0.0.1)."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"], user=role, host="127.0.0.1", port=db["PORT"] or 5432, autocommit=True
    )


@pytest.fixture
def audited(editor, reviewer) -> int:
    """An article with a committed audit trail (created, submitted, approved); its id."""
    article = create_article(editor=editor, slug="runtime-role", topics=[])
    approve(latest(article), editor=editor, reviewer=reviewer)
    return article.pk


def _trail(article_id: int) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(article_id=article_id)
        .order_by("seq")
        .values_list("seq", "actor_id", "comment", "hash")
    )


@contextmanager
def _guards_put_back_if_switched_off() -> Iterator[None]:
    """Should a statement that must be refused get through, undo it as the owner, so one
    failed test does not leave the next ones with a muted or disabled audit table."""
    try:
        yield
    finally:
        _owner_run(f"DROP TRIGGER IF EXISTS {AUDIT}_mute ON {AUDIT}")
        _owner_run(f"ALTER TABLE {AUDIT} ENABLE TRIGGER USER")


def _on_sqlite_the_command_does_nothing() -> None:
    """SQLite has no roles: the command changes nothing, says so, and succeeds."""
    out = _grant("anyone", "--print-sql")
    assert out.startswith("Nothing to do on SQLite: it has no roles")
    assert "GRANT" not in out


def test_the_command_grants_exactly_what_the_service_needs(make_role):
    if connection.vendor != "postgresql":
        _on_sqlite_the_command_does_nothing()
        return
    role = make_role()
    owner = connection.settings_dict["USER"]
    defaults = f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "public"'

    assert _grant(role, "--print-sql").splitlines() == [
        f'REVOKE ALL ON SCHEMA "public" FROM "{role}";',
        f'REVOKE ALL ON ALL TABLES IN SCHEMA "public" FROM "{role}";',
        f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "public" FROM "{role}";',
        f'{defaults} REVOKE ALL ON TABLES FROM "{role}";',
        f'{defaults} REVOKE ALL ON SEQUENCES FROM "{role}";',
        f'GRANT USAGE ON SCHEMA "public" TO "{role}";',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "{role}";',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "public" TO "{role}";',
        f'{defaults} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}";',
        f'{defaults} GRANT USAGE, SELECT ON SEQUENCES TO "{role}";',
    ]
    assert _held_by(role) == []  # only printed

    # Granted by hand before, and more than it needs: the command takes the extra back.
    _owner_run(f"GRANT ALL ON {AUDIT} TO {_quoted(role)}")
    _grant(role)

    held = _owner_run(
        """
        SELECT c.relkind, array_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) AS a
        WHERE n.nspname = current_schema() AND a.grantee = %s::regrole
        GROUP BY c.relkind
        """,
        [role],
    )
    assert dict(held) == {"r": ["DELETE", "INSERT", "SELECT", "UPDATE"], "S": ["SELECT", "USAGE"]}
    [(tables, granted)] = _owner_run(
        "SELECT count(*), count(*) FILTER (WHERE has_table_privilege(%s, c.oid, 'SELECT')) "
        "FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind = 'r'",
        [role],
    )
    assert granted == tables > 0  # every table of the schema
    for privilege in ("TRUNCATE", "REFERENCES", "TRIGGER"):
        assert _owner_run("SELECT has_table_privilege(%s, %s, %s)", [role, AUDIT, privilege]) == [
            (False,)
        ]
    assert _owner_run("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [role]) == [(False,)]


def test_the_runtime_role_cannot_switch_the_audit_guards_off(make_role, audited):
    before = _trail(audited)
    if connection.vendor != "postgresql":
        _on_sqlite_the_command_does_nothing()
        # The triggers stop the service's own statements, as on PostgreSQL ...
        for statement in (f"UPDATE {AUDIT} SET comment = 'x'", f"DELETE FROM {AUDIT}"):
            with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
                c.execute(statement)
        # ... but whoever can open the file can drop one (rolled back here): on SQLite only
        # the signatures and verify_audit show tampering.
        file = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        with closing(file) as raw:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(f"DROP TRIGGER {AUDIT}_no_update")
            raw.execute("ROLLBACK")
        assert _trail(audited) == before
        return
    role = make_role()
    _grant(role)

    with _connect_as(role) as runtime, _guards_put_back_if_switched_off():
        refused_as_not_owner = [
            f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL",
            f"ALTER TABLE {AUDIT} DISABLE TRIGGER {AUDIT}_append_only",
            f"DROP TRIGGER {AUDIT}_append_only ON {AUDIT}",
            f"DROP TRIGGER {AUDIT}_no_truncate ON {AUDIT}",
            f"CREATE TRIGGER {AUDIT}_mute BEFORE INSERT ON {AUDIT} "
            "FOR EACH STATEMENT EXECUTE FUNCTION contentapi_refuse_change()",
            "CREATE OR REPLACE FUNCTION contentapi_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
            "SET session_replication_role = replica",  # how tests/db_guards.py lifts them
            f"TRUNCATE {AUDIT}",  # refused before its trigger is even asked
            f"ALTER TABLE {AUDIT} OWNER TO {_quoted(role)}",
        ]
        for statement in refused_as_not_owner:
            with pytest.raises(errors.InsufficientPrivilege):
                runtime.execute(statement)

        # Rows: reading is allowed, and the triggers still refuse changing or removing them.
        assert runtime.execute(f"SELECT count(*) FROM {AUDIT}").fetchone() == (len(before),)
        for statement in (f"UPDATE {AUDIT} SET comment = 'x'", f"DELETE FROM {AUDIT}"):
            with pytest.raises(errors.RestrictViolation, match=f"on {AUDIT} refused"):
                runtime.execute(statement)

    assert _trail(audited) == before
    triggers = _owner_run(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal ORDER BY tgname",
        [AUDIT],
    )
    assert triggers == [(f"{AUDIT}_append_only", "O"), (f"{AUDIT}_no_truncate", "O")]


def test_the_runtime_role_reads_and_writes_what_the_service_needs(make_role, audited):
    if connection.vendor != "postgresql":
        _on_sqlite_the_command_does_nothing()
        return
    role = make_role()
    _grant(role)
    key = [f"runtime-{role}"]

    with _connect_as(role) as runtime:
        assert runtime.execute(f"SELECT count(*) FROM {AUDIT}").fetchone() == (
            len(_trail(audited)),
        )
        runtime.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, 'data', now() + interval '1 hour')",
            key,
        )
        runtime.execute(
            "UPDATE django_session SET session_data = 'more' WHERE session_key = %s", key
        )
        session = "SELECT session_data FROM django_session WHERE session_key = %s"
        assert runtime.execute(session, key).fetchall() == [("more",)]
        runtime.execute("DELETE FROM django_session WHERE session_key = %s", key)
        assert runtime.execute(session, key).fetchall() == []

        # A table a later migration makes (as the owner) is the runtime role's to use too.
        later = f"test_later_{uuid.uuid4().hex[:12]}"
        _owner_run(f"CREATE TABLE {later} (id bigint GENERATED BY DEFAULT AS IDENTITY, x int)")
        try:
            runtime.execute(f"INSERT INTO {later} (x) VALUES (1)")
            assert runtime.execute(f"SELECT id, x FROM {later}").fetchall() == [(1, 1)]
            with pytest.raises(errors.InsufficientPrivilege):
                runtime.execute(f"TRUNCATE {later}")
        finally:
            _owner_run(f"DROP TABLE {later}")


def test_the_command_refuses_the_current_user_a_superuser_and_a_missing_role(make_role):
    if connection.vendor != "postgresql":
        _on_sqlite_the_command_does_nothing()
        return
    with pytest.raises(CommandError, match="is the role running this command"):
        _grant(connection.settings_dict["USER"])
    with pytest.raises(CommandError, match="is a superuser: it can do anything"):
        _grant(make_role("SUPERUSER"))
    with pytest.raises(CommandError, match="No role 'test_runtime_nobody"):
        _grant(f"test_runtime_nobody_{uuid.uuid4().hex[:12]}")


def test_the_command_refuses_a_role_that_owns_a_table_or_belongs_to_its_owner(make_role):
    if connection.vendor != "postgresql":
        _on_sqlite_the_command_does_nothing()
        return
    owner, member, superuser_member = make_role(), make_role(), make_role()
    table = f"test_owned_{uuid.uuid4().hex[:12]}"
    _owner_run(f"CREATE TABLE {table} (id int)")
    _owner_run(f"ALTER TABLE {table} OWNER TO {_quoted(owner)}")  # dropped with its owner
    _owner_run(f"GRANT {_quoted(owner)} TO {_quoted(member)}")
    _owner_run(f"GRANT {_quoted(connection.settings_dict['USER'])} TO {_quoted(superuser_member)}")

    for role in (owner, member):
        with pytest.raises(CommandError, match=f"owns, or belongs to the owner of, table {table}"):
            _grant(role)
    with pytest.raises(CommandError, match="is a superuser through its membership of"):
        _grant(superuser_member)
    assert _held_by(owner, member, superuser_member) == []
