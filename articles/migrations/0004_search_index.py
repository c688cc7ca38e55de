"""On PostgreSQL, the GIN index of the delivery documents' search vector."""

from django.db import migrations


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS document_search_gin "
            "ON articles_publisheddocument USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_search_gin")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_read_side")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
