"""Every document now has its translation group and every topic link its slug (0002): both
become required, and indexed as the EHR ranking and the `topic` filter read them."""

from django.db import migrations, models


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
    ]
