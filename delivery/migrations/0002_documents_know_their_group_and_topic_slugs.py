"""The read side keeps what it serves by: each document's translation group, and each topic
link's slug, copied from the write side once here and written by the door from now on. The
delivery list's `topic` filter and the EHR ranking then read no write-side table.
"""

from django.db import migrations, models


def copy_from_the_write_side(apps, schema_editor):
    document = apps.get_model("delivery", "PublishedDocument")._meta.db_table
    link = apps.get_model("delivery", "PublishedTopic")._meta.db_table
    article = apps.get_model("articles", "Article")._meta.db_table
    topic = apps.get_model("articles", "Topic")._meta.db_table
    schema_editor.execute(
        f"UPDATE {document} SET translation_group = (SELECT a.translation_group "
        f"FROM {article} a WHERE a.id = {document}.article_id)"
    )
    schema_editor.execute(
        f"UPDATE {link} SET slug = (SELECT t.slug FROM {topic} t WHERE t.id = {link}.topic_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_read_side_moves_to_delivery"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publisheddocument",
            name="translation_group",
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name="publishedtopic",
            name="slug",
            field=models.SlugField(db_index=False, default="", max_length=80),
        ),
        migrations.RunPython(copy_from_the_write_side, migrations.RunPython.noop),
    ]
