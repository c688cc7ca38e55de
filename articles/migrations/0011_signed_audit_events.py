"""Audit events get what they attest publicly, a form, a key id and a signature; the events
written before (form 1, unsigned) are sealed by the first signed checkpoint.

The seal needs AUDIT_SIGNING_KEY: it is what vouches, from now on, that the unsigned records
are the ones that were there when signing began (docs/audit.md).

Migrating back leaves the new columns and their values in place (only Django's idea of the
model forgets them), so going back and forward again never drops a signature.
"""

from django.db import migrations, models
from django.utils import timezone

from contentapi import db_guards
from contentapi.checkpoints import checkpoint_make
from contentapi.ledger import GENESIS
from contentapi.models import CheckpointReason

CHAINED = [("articles", "AuditEvent"), ("contentapi", "CredentialEvent")]


NEW_FIELDS = [
    ("attests", models.JSONField(blank=True, default=dict)),
    # Rows written before this migration are in the unsigned form 1; new ones are form 2.
    ("form", models.PositiveSmallIntegerField(default=1)),
    ("key_id", models.CharField(blank=True, default="", max_length=16)),
    ("signature", models.CharField(blank=True, default="", max_length=100)),
]


def add_columns_kept_on_the_way_back(apps, schema_editor):
    """Add the columns unless an earlier trip forward left them there."""
    model = apps.get_model("articles", "AuditEvent")
    table = model._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        present = {
            column.name
            for column in schema_editor.connection.introspection.get_table_description(
                cursor, table
            )
        }
    for name, field in NEW_FIELDS:
        if name not in present:
            field = field.clone()
            field.set_attributes_from_name(name)
            field.model = model
            schema_editor.add_field(model, field)


def seal_unsigned_records(apps, schema_editor):
    if apps.get_model("contentapi", "AuditCheckpoint").objects.exists():
        return  # sealed on an earlier trip forward
    heads = {}
    for app_label, name in CHAINED:
        model = apps.get_model(app_label, name)
        for chain, seq, digest in model.objects.order_by("chain", "seq").values_list(
            "chain", "seq", "hash"
        ):
            heads[chain] = (seq, digest)  # the last one of each chain wins
    if not heads:
        return  # a new database: every record it will hold is signed
    checkpoint_model = apps.get_model("contentapi", "AuditCheckpoint")
    checkpoint = checkpoint_make(
        checkpoint_model,
        seq=1,
        at=timezone.now(),
        reason=CheckpointReason.SIGNING_BEGAN,
        moved=heads,
        all_heads=heads,
        previous=GENESIS,
    )
    checkpoint.save(force_insert=True)
    head_model = apps.get_model("contentapi", "CheckpointHead")
    head_model.objects.bulk_create(
        [head_model(chain=c, seq=seq, hash=h, checkpoint=1) for c, (seq, h) in heads.items()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_read_side_moves_to_delivery"),
        ("contentapi", "0009_audit_signatures_and_checkpoints"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="auditevent", name=name, field=field)
                for name, field in NEW_FIELDS
            ],
            database_operations=[
                migrations.RunPython(add_columns_kept_on_the_way_back, migrations.RunPython.noop)
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="form",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        db_guards.guards_put_back("articles_auditevent"),
        migrations.RunPython(seal_unsigned_records, migrations.RunPython.noop),
    ]
