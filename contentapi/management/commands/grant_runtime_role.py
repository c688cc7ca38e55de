"""Give the service's runtime database role what it needs to serve, and not a privilege more.

The append-only triggers (`contentapi/db_guards.py`, the revision guards of
`articles/migrations/0007_...`) hold only against a role that does not own the tables: on
PostgreSQL the owner may `ALTER TABLE ... DISABLE TRIGGER` or `DROP TRIGGER`. So migrations
run as an owner role, and this command, run by that same role after `migrate`, lets a second
role read and write rows and nothing else: no TRUNCATE, REFERENCES or TRIGGER, no ownership,
no CREATE. Default privileges cover the tables later migrations make, but only those made by
the role that runs this command: keep migrating as that role (docs/operations.md, "Two
database roles").
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

TABLE_PRIVILEGES = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
SEQUENCE_PRIVILEGES = sql.SQL("USAGE, SELECT")

SQLITE_NO_OP = (
    "Nothing to do on SQLite: it has no roles, so grant_runtime_role is a no-op. Whoever can "
    "open the database file can drop a trigger; there only the audit signatures and "
    "`manage.py verify_audit` show tampering."
)

# Whatever ROLE owns in the schema, or the schema itself, or belongs to a role that does (a
# member may act as its owner): each would let it switch the guards off.
_OWNED = """
SELECT kind, name, pg_get_userbyid(owner) FROM (
    SELECT 'schema' AS kind, nspname::text AS name, nspowner AS owner
    FROM pg_namespace WHERE nspname = %(schema)s
  UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' ELSE 'table' END,
           c.relname::text, c.relowner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  UNION ALL
    SELECT 'function', p.proname::text, p.proowner
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = %(schema)s
) AS owned
WHERE pg_has_role(%(role)s, owner, 'MEMBER')
ORDER BY kind, name
"""

# Default privileges apply to objects their role creates: tables of another owner were not
# made by the role running this command, nor will their successors be.
_OTHER_OWNERS = """
SELECT DISTINCT pg_get_userbyid(c.relowner) AS other
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')
  AND pg_get_userbyid(c.relowner) <> %(owner)s
ORDER BY other
"""


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant ROLE (the role the service runs as) USAGE on the schema, SELECT, "
        "INSERT, UPDATE, DELETE on its tables and USAGE, SELECT on its sequences, now and for "
        "tables later migrations make. Run it as the role that runs migrate, after migrate. "
        "Refuses a role that is you, a superuser, or owns anything in the schema. A no-op on "
        "SQLite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The runtime role the service connects as.")
        parser.add_argument(
            "--print-sql", action="store_true", help="Print the statements; run nothing."
        )

    def handle(self, *args: Any, role: str, print_sql: bool, **options: Any) -> None:
        if connection.vendor == "sqlite":
            self.stdout.write(SQLITE_NO_OP)
            return
        if connection.vendor != "postgresql":
            raise CommandError(
                f"grant_runtime_role knows PostgreSQL only, not {connection.vendor}."
            )
        with transaction.atomic():
            owner, schema = _runtime_role_check(role)
            statements = [_render(s) for s in grant_statements(role, owner, schema)]
            if print_sql:
                self.stdout.write("\n".join(f"{s};" for s in statements))
                return
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
                (can_create,) = cursor.fetchone()
                cursor.execute(_OTHER_OWNERS, {"schema": schema, "owner": owner})
                others = [name for (name,) in cursor.fetchall()]
        if can_create:
            self.stderr.write(
                f"Note: {role} may still create tables in schema {schema} (granted to PUBLIC "
                f"or to a role it belongs to); it needs no such right: REVOKE CREATE ON SCHEMA "
                f"{schema} FROM PUBLIC."
            )
        if others:
            self.stderr.write(
                f"Note: {', '.join(others)} own(s) tables in schema {schema} too; the default "
                f"privileges set here cover only tables that {owner} creates. Run migrate and "
                "this command as the one role that owns the tables."
            )
        self.stdout.write(
            f"Granted {role} SELECT, INSERT, UPDATE, DELETE on every table of schema {schema} "
            f"and USAGE, SELECT on its sequences, now and for those {owner} creates later: keep "
            f"running migrate as {owner}."
        )


def grant_statements(role: str, owner: str, schema: str) -> list[sql.Composed]:
    """First take back whatever ROLE held here, so the result is exactly these grants
    however often the command runs (and whatever was granted by hand before)."""
    params = {"role": sql.Identifier(role), "owner": sql.Identifier(owner)}
    params |= {"schema": sql.Identifier(schema)}
    defaults = "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
    statements = [
        "REVOKE ALL ON SCHEMA {schema} FROM {role}",
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        defaults + " REVOKE ALL ON TABLES FROM {role}",
        defaults + " REVOKE ALL ON SEQUENCES FROM {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "GRANT {tables} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        "GRANT {sequences} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        defaults + " GRANT {tables} ON TABLES TO {role}",
        defaults + " GRANT {sequences} ON SEQUENCES TO {role}",
    ]
    privileges = {"tables": TABLE_PRIVILEGES, "sequences": SEQUENCE_PRIVILEGES}
    return [sql.SQL(s).format(**params, **privileges) for s in statements]


def _runtime_role_check(role: str) -> tuple[str, str]:
    """(the current user, the current schema), once ROLE is known to be a role that cannot
    switch the guards off: it exists, it is not us, it cannot become a superuser, and it owns
    nothing in the schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        if schema is None:
            raise CommandError("No current schema: check the connection's search_path.")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"No role {role!r}: create it first (docs/operations.md).")
        if role == owner:
            raise CommandError(
                f"{role!r} is the role running this command, the one that runs migrations and "
                "owns the tables: the service must connect as another role, or it could switch "
                "the audit triggers off."
            )
        cursor.execute(
            "SELECT rolname FROM pg_roles WHERE rolsuper AND pg_has_role(%s, oid, 'MEMBER') "
            "ORDER BY rolname",
            [role],
        )
        superusers = [name for (name,) in cursor.fetchall()]
        (is_superuser,) = found
        if is_superuser or superusers:
            via = "" if is_superuser else f" through its membership of {', '.join(superusers)}"
            raise CommandError(
                f"{role!r} is a superuser{via}: it can do anything, triggers included. Give "
                "the service a role without SUPERUSER."
            )
        cursor.execute(_OWNED, {"schema": schema, "role": role})
        owned = cursor.fetchall()
    if owned:
        shown = ", ".join(f"{kind} {name} (owner {by})" for kind, name, by in owned[:5])
        more = f" and {len(owned) - 5} more" if len(owned) > 5 else ""
        raise CommandError(
            f"{role!r} owns, or belongs to the owner of, {shown}{more}: an owner can disable "
            "or drop the triggers that guard the audit tables, so they would guard nothing. "
            f"Give those to another role (ALTER ... OWNER TO), or take {role!r} out of the "
            "owner's role (REVOKE owner FROM role)."
        )
    return owner, schema


def _render(statement: sql.Composed) -> str:
    """The statement as text, identifiers quoted by psycopg, so what --print-sql shows is
    exactly what runs."""
    connection.ensure_connection()
    return statement.as_string(connection.connection)
