"""Sessions stored before their keys were hashed (review/sessions.py) are removed: none can be
used any more (keys are now looked up by their digest), and they should not linger in later
dumps. Whoever was signed in to the review pages signs in again."""

from django.db import migrations


def forget_sessions(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sessions", "0001_initial")]

    operations = [migrations.RunPython(forget_sessions, migrations.RunPython.noop)]
