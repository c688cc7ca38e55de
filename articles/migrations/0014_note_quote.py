"""A note may quote the passage of the revision it is about; the review page marks it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_machine_translated'),
    ]

    operations = [
        migrations.AddField(
            model_name='note',
            name='quote',
            field=models.CharField(blank=True, max_length=1000),
        ),
    ]
