"""The read side moved to its own app without touching a row: migrating back to the layout
before the move and forward again keeps every document, link, event, delivery and chain."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import workflow
from delivery.models import PublishedDocument, PublishedTopic
from tests.factories import TopicFactory
from tests.publishing_helpers import make_live
from webhooks.fanout import fan_out
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "articles_publisheddocument",
    "articles_publishedtopic",
    "articles_publishedcode",
    "articles_changeevent",
    "articles_auditevent",
    "webhooks_webhookdelivery",
]
# Columns the move adds (and the way back removes); everything else must stay as it was.
ADDED = {"translation_group", "slug"}


def _rows() -> dict[str, str]:
    """A digest of every row of the tables the move concerns, without the added columns."""
    digests = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            keep = [
                i
                for i, column in enumerate(cursor.description)
                if not (column[0] in ADDED and table.startswith("articles_published"))
            ]
            rows = [
                [bytes(row[i]) if isinstance(row[i], memoryview) else row[i] for i in keep]
                for row in cursor.fetchall()
            ]
            digests[table] = f"{len(rows)} {hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return digests


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_moving_the_read_side_keeps_every_row_and_chain(staff, admin, settings, publisher):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    subscription_create(actor=admin, url="http://127.0.0.1:9/hooks")
    TopicFactory(slug="diabetes", name="Diabetes")
    a1c = make_live(
        **staff, slug="a1c", topics=["diabetes"], codes=[{"system": "loinc", "code": "4548-4"}]
    )
    make_live(**staff, slug="a1c-es", locale="es", translation_of=a1c)
    gone = make_live(**staff, slug="gone")
    workflow.article_unpublish(actor=publisher, article=gone)
    fan_out()
    before = _rows()

    _migrate([("delivery", None)])  # the layout before the move: every model in `articles`
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "articles_publisheddocument"
            )
        }
    assert "translation_group" not in columns
    _migrate()

    assert _rows() == before
    assert {d.slug: d.translation_group for d in PublishedDocument.objects.all()} == {
        "a1c": a1c.translation_group,
        "a1c-es": a1c.translation_group,
    }
    assert list(PublishedTopic.objects.values_list("slug", flat=True)) == ["diabetes"]
    # Going back past articles 0012 forgot which revision the translation translates (its
    # columns went), so its document now renders without that: render it again first.
    call_command("rerender_published", stdout=io.StringIO())
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "every link and signature holds" in out.getvalue()
