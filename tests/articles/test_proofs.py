"""Proof that leaves the building: a live article's proof, the public checkpoints and keys,
the worker that writes checkpoints, key rotation, and the offline check of
`examples/verify_proof.py` against what the API serves."""

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from articles import workflow
from articles.models import AuditEvent
from contentapi.checkpoints import (
    ChainsWentBack,
    checkpoint_fault,
    checkpoint_if_due,
    checkpoint_write,
    inclusion_path,
    leaf_hash,
    root_from_path,
    tree_root,
)
from contentapi.models import AuditCheckpoint, CheckpointReason
from contentapi.signing import new_private_key, public_key_of
from examples.verify_proof import NotVerified, verify
from tests.db_guards import guards_lifted
from tests.publishing_helpers import create_article, make_live, new_revision


@pytest.fixture
def a1c(staff):
    return make_live(
        **staff, slug="understanding-your-a1c", body="## Your A1C\n\nIt shows your sugar.\n"
    )


def _fetch(client, delivery_headers, slug):
    proof = client.get(f"/api/v1/articles/{slug}/proof/", **delivery_headers)
    document = client.get(f"/api/v1/articles/{slug}/", **delivery_headers)
    keys = client.get("/api/v1/audit/keys/")  # public: no key
    assert (proof.status_code, document.status_code, keys.status_code) == (200, 200, 200)
    listed = {key["key_id"]: key["public_key"] for key in keys.json()["keys"]}
    return proof.json(), json.loads(document.content), listed


def test_a_live_articles_proof_verifies_offline_and_names_the_approver(
    client, delivery_headers, a1c
):
    checkpoint_write(CheckpointReason.PUBLICATION)

    proof, document, keys = _fetch(client, delivery_headers, a1c.slug)
    lines = verify(proof, document, keys)

    approval = next(r for r in proof["records"] if r.get("action") == "approved")
    assert approval["attests"]["by"] == {"name": "Dr. Mei Chen", "credentials": "MD"}
    assert approval["attests"]["content_hash"] == document["content_hash"]
    assert "approved by Dr. Mei Chen, MD at " in lines[1]
    assert proof["inclusion"]["checkpoint"]["seq"] == 1


def test_a_proof_shows_no_internal_comment(client, delivery_headers, a1c):
    checkpoint_write(CheckpointReason.PUBLICATION)
    assert AuditEvent.objects.filter(comment="Accurate.").exists()  # the approval's comment

    proof, _, _ = _fetch(client, delivery_headers, a1c.slug)

    assert "Accurate." not in json.dumps(proof)


def test_the_proof_waits_for_a_checkpoint_that_includes_the_newest_record(
    client, delivery_headers, a1c, staff
):
    checkpoint_write(CheckpointReason.PUBLICATION)
    new_revision(a1c, editor=staff["editor"], summary="Another draft.")

    proof, document, keys = _fetch(client, delivery_headers, a1c.slug)

    assert proof["inclusion"] is None
    with pytest.raises(NotVerified, match="no signed checkpoint includes"):
        verify(proof, document, keys)
    checkpoint_write(CheckpointReason.INTERVAL)
    assert verify(*_fetch(client, delivery_headers, a1c.slug))


def test_a_proof_is_for_live_articles_and_needs_a_delivery_key(
    client, delivery_headers, a1c, editor
):
    create_article(editor=editor, slug="draft-only")

    assert client.get("/api/v1/articles/draft-only/proof/", **delivery_headers).status_code == 404
    assert client.get(f"/api/v1/articles/{a1c.slug}/proof/").status_code == 401


def test_a_changed_document_does_not_verify_against_its_proof(client, delivery_headers, a1c):
    checkpoint_write(CheckpointReason.PUBLICATION)
    proof, document, keys = _fetch(client, delivery_headers, a1c.slug)

    document["body_markdown"] = document["body_markdown"].replace("sugar", "salt")

    with pytest.raises(NotVerified, match="do not hash to its content_hash"):
        verify(proof, document, keys)


