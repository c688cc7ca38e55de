"""A stored document knows since when it is an outdated translation, so EHR answers can pass
it over (OUTDATED_TRANSLATIONS)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('delivery', '0005_translation_lineage'),
    ]

    operations = [
        migrations.AddField(
            model_name='publisheddocument',
            name='outdated_since',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
