"""A revision may say a machine wrote it from its source revision; only a reviewer qualified in
both languages approves it.

Whether a submitted revision is machine translated is frozen like its words: the guard on
revision content now covers the new column (SQLite rebuilds the table for it, so every
revision guard goes back on).
"""

import importlib

from django.db import migrations, models

LINEAGE = importlib.import_module("articles.migrations.0012_translation_lineage")
FROZEN_COLUMNS = (*LINEAGE.FROZEN_COLUMNS, "machine_translated")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_translation_lineage"),
    ]

    operations = [
        migrations.RunPython(
            LINEAGE._no_revision_guards, LINEAGE._revision_guards(LINEAGE.FROZEN_COLUMNS)
        ),
        migrations.AddField(
            model_name="revision",
            name="machine_translated",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(
            LINEAGE._revision_guards(FROZEN_COLUMNS), LINEAGE._no_revision_guards
        ),
    ]
