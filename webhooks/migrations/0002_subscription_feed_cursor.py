"""Subscriptions follow the changes feed with cursors of their own.

Until now the read side wrote every subscription's deliveries with each change event, so
every event up to now already has its deliveries: existing subscriptions start at the head.
"""

from django.db import migrations, models
from django.db.models import Max


def start_at_the_head(apps, schema_editor):
    ChangeEvent = apps.get_model("articles", "ChangeEvent")
    Subscription = apps.get_model("webhooks", "WebhookSubscription")
    head = ChangeEvent.objects.aggregate(head=Max("id"))["head"] or 0
    Subscription.objects.update(feed_cursor=head)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_change_event_purge_keys"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhooksubscription",
            name="feed_cursor",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(start_at_the_head, migrations.RunPython.noop),
    ]