def test_checkpoints_are_public_newest_first_and_paged(client, a1c, staff):
    for number in range(3):
        new_revision(a1c, editor=staff["editor"], summary=f"Draft {number}.")
        checkpoint_write(CheckpointReason.INTERVAL)

    first = client.get("/api/v1/audit/checkpoints/?page_size=2")
    older = client.get(first.json()["next"])

    assert [c["seq"] for c in first.json()["results"]] == [3, 2]
    assert [c["seq"] for c in older.json()["results"]] == [1]
    assert older.json()["next"] is None
    assert "immutable" in older["Cache-Control"]
    assert "immutable" not in first["Cache-Control"]
    newest, before = first.json()["results"]
    assert newest["previous"] == before["hash"]
    assert checkpoint_fault(newest) is None
    assert list(newest["heads"]) == [f"article:{a1c.pk}"]  # only the chain that moved
    assert client.get("/api/v1/audit/checkpoints/?before=0").status_code == 400


def test_a_checkpoint_is_append_only(a1c):
    checkpoint = checkpoint_write(CheckpointReason.PUBLICATION)

    with pytest.raises(Exception, match="refused"):
        models.QuerySet(AuditCheckpoint).filter(pk=checkpoint.pk).update(root="0" * 64)


def test_the_worker_writes_a_checkpoint_soon_after_a_publication(a1c, staff, settings):
    call_command("publish_scheduled", stdout=io.StringIO())
    first = AuditCheckpoint.objects.get()
    assert first.reason == CheckpointReason.PUBLICATION

    call_command("publish_scheduled", stdout=io.StringIO())  # nothing moved
    new_revision(a1c, editor=staff["editor"], summary="A draft is no publication.")
    call_command("publish_scheduled", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 1  # not due until the interval has passed

    settings.AUDIT_CHECKPOINT_INTERVAL = 0.000001
    call_command("publish_scheduled", stdout=io.StringIO())
    assert AuditCheckpoint.objects.order_by("-seq").first().reason == CheckpointReason.INTERVAL

    settings.AUDIT_CHECKPOINT_INTERVAL = 3600
    workflow.article_unpublish(actor=staff["publisher"], article=a1c)
    assert checkpoint_if_due().reason == CheckpointReason.PUBLICATION


def test_no_checkpoint_is_signed_over_removed_records(a1c):
    checkpoint_write(CheckpointReason.PUBLICATION)
    last = AuditEvent.objects.filter(article=a1c).order_by("-seq").first()
    with guards_lifted():
        models.QuerySet(AuditEvent).filter(pk=last.pk).delete()

    with pytest.raises(ChainsWentBack, match=f"article:{a1c.pk}"):
        checkpoint_if_due()


def test_a_rotated_key_keeps_verifying_what_it_signed(a1c, settings, client):
    old = settings.AUDIT_SIGNING_KEY
    settings.AUDIT_SIGNING_KEY = new_private_key()
    with pytest.raises(CommandError, match=f"signed with key {public_key_of(old).key_id}"):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())

    settings.AUDIT_RETIRED_PUBLIC_KEYS = [public_key_of(old).public_key]
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())

    assert "every link and signature holds" in out.getvalue()
    listed = client.get("/api/v1/audit/keys/").json()["keys"]
    assert [(k["key_id"], k["status"]) for k in listed] == [
        (public_key_of(settings.AUDIT_SIGNING_KEY).key_id, "current"),
        (public_key_of(old).key_id, "retired"),
    ]


@pytest.mark.parametrize("size", range(1, 18))
def test_every_leaf_of_a_merkle_tree_proves_its_way_to_the_root(size):
    heads = {f"article:{n}": (n, f"{n:064x}") for n in range(size)}
    chains = sorted(heads)
    leaves = [leaf_hash(chain, *heads[chain]) for chain in chains]
    root = tree_root(heads)

    for index in range(size):
        path = inclusion_path(leaves, index)
        assert root_from_path(leaves[index], index, size, path) == root
        assert root_from_path(leaf_hash("article:x", 1, "0" * 64), index, size, path) != root


def test_a_new_signing_key_is_alone_on_the_last_line_and_needs_no_database():
    out = io.StringIO()
    call_command("create_audit_signing_key", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert len(base64.b64decode(lines[-1])) == 32
    assert f"Key id: {public_key_of(lines[-1]).key_id}" == lines[0]


def test_a_proof_is_revalidated_with_its_etag(client, delivery_headers, a1c, staff):
    checkpoint_write(CheckpointReason.PUBLICATION)
    url = f"/api/v1/articles/{a1c.slug}/proof/"
    first = client.get(url, **delivery_headers)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **delivery_headers)
    new_revision(a1c, editor=staff["editor"], summary="The chain moves on.")
    moved = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **delivery_headers)

    assert (again.status_code, again.content) == (304, b"")
    assert moved.status_code == 200
