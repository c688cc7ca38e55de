"""Credential events get a form, a key id and a signature; signed checkpoints begin.

Existing events are form 1 (unsigned): articles 0011 seals them with the first checkpoint.
"""

from django.db import migrations, models

from contentapi import db_guards

CHECKPOINTS = "contentapi_auditcheckpoint"


def guard_checkpoints(apps, schema_editor):
    db_guards.make_append_only(schema_editor, CHECKPOINTS)


def unguard_checkpoints(apps, schema_editor):
    db_guards.unmake_append_only(schema_editor, CHECKPOINTS)


class Migration(migrations.Migration):
    dependencies = [
        ("contentapi", "0008_heartbeat_interval"),
    ]

    operations = [
        migrations.CreateModel(
            name="CheckpointHead",
            fields=[
                ("chain", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("seq", models.PositiveIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("checkpoint", models.PositiveIntegerField()),
            ],
            options={"ordering": ["chain"]},
        ),
        # Rows written before this migration are in the unsigned form 1; new ones are form 2.
        migrations.AddField(
            model_name="credentialevent",
            name="form",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="credentialevent",
            name="form",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="credentialevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="credentialevent",
            name="signature",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        db_guards.guards_put_back("contentapi_credentialevent"),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveIntegerField(unique=True)),
                ("at", models.DateTimeField()),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("signing_began", "Signing Began"),
                            ("publication", "Publication"),
                            ("interval", "Interval"),
                        ],
                        max_length=20,
                    ),
                ),
                ("heads", models.JSONField()),
                ("chains", models.PositiveIntegerField()),
                ("root", models.CharField(max_length=64)),
                ("previous", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                ("form", models.PositiveSmallIntegerField(default=1)),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=100)),
            ],
            options={
                "ordering": ["-seq"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("reason__in", ["signing_began", "publication", "interval"])
                        ),
                        name="audit_checkpoint_reason_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(guard_checkpoints, unguard_checkpoints),
    ]
