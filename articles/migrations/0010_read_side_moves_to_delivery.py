"""The read side's models (published documents, their search and link rows, change events)
now belong to the `delivery` app (its migration 0001). State only: no table, row or index
changes. Their content types follow them, so nothing refers to the old app label.
"""

from django.db import migrations

MOVED = ["publisheddocument", "publishedsearch", "publishedtopic", "publishedcode", "changeevent"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="articles", model__in=MOVED).update(app_label="delivery")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="delivery", model__in=MOVED).update(app_label="articles")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_change_event_purge_keys"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PublishedSearch"),
                migrations.DeleteModel(name="PublishedTopic"),
                migrations.DeleteModel(name="PublishedCode"),
                migrations.DeleteModel(name="PublishedDocument"),
                migrations.DeleteModel(name="ChangeEvent"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
