"""The attacks of someone who can write the database (a DBA, a stolen application password),
played as the database owner, and what catches each: `verify_audit` on its own for a forged
approval, an edited delivery document and an edited approved body; with checkpoints kept
outside for a removed tail, a rewritten chain and a swapped approver. An article's proof
taken before the attack keeps verifying against its signed checkpoint; a proof of the
tampered data does not."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models

from articles import workflow
from articles.audit import article_proof
from articles.models import Article, AuditAction, AuditEvent, Review, Revision, RevisionState
from contentapi.checkpoints import checkpoint_write, stored_checkpoints
from contentapi.ledger import GENESIS, LEGACY_FORM, link_hash
from contentapi.models import AuditCheckpoint, CheckpointHead
from contentapi.signing import public_keys
from delivery.models import PublishedDocument
from examples.verify_proof import NotVerified, verify
from tests.db_guards import guards_lifted
from tests.publishing_helpers import create_article, latest, make_live, new_revision


def _verify(*checkpoint_files: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    args = [f"--checkpoints={path}" for path in checkpoint_files]
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError:
        return err.getvalue()
    return ""


def _keys() -> dict[str, str]:
    return {key.key_id: key.public_key for key in public_keys().values()}


def _bundle(article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
    """The article's proof and delivery document, as a portal would save them."""
    article = Article.objects.get(pk=article.pk)
    body = PublishedDocument.objects.get(article_id=article.pk).body
    return article_proof(article).body, json.loads(bytes(body))


def _kept(tmp_path: Path) -> Path:
    """The checkpoints as an auditor's cron job keeps them outside the building."""
    path = tmp_path / "checkpoints.json"
    path.write_text(json.dumps({"results": stored_checkpoints()}))
    return path


@pytest.fixture
def live_article(staff: dict[str, Any]) -> Article:
    article = make_live(**staff, slug="a1c-explained", body="## Your A1C\n\nIt shows your sugar.\n")
    new_revision(article, editor=staff["editor"], summary="A second draft.")
    return Article.objects.get(pk=article.pk)


def _events(article: Article) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain=f"article:{article.pk}").order_by("seq"))


def _rewrite_from(article: Article, seq: int, change: dict[str, Any]) -> None:
    """Change the record at `seq` and recompute every later hash, as a careful attacker does
    (keeping the old signatures: without the key there are no new ones)."""
    events = _events(article)
    previous = GENESIS if seq == 1 else events[seq - 2].hash
    with guards_lifted():
        for event in events[seq - 1 :]:
            if event.seq == seq:
                for name, value in change.items():
                    setattr(event, name, value)
            event.hash = link_hash(previous, event.chained_fields())
            models.QuerySet(AuditEvent).filter(pk=event.pk).update(
                hash=event.hash, **{name: getattr(event, name) for name in change}
            )
            previous = event.hash


# ------------------------------------------------------------------------------
# Caught by verify_audit alone
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("form", [LEGACY_FORM, 2], ids=["plain-sha256", "unsigned-form-2"])
def test_an_approval_forged_by_sql_is_caught_once_published(staff, form):
    editor, reviewer, publisher = staff["editor"], staff["reviewer"], staff["publisher"]
    article = create_article(editor=editor, slug="forged")
    revision = latest(article)
    workflow.revision_submit(actor=editor, revision=revision)
    last = _events(article)[-1]
    # As the database owner, with no trigger bypassed: approver, review row, appended event.
    Revision.objects.filter(pk=revision.pk).update(
        approved_by=reviewer, state=RevisionState.APPROVED
    )
    Review.objects.create(revision=revision, reviewer=reviewer, decision="approved")
    forged = AuditEvent(
        chain=last.chain, seq=last.seq + 1, article=article, revision=revision, actor=reviewer,
        action=AuditAction.APPROVED, form=form, at=last.at,
        attests={"by": {"name": "Dr. Mei Chen", "credentials": "MD"}, "revision": 1},
    )  # fmt: skip
    forged.hash = link_hash(last.hash, forged.chained_fields())
    forged.save(force_insert=True)
    workflow.revision_publish(actor=publisher, revision=Revision.objects.get(pk=revision.pk))
    assert b"Dr. Mei Chen" in bytes(PublishedDocument.objects.get(article_id=article.pk).body)

    problems = _verify()

    assert f"article forged (en, chain article:{article.pk}) seq {forged.seq}" in problems
    assert ("the service did not write it" if form == LEGACY_FORM else "signed with key") in (
        problems
    )


def test_an_edited_delivery_document_is_caught(live_article):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM articles_publisheddocument WHERE article_id = %s",
                       [live_article.pk])  # fmt: skip
        doc = json.loads(bytes(cursor.fetchone()[0]))
        doc["body_markdown"] = doc["body_markdown"].replace("sugar", "salt")
        cursor.execute(
            "UPDATE articles_publisheddocument SET body = %s WHERE article_id = %s",
            [json.dumps(doc).encode(), live_article.pk],
        )

    problems = _verify()

    assert "the live document of article a1c-explained (en) was changed" in problems
    assert "differs from the rendering of its approved revision 1" in problems


