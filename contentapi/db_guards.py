"""Database triggers that make tables append-only, for migrations to install.

The rules hold whoever writes: the ORM, a raw `psql` session, a script with the service's
credentials. PostgreSQL gets a trigger function per rule; SQLite (the embedded default) gets
the same rules as `RAISE(ABORT, ...)` triggers. A database superuser can still drop a
trigger; the hash chain (`contentapi.ledger`) is what shows that afterwards.

SQLite drops a table's triggers when Django rebuilds the table for a schema change, so a
migration that alters a guarded table must install the guards again (the test suite checks
that every guard is in place after all migrations).
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# PostgreSQL: one function refuses any row or statement it is attached to, saying why with
# the trigger's argument if it has one. Triggers put their condition in WHEN, so the
# function runs only to refuse.
REFUSE_FUNCTION = "contentapi_refuse_change"
_PG_REFUSE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: %', TG_OP, TG_TABLE_NAME, COALESCE(
        TG_ARGV[0], 'its rows can be added, never changed or removed'
    ) USING ERRCODE = 'restrict_violation';
END
$$
"""


def install_refuse_function(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_PG_REFUSE_FUNCTION, params=None)


def drop_refuse_function(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {REFUSE_FUNCTION}()")


def append_only_sql(table: str, vendor: str) -> list[str]:
    """Statements that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on `table`."""
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()",
        ]
    if vendor == "sqlite":
        # SQLite has no TRUNCATE: `DELETE FROM t` is its form, and the DELETE trigger fires.
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{op} on {table} refused: its rows can be added, never "
            f"changed or removed'); END"
            for op in ("UPDATE", "DELETE")
        ]
    return []


def drop_append_only_sql(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op} " for op in ("update", "delete")]
    return []


def make_append_only(schema_editor: BaseDatabaseSchemaEditor, *tables: str) -> None:
    for table in tables:
        for statement in append_only_sql(table, schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)


def unmake_append_only(schema_editor: BaseDatabaseSchemaEditor, *tables: str) -> None:
    for table in tables:
        for statement in drop_append_only_sql(table, schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)


def guards_put_back(table: str) -> migrations.RunPython:
    """A migration step for after a constraint change on an append-only table: SQLite
    rebuilds the table for it and drops its triggers, so the guards go back on (PostgreSQL
    kept them; dropping and creating them again is the same)."""

    def put_back(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        unmake_append_only(schema_editor, table)
        make_append_only(schema_editor, table)

    return migrations.RunPython(put_back, migrations.RunPython.noop)
