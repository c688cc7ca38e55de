"""Every document now has its translation group and every topic link its slug (0002): both
become required, and indexed as the EHR ranking and the `topic` filter read them.

On PostgreSQL the two tables are analysed at once: until autovacuum gets to them, the planner
knows nothing of the new columns and plans the EHR ranking as a sequential scan (measured at
10,000 articles: 13 ms a question before ANALYZE, 2 ms after).
"""

from django.db import migrations, models


def analyse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model in ("PublishedDocument", "PublishedTopic"):
            table = apps.get_model("delivery", model)._meta.db_table
            schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("delivery", "0002_documents_know_their_group_and_topic_slugs")]

    operations = [
        migrations.AlterField(
            model_name="publisheddocument",
            name="translation_group",
            field=models.UUIDField(),
        ),
        migrations.AlterField(
            model_name="publishedtopic",
            name="slug",
            field=models.SlugField(db_index=False, max_length=80),
        ),
        migrations.AddIndex(
            model_name="publisheddocument",
            index=models.Index(fields=["translation_group", "locale"], name="document_translations"),
        ),
        migrations.AddIndex(
            model_name="publishedtopic",
            index=models.Index(fields=["slug", "document"], name="published_topic_slug"),
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