def test_a_document_edited_with_its_content_hash_recomputed_is_caught(live_article):
    from delivery.rendering import document_content_hash

    document = PublishedDocument.objects.get(article_id=live_article.pk)
    doc = json.loads(bytes(document.body))
    doc["body_markdown"] = "Stop taking your insulin.\n"
    doc["content_hash"] = document_content_hash(doc)
    PublishedDocument.objects.filter(pk=live_article.pk).update(body=json.dumps(doc).encode())

    problems = _verify()

    assert "does not carry the words approved for revision 1" in problems


def test_an_edited_live_approved_body_is_caught(live_article):
    approval = next(e for e in _events(live_article) if e.action == AuditAction.APPROVED)
    with guards_lifted():
        Revision.objects.filter(article=live_article, number=1).update(body="Double the dose.\n")

    problems = _verify()

    assert (
        f"article a1c-explained (en) revision 1: its words are not the ones approved at "
        f"article:{live_article.pk} seq {approval.seq}"
    ) in problems


# ------------------------------------------------------------------------------
# Caught with checkpoints kept outside
# ------------------------------------------------------------------------------
@pytest.fixture
def checkpointed(live_article, tmp_path):
    """A checkpoint after the attack's target, kept outside; the proof a portal saved."""
    checkpoint_write("publication")
    before = _bundle(live_article)
    assert verify(*before, _keys())
    return _kept(tmp_path), before


def _old_proof_holds_and_new_one_fails(article: Article, before: tuple) -> None:
    assert verify(*before, _keys())  # against its own signed checkpoint
    with pytest.raises(NotVerified):
        verify(*_bundle(article), _keys())


def test_removing_the_last_two_events_of_a_chain_is_caught(live_article, checkpointed):
    kept, before = checkpointed
    events = _events(live_article)
    with guards_lifted():
        models.QuerySet(AuditEvent).filter(pk__in=[e.pk for e in events[-2:]]).delete()
        # The attacker removes the database's own checkpoints too.
        models.QuerySet(AuditCheckpoint).all().delete()
        models.QuerySet(CheckpointHead).all().delete()
    assert _verify() == ""  # nothing inside the database shows it any more

    problems = _verify(kept)

    assert (
        f"article a1c-explained (en, chain article:{live_article.pk}) ends at seq "
        f"{events[-3].seq}, but checkpoint 1 kept outside saw seq {events[-1].seq}: the last 2 "
        "record(s) were removed"
    ) in problems
    assert "checkpoint 1 kept outside is missing from the database" in problems
    _old_proof_holds_and_new_one_fails(live_article, before)


def test_a_chain_rewritten_from_its_third_record_is_caught(live_article, checkpointed):
    kept, before = checkpointed
    third = _events(live_article)[2]
    _rewrite_from(live_article, 3, {"comment": "Approved without changes."})

    problems = _verify(kept)

    chain = f"article a1c-explained (en, chain article:{live_article.pk})"
    assert f"{chain} seq 3 ({third._meta.object_name} {third.pk}): its signature" in problems
    assert f"seq {_events(live_article)[-1].seq} is not the record checkpoint 1" in problems
    _old_proof_holds_and_new_one_fails(live_article, before)


def test_a_swapped_approver_of_the_live_revision_is_caught(live_article, checkpointed, admin):
    kept, before = checkpointed
    admin.display_name, admin.credentials = "Dr. Impostor", "MD"
    admin.save()
    approval = next(e for e in _events(live_article) if e.action == AuditAction.APPROVED)
    with guards_lifted():  # a recorded approval never changes, for anyone short of the owner
        Revision.objects.filter(article=live_article, number=1).update(approved_by=admin)
    _rewrite_from(
        live_article,
        approval.seq,
        {"actor_id": admin.pk, "attests": {**approval.attests, "by": {"name": "Dr. Impostor",
                                                                       "credentials": "MD"}}},
    )  # fmt: skip

    problems = _verify(kept)

    chain = f"article a1c-explained (en, chain article:{live_article.pk})"
    assert f"{chain} seq {approval.seq} (AuditEvent {approval.pk}): its signature" in problems
    assert "is not the record checkpoint 1 kept outside saw" in problems
    _old_proof_holds_and_new_one_fails(live_article, before)


def test_a_kept_checkpoint_that_was_altered_is_not_trusted(live_article, checkpointed):
    kept, _ = checkpointed
    documents = json.loads(kept.read_text())["results"]
    documents[0]["root"] = "f" * 64  # without the key, a changed checkpoint cannot be signed
    kept.write_text(json.dumps(documents))

    problems = _verify(kept)

    assert "checkpoint 1 kept outside: its hash does not match its fields" in problems
