"""An upgraded database: the unsigned records written before signing began (form 1) are
sealed by the first checkpoint, which the migration writes, and trusted only that far."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from articles.models import AuditAction, AuditEvent
from contentapi.ledger import GENESIS, LEGACY_FORM, link_hash
from contentapi.models import AuditCheckpoint, CheckpointReason
from tests.db_guards import record_rewrite
from tests.publishing_helpers import create_article

seal_unsigned_records = importlib.import_module(
    "articles.migrations.0011_signed_audit_events"
).seal_unsigned_records


def _legacy(article, actor, seq, previous, action=AuditAction.REVISION_EDITED):
    """A record as the earlier version wrote it: form 1, plain hash, no signature."""
    event = AuditEvent(
        chain=f"legacy:{article.pk}", seq=seq, article=article, actor=actor, action=action,
        comment=f"edit {seq}", form=LEGACY_FORM,
    )  # fmt: skip
    event.hash = link_hash(previous, event.chained_fields())
    event.save(force_insert=True)
    return event


def _verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError:
        return err.getvalue()
    return out.getvalue()


@pytest.fixture
def upgraded(editor):
    article = create_article(editor=editor, slug="from-before")
    first = _legacy(article, editor, 1, GENESIS)
    second = _legacy(article, editor, 2, first.hash)
    seal_unsigned_records(apps, None)  # as migration articles 0011 runs it
    return article, second


def test_the_records_from_before_signing_are_sealed_and_verify(upgraded):
    article, second = upgraded

    seal = AuditCheckpoint.objects.get(seq=1)

    assert seal.reason == CheckpointReason.SIGNING_BEGAN
    assert seal.heads[f"legacy:{article.pk}"] == [2, second.hash]
    assert "(2 from before signing began, sealed)" in _verify()


def test_an_unsigned_record_after_the_seal_is_one_the_service_did_not_write(upgraded, editor):
    article, second = upgraded

    _legacy(article, editor, 3, second.hash, action=AuditAction.APPROVED)

    problems = _verify()
    assert f"chain legacy:{article.pk} seq 3" in problems
    assert "signing had begun: the service did not write it" in problems


def test_a_sealed_record_rewritten_with_its_hash_recomputed_is_caught(upgraded):
    article, second = upgraded
    first = AuditEvent.objects.get(chain=f"legacy:{article.pk}", seq=1)
    first.comment = "approved by someone else"
    new_first = link_hash(GENESIS, first.chained_fields())
    record_rewrite(first, comment=first.comment, hash=new_first)
    record_rewrite(second, hash=link_hash(new_first, second.chained_fields()))

    problems = _verify()

    assert f"chain legacy:{article.pk} seq 2" in problems
    assert "it is not the record that was sealed when signing began" in problems


def test_a_new_database_needs_no_seal(db):
    seal_unsigned_records(apps, None)  # as migration articles 0011 runs it

    assert not AuditCheckpoint.objects.exists()
