"""A fresh PostgreSQL database with the demo library, for the benchmarks that need one.

The caller has set DATABASE_URL to that database and called `django.setup()`."""

import os

from django.core.management import call_command
from django.db import connection, connections


def demo_database_recreate() -> None:
    """Drop and create the configured database, migrate it and load the demo content."""
    name = connection.settings_dict["NAME"]
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo_content", stdout=quiet)
