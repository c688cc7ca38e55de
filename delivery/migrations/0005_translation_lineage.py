"""The changes feed gains `translation_outdated`: a live translation whose source put live a
change of meaning."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_translation_lineage"),
        ("delivery", "0004_feed_gaps"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="changeevent",
            name="change_event_kind_valid",
        ),
        migrations.AlterField(
            model_name="changeevent",
            name="event",
            field=models.CharField(
                choices=[
                    ("published", "Published"),
                    ("updated", "Updated"),
                    ("unpublished", "Unpublished"),
                    ("translation_outdated", "Translation Outdated"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="changeevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("event__in", ["published", "updated", "unpublished", "translation_outdated"])
                ),
                name="change_event_kind_valid",
            ),
        ),
    ]
