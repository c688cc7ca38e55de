"""Webhook deliveries of signed audit checkpoints: a delivery is of a change event or of a
checkpoint, and each subscription follows the checkpoints with a cursor of its own."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contentapi", "0009_audit_signatures_and_checkpoints"),
        ("delivery", "0004_feed_gaps"),
        ("webhooks", "0004_subscription_last_error"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="checkpoint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contentapi.auditcheckpoint",
            ),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="checkpoint_cursor",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="delivery.changeevent",
            ),
        ),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="events",
            field=models.JSONField(
                help_text="What is sent: published, updated, unpublished, audit.checkpoint."
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("checkpoint__isnull", True), ("event__isnull", False)),
                    models.Q(("checkpoint__isnull", False), ("event__isnull", True)),
                    _connector="OR",
                ),
                name="webhook_delivery_event_or_checkpoint",
            ),
        ),
    ]
