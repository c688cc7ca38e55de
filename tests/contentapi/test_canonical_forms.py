"""What each hash covers, pinned field by field (docs/audit.md): dropping a field from a
canonical form, or changing its encoding, fails here. The forms carry version numbers, so
they change only on purpose: a new form is a new number and a new vector below."""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from articles.models import AuditEvent
from contentapi.checkpoints import canonical_fields
from contentapi.ledger import GENESIS, canonical_json, digest, link_hash
from contentapi.models import AuditCheckpoint, CredentialEvent
from delivery.rendering import content_hash

AT = datetime(2026, 11, 30, 14, 5, 9, 512331, tzinfo=UTC)


def _event(**changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "chain": "article:12", "seq": 7, "at": AT, "form": 2, "article_id": 12,
        "revision_id": 40, "topic_id": None, "actor_id": 3, "action": "approved",
        "comment": "Accurate.", "details": {"via": "web"},
        "attests": {"by": {"name": "Dr. Mei Chen", "credentials": "MD"}, "revision": 4,
                    "content_hash": "a" * 64},
    }  # fmt: skip
    return AuditEvent(**{**fields, **changes})


def _credential(**changes: Any) -> CredentialEvent:
    fields: dict[str, Any] = {
        "chain": "user:3", "seq": 2, "at": AT, "form": 2, "action": "tokens_rotated",
        "actor_id": 1, "actor_label": "admin", "subject": "mei", "details": {"tokens": 1},
    }  # fmt: skip
    return CredentialEvent(**{**fields, **changes})


def _checkpoint(**changes: Any) -> AuditCheckpoint:
    fields: dict[str, Any] = {
        "form": 1, "seq": 5, "at": AT, "reason": "publication",
        "heads": {"article:12": [7, "b" * 64]}, "chains": 3, "root": "c" * 64,
        "previous": "d" * 64,
    }  # fmt: skip
    return AuditCheckpoint(**{**fields, **changes})


def _hash(record: Any) -> str:
    return link_hash(GENESIS, record.chained_fields())


EVENT_CHANGES = {
    "chain": "article:13",
    "seq": 8,
    "at": AT + timedelta(microseconds=1),
    "form": 3,
    "article_id": 13,
    "revision_id": 41,
    "topic_id": 2,
    "actor_id": 4,
    "action": "published",
    "comment": "Accurate!",
    "details": {"via": "api"},
    "attests": {"by": {"name": "Dr. Mei Chen", "credentials": "DO"}, "revision": 4},
}


@pytest.mark.parametrize("field", EVENT_CHANGES)
def test_an_audit_events_hash_covers(field):
    assert _hash(_event(**{field: EVENT_CHANGES[field]})) != _hash(_event())


CREDENTIAL_CHANGES = {
    "chain": "user:4",
    "seq": 3,
    "at": AT + timedelta(microseconds=1),
    "form": 3,
    "action": "tokens_revoked",
    "actor_id": 2,
    "actor_label": "root",
    "subject": "ana",
    "details": {"tokens": 2},
}


@pytest.mark.parametrize("field", CREDENTIAL_CHANGES)
def test_a_credential_events_hash_covers(field):
    assert _hash(_credential(**{field: CREDENTIAL_CHANGES[field]})) != _hash(_credential())


CHECKPOINT_CHANGES = {
    "form": 2,
    "seq": 6,
    "at": AT + timedelta(microseconds=1),
    "reason": "interval",
    "heads": {"article:12": [8, "b" * 64]},
    "chains": 4,
    "root": "e" * 64,
    "previous": "f" * 64,
}


@pytest.mark.parametrize("field", CHECKPOINT_CHANGES)
def test_a_checkpoints_hash_covers(field):
    changed = _checkpoint(**{field: CHECKPOINT_CHANGES[field]})
    assert digest(canonical_fields(changed)) != digest(canonical_fields(_checkpoint()))


CONTENT = {
    "title": "Your A1C",
    "summary": "What it shows.",
    "body": "## Your A1C\n\nIt shows your blood sugar.\n",
    "editor_note": "",
    "topics": ["diabetes"],
    "codes": [("loinc", "4548-4", "Hemoglobin A1c")],
    "sources": [{"title": "Lab handbook", "url": "https://example.org/lab"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
}
CONTENT_CHANGES = {
    "title": "Your A1c",
    "summary": "What it shows!",
    "body": "## Your A1C\n\nIt shows your blood sugar.\n\n",
    "editor_note": "Updated.",
    "topics": ["diabetes", "lab-tests"],
    "codes": [("loinc", "4548-4", "HbA1c")],
    "sources": [{"title": "Lab handbook", "url": "https://example.org/lab2"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "BSN"}],
}


@pytest.mark.parametrize("field", CONTENT_CHANGES)
def test_the_content_hash_covers(field):
    assert content_hash(**{**CONTENT, field: CONTENT_CHANGES[field]}) != content_hash(**CONTENT)


def test_the_content_hash_does_not_depend_on_the_order_of_topics_and_codes():
    codes = [("icd10cm", "E11.9", "Type 2 diabetes"), ("loinc", "4548-4", "Hemoglobin A1c")]
    one = content_hash(**{**CONTENT, "topics": ["a", "b"], "codes": codes})
    other = content_hash(**{**CONTENT, "topics": ["b", "a"], "codes": codes[::-1]})
    assert one == other


def test_the_forms_are_pinned_byte_for_byte():
    """The vectors docs/audit.md shows; a change here is a change of form, on purpose."""
    assert canonical_json(_event().chained_fields()).decode() == (
        '{"action":"approved","actor":3,"article":12,"at":"2026-11-30T14:05:09.512331+00:00",'
        '"attests":{"by":{"credentials":"MD","name":"Dr. Mei Chen"},"content_hash":"'
        + "a" * 64
        + '","revision":4},"chain":"article:12","form":2,"internal":"'
        + digest({"comment": "Accurate.", "details": {"via": "web"}})
        + '","record":"articles.auditevent","revision":40,"seq":7,"topic":null}'
    )
    # A record's hash: SHA-256 of the previous hash (hex) and those bytes.
    expected = hashlib.sha256(
        (GENESIS + canonical_json(_event().chained_fields()).decode()).encode()
    )
    assert (
        _hash(_event())
        == expected.hexdigest()
        == ("0fb63e672b203ff6bc163c64274ae691a65fdf508801428d06a363dbbaffe0a7")
    )
    assert (
        content_hash(**CONTENT)
        == hashlib.sha256(
            b'{"authors":[{"credentials":"RN","name":"Ana Ruiz"}],"body_markdown":'
            b'"## Your A1C\\n\\nIt shows your blood sugar.\\n",'
            b'"codes":[["loinc","4548-4","Hemoglobin A1c"]],'
            b'"editor_note":"","form":1,"sources":[{"title":"Lab handbook","url":'
            b'"https://example.org/lab"}],"summary":"What it shows.","title":"Your A1C",'
            b'"topics":["diabetes"]}'
        ).hexdigest()
        == "2982372f859c16387697ac1918f3b2edea80172ceded98e35af183bea84d9b4a"
    )
