"""Translations name the source revision they translate; a source revision may change
wording only; a live translation records since when it is outdated.

The lineage of a submitted revision is frozen like its words: the guard on revision content
now covers the new columns (SQLite rebuilds the table for them, so every revision guard goes
back on), and the audit table's guards go back on after its new action.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from contentapi import db_guards

FIRST_GUARDS = importlib.import_module("articles.migrations.0007_audit_chain_and_guards")
FROZEN_COLUMNS = (
    *FIRST_GUARDS.CONTENT_COLUMNS, "source_revision_id", "meaning_changed", "meaning_note",
)  # fmt: skip


def _frozen_rule(vendor, columns):
    name, table, message = "articles_revision_frozen", FIRST_GUARDS.REVISION, FIRST_GUARDS.FROZEN
    of = ", ".join(columns)
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} BEFORE UPDATE OF {of} ON {table} FOR EACH ROW WHEN "
            f"(OLD.state <> 'draft') EXECUTE FUNCTION {db_guards.REFUSE_FUNCTION}('{message}')",
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} BEFORE UPDATE OF {of} ON {table} WHEN OLD.state <> 'draft' "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ]
    return []


def _revision_guards(columns):
    def install(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = [
            *FIRST_GUARDS._drop_revision_guard_sql(vendor),
            *FIRST_GUARDS._revision_guard_sql(vendor),
            *_frozen_rule(vendor, columns),
        ]
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return install


def _no_revision_guards(apps, schema_editor):
    """Off while SQLite rebuilds the revision table: the guards of its topics and codes name
    it, and SQLite refuses to rename a table into place while a trigger names a missing one."""
    for statement in FIRST_GUARDS._drop_revision_guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_signed_audit_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_no_revision_guards, _revision_guards(FIRST_GUARDS.CONTENT_COLUMNS)),
        migrations.RemoveConstraint(
            model_name="auditevent",
            name="audit_action_valid",
        ),
        migrations.AddField(
            model_name="article",
            name="outdated_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="revision",
            name="meaning_changed",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="revision",
            name="meaning_note",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="revision",
            name="source_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="translations",
                to="articles.revision",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("article_created", "Article Created"),
                    ("revision_created", "Revision Created"),
                    ("revision_edited", "Revision Edited"),
                    ("submitted", "Submitted"),
                    ("approved", "Approved"),
                    ("changes_requested", "Changes Requested"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("review_certified", "Review Certified"),
                    ("topic_renamed", "Topic Renamed"),
                    ("schedule_cancelled", "Schedule Cancelled"),
                    ("translation_outdated", "Translation Outdated"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "action__in",
                        [
                            "article_created",
                            "revision_created",
                            "revision_edited",
                            "submitted",
                            "approved",
                            "changes_requested",
                            "published",
                            "scheduled",
                            "unpublished",
                            "review_certified",
                            "topic_renamed",
                            "schedule_cancelled",
                            "translation_outdated",
                        ],
                    )
                ),
                name="audit_action_valid",
            ),
        ),
        migrations.RunPython(_revision_guards(FROZEN_COLUMNS), _no_revision_guards),
        db_guards.guards_put_back("articles_auditevent"),
    ]
