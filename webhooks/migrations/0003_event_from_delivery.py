"""Deliveries carry change events of the read side's app (`delivery`), where the model moved.
State only: the column and its foreign key stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0001_initial"),
        ("webhooks", "0002_subscription_feed_cursor"),
    ]
    # Before `articles` forgets the model, nothing may point at it there.
    run_before = [("articles", "0010_read_side_moves_to_delivery")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="webhookdelivery",
                    name="event",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="delivery.changeevent",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
