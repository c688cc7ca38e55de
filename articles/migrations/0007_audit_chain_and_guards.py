"""Provable sign-off: hash-chained audit events, and database rules no one can write past.

* Audit events get a chain (`article:<id>`), a sequence number and a SHA-256 hash linking
  each to the one before it; existing events are chained here, in the order they happened.
* The database refuses UPDATE, DELETE and TRUNCATE on audit events and reviews, refuses
  changes to the content of a revision once it has left `draft` (and its topics and codes),
  never lets it return to `draft`, and never lets a recorded approval change.
"""

import hashlib
import json
from datetime import UTC

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from contentapi import db_guards

AUDIT = "articles_auditevent"
REVIEW = "articles_review"
REVISION = "articles_revision"
REVISION_PARTS = ("articles_revisioncode", "articles_revision_topics")
# What a submitted revision may never change.
CONTENT_COLUMNS = (
    "article_id", "number", "title", "summary", "body", "editor_note", "sources", "authors",
    "author_id", "base_revision", "created_at",
)  # fmt: skip
FROZEN = "a submitted revision never changes: write a new revision"

ACTIONS = [
    "article_created", "revision_created", "revision_edited", "submitted", "approved",
    "changes_requested", "published", "scheduled", "unpublished", "review_certified",
    "topic_renamed", "schedule_cancelled",
]  # fmt: skip


def chain_existing_events(apps, schema_editor):
    """Chain the events written before this migration, per article, oldest first.

    The fields and their canonical JSON are those of `AuditEvent.chained_fields` at this
    migration; `contentapi.ledger` computes the same hash.
    """
    AuditEvent = apps.get_model("articles", "AuditEvent")
    previous: dict[str, tuple[int, str]] = {}
    for event in AuditEvent.objects.order_by("article_id", "at", "id").iterator():
        chain = f"article:{event.article_id}"
        seq, last_hash = previous.get(chain, (0, "0" * 64))
        fields = {
            "chain": chain,
            "seq": seq + 1,
            "at": event.at.astimezone(UTC).isoformat(),
            "article": event.article_id,
            "revision": event.revision_id,
            "topic": None,
            "actor": event.actor_id,
            "action": event.action,
            "comment": event.comment,
            "details": {},
        }
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(last_hash.encode() + canonical.encode()).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(chain=chain, seq=seq + 1, hash=digest)
        previous[chain] = (seq + 1, digest)


# Each rule is a trigger on the columns it protects, with its condition in WHEN, so the
# workflow's own updates (state, dates; never the words) run no trigger code at all.
# (name, event, condition, message)
REVISION_RULES = (
    (
        "articles_revision_frozen",
        f"UPDATE OF {', '.join(CONTENT_COLUMNS)}",
        "OLD.state <> 'draft'",
        FROZEN,
    ),
    (
        "articles_revision_no_redraft",
        "UPDATE OF state",
        "OLD.state <> 'draft' AND NEW.state = 'draft'",
        "a submitted revision never returns to draft",
    ),
    (
        "articles_revision_approval_fixed",
        "UPDATE OF approved_by_id, approved_at",
        "OLD.approved_by_id IS NOT NULL AND (NEW.approved_by_id IS DISTINCT FROM "
        "OLD.approved_by_id OR NEW.approved_at IS DISTINCT FROM OLD.approved_at)",
        "a recorded approval never changes",
    ),
    (
        "articles_revision_kept",
        "DELETE",
        "OLD.state <> 'draft'",
        "a submitted revision can never be deleted",
    ),
)
PARTS_MESSAGE = "the topics and codes of a submitted revision never change"


def _revision_guard_sql(vendor):
    if vendor == "postgresql":
        statements = [
            f"CREATE TRIGGER {name} BEFORE {event} ON {REVISION} FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION {db_guards.REFUSE_FUNCTION}('{message}')"
            for name, event, when, message in REVISION_RULES
        ]
        statements += [
            f"CREATE TRIGGER articles_revision_no_truncate BEFORE TRUNCATE ON {REVISION} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {db_guards.REFUSE_FUNCTION}()",
            # A trigger's WHEN cannot look at another table, so this one is a function.
            f"""
            CREATE OR REPLACE FUNCTION articles_revision_part_guard() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
                    SELECT 1 FROM articles_revision WHERE id = OLD.revision_id AND state <> 'draft'
                ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
                    SELECT 1 FROM articles_revision WHERE id = NEW.revision_id AND state <> 'draft'
                ) THEN
                    RAISE EXCEPTION '% on %: {PARTS_MESSAGE}', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = 'restrict_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END
            $$
            """,
        ]
        for table in REVISION_PARTS:
            statements += [
                f"CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION articles_revision_part_guard()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {db_guards.REFUSE_FUNCTION}()",
            ]
        return statements
    if vendor == "sqlite":
        statements = [
            f"CREATE TRIGGER {name} BEFORE {event} ON {REVISION} "
            f"WHEN {when.replace('IS DISTINCT FROM', 'IS NOT')} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for name, event, when, message in REVISION_RULES
        ]
        submitted = "(SELECT state FROM articles_revision WHERE id = {row}.revision_id) <> 'draft'"
        for table in REVISION_PARTS:
            for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
                statements.append(
                    f"CREATE TRIGGER {table}_{op.lower()}_guard BEFORE {op} ON {table} "
                    f"WHEN {submitted.format(row=row)} "
                    f"BEGIN SELECT RAISE(ABORT, '{PARTS_MESSAGE}'); END"
                )
        return statements
    return []


def _drop_revision_guard_sql(vendor):
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {rule[0]} ON {REVISION}" for rule in REVISION_RULES]
        statements.append(f"DROP TRIGGER IF EXISTS articles_revision_no_truncate ON {REVISION}")
        for table in REVISION_PARTS:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_guard ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            ]
        return [*statements, "DROP FUNCTION IF EXISTS articles_revision_part_guard()"]
    if vendor == "sqlite":
        names = [rule[0] for rule in REVISION_RULES]
        names += [f"{t}_{op}_guard" for t in REVISION_PARTS for op in ("insert", "update", "delete")]
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    return []


def guard(apps, schema_editor):
    db_guards.install_refuse_function(schema_editor)
    db_guards.make_append_only(schema_editor, AUDIT, REVIEW)
    for statement in _revision_guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def unguard(apps, schema_editor):
    for statement in _drop_revision_guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    db_guards.unmake_append_only(schema_editor, AUDIT, REVIEW)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_narrow_search_table"),
        ("contentapi", "0003_credential_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="details",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="topic",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="audit_events", to="articles.topic"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="article",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="audit_events", to="articles.article"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="revision",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.revision"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=[(a, a.replace("_", " ").title()) for a in ACTIONS], max_length=30),
        ),
        migrations.RemoveConstraint(model_name="auditevent", name="audit_action_valid"),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(condition=models.Q(("action__in", ACTIONS)), name="audit_action_valid"),
        ),
        migrations.AlterField(
            model_name="review",
            name="revision",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reviews", to="articles.revision"),
        ),
        migrations.AlterField(
            model_name="changeevent",
            name="article",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.article"),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_event_chain_seq"),
        ),
        # Last: on SQLite every table rebuild above would have dropped the triggers.
        migrations.RunPython(guard, unguard),
    ]
