"""Append-only, hash-chained, signed records: the base of every audit trail, and its checks.

A record belongs to one chain (an article, a topic, a staff user, an API key) and holds
`hash = SHA-256(previous record's hash in the chain + canonical JSON of this record)` and an
Ed25519 signature of that hash (`contentapi.signing`), made with a key that lives in the
service's environment and never in the database. The database refuses to change or remove a
record (see `contentapi.db_guards`); the chain shows a record changed or removed past the
triggers, and the signature shows a record the service did not write: whoever can write the
database cannot sign. What the hash covers, field by field, is the record's canonical form,
versioned by `form` and documented in docs/audit.md.

Form 1 is how records were written before they were signed: its records carry no signature
and are trusted only as far as the signed checkpoint written when signing began (migration
articles 0011) sealed them.

Appending reads the chain's last record, so appends to one chain must be serialised: the
caller holds the row lock of the chain's subject (the article, the topic, the user, the key).
The unique (chain, seq) constraint is the backstop: a racing second append fails instead of
forking the chain.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

from django.db import models
from django.utils import timezone

from contentapi.signing import signature_verifies, signer

# The "previous hash" of a chain's first record.
GENESIS = "0" * 64
# The canonical form new records are written in (docs/audit.md); 1 is unsigned and legacy.
FORM = 2
LEGACY_FORM = 1


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a chained record."""


def canonical_json(fields: dict[str, Any]) -> bytes:
    """One byte string per record, whatever the database returns: sorted keys, no spaces."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of `fields`, hex."""
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def link_hash(previous: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(previous.encode() + canonical_json(fields)).hexdigest()


def iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes skip `save()`; these refuse them too (the database refuses them again)."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} records are append-only.")

    def bulk_update(self, objs: Iterable[Any], fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError(f"{self.model.__name__} records are append-only.")


class AppendOnlyRecord(models.Model):
    """A record that can be added and never changed or removed, by the ORM or the database."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} records are append-only.")


class ChainedRecord(AppendOnlyRecord):
    """An append-only record in a per-subject hash chain. Subclasses say what the hash covers."""

    chain = models.CharField(max_length=60)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    hash = models.CharField(max_length=64)
    # The canonical form the hash was made in (FORM; LEGACY_FORM: before records were signed).
    form = models.PositiveSmallIntegerField(default=FORM)
    # Which key signed the hash (contentapi.signing.key_id_of), and the signature, base64.
    key_id = models.CharField(max_length=16, blank=True, default="")
    signature = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        abstract = True

    def chained_fields(self) -> dict[str, Any]:
        """Everything the hash covers; subclasses add their own fields to these."""
        fields: dict[str, Any] = {"chain": self.chain, "seq": self.seq, "at": iso_utc(self.at)}
        if self.form != LEGACY_FORM:
            # Which kind of record, so one can never pass for another kind.
            fields.update(form=self.form, record=self._meta.label_lower)
        return fields

    @classmethod
    def append(cls, *, chain: str, **fields: Any) -> Self:
        """Add a signed record at the end of `chain`; the caller holds its subject's lock."""
        last = cls.objects.filter(chain=chain).order_by("-seq").values_list("seq", "hash").first()
        seq, previous = last or (0, GENESIS)
        record = cls(chain=chain, seq=seq + 1, at=timezone.now(), form=FORM, **fields)
        record.hash = link_hash(previous, record.chained_fields())
        key = signer()
        record.key_id, record.signature = key.key_id, key.sign("record", record.hash)
        record.save(force_insert=True)
        return record


@dataclass(frozen=True)
class BrokenLink:
    """The first record of a chain that does not follow from the records before it."""

    model: str
    chain: str
    record_id: int
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.model} {self.record_id} (chain {self.chain}, seq {self.seq}): {self.reason}"


@dataclass
class ChainReport:
    chains: int = 0
    records: int = 0
    unsigned: int = 0  # records from before signing began, sealed by its checkpoint
    # The last record of each chain as stored, (seq, hash): what checkpoints are compared with.
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Records whose hash checkpoints name, (chain, seq): their hashes as stored, in `found`.
    wanted: set[tuple[str, int]] = field(default_factory=set)
    found: dict[tuple[str, int], str] = field(default_factory=dict)


def record_fault(
    record: ChainedRecord, previous: str, sealed: dict[str, tuple[int, str]]
) -> str | None:
    """Why `record` does not follow from the record before it (hash `previous`), or None.

    `sealed` holds, per chain, the last unsigned record (seq, hash) that the checkpoint
    written when signing began vouches for.
    """
    if record.hash != link_hash(previous, record.chained_fields()):
        return "its hash does not match its content and the record before it"
    if record.form == LEGACY_FORM:
        seal = sealed.get(record.chain)
        if seal is None or record.seq > seal[0]:
            return (
                "it is unsigned (the form of records written before signing began), but "
                "signing had begun: the service did not write it"
            )
        if record.seq == seal[0] and record.hash != seal[1]:
            return "it is not the record that was sealed when signing began"
        return None
    if record.form != FORM:
        return f"its form {record.form} is not one this service writes"
    return signature_verifies("record", record.hash, record.key_id, record.signature)


def chains_verify(
    records: Iterator[ChainedRecord],
    *,
    report: ChainReport | None = None,
    sealed: dict[str, tuple[int, str]] | None = None,
) -> list[BrokenLink]:
    """Walk records ordered by (chain, seq); return the first broken link of each chain."""
    report = report if report is not None else ChainReport()
    sealed = sealed or {}
    broken: list[BrokenLink] = []
    chain, expected_seq, previous, skip = None, 1, GENESIS, False
    for record in records:
        if record.chain != chain:
            chain, expected_seq, previous, skip = record.chain, 1, GENESIS, False
            report.chains += 1
        report.records += 1
        report.heads[record.chain] = (record.seq, record.hash)
        if (record.chain, record.seq) in report.wanted:
            report.found[record.chain, record.seq] = record.hash
        report.unsigned += record.form == LEGACY_FORM
        if skip:
            continue
        if record.seq != expected_seq:
            reason = f"expected seq {expected_seq}: a record before it is missing"
        else:
            reason = record_fault(record, previous, sealed)
        if reason is not None:
            name = type(record).__name__
            broken.append(BrokenLink(name, record.chain, record.pk, record.seq, reason))
            skip = True
            continue
        expected_seq, previous = expected_seq + 1, record.hash
    return broken
