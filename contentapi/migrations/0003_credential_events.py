"""The credential audit trail: append-only, hash-chained, refused changes by the database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from contentapi import db_guards

TABLE = "contentapi_credentialevent"


def guard(apps, schema_editor):
    db_guards.install_refuse_function(schema_editor)
    db_guards.make_append_only(schema_editor, TABLE)


def unguard(apps, schema_editor):
    db_guards.unmake_append_only(schema_editor, TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("contentapi", "0002_integrator_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="CredentialEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.CharField(max_length=60)),
                ("seq", models.PositiveIntegerField()),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("hash", models.CharField(max_length=64)),
                ("action", models.CharField(choices=[("token_issued", "Token Issued"), ("tokens_rotated", "Tokens Rotated"), ("tokens_revoked", "Tokens Revoked"), ("api_key_issued", "Api Key Issued"), ("api_key_revoked", "Api Key Revoked")], max_length=30)),
                ("actor_label", models.CharField(max_length=200)),
                ("subject", models.CharField(max_length=150)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["chain", "seq"],
                "constraints": [
                    models.UniqueConstraint(fields=("chain", "seq"), name="credential_event_chain_seq"),
                    models.CheckConstraint(condition=models.Q(("action__in", ["token_issued", "tokens_rotated", "tokens_revoked", "api_key_issued", "api_key_revoked"])), name="credential_event_action_valid"),
                ],
            },
        ),
        migrations.RunPython(guard, unguard),
    ]
