"""Append-only, hash-chained records: the base of every audit trail, and its verification.

A record belongs to one chain (an article, a topic, a staff user, an API key) and holds
`hash = SHA-256(previous record's hash in the chain + canonical JSON of this record)`. The
database refuses to change or remove a record (see `contentapi.db_guards`); the chain is the
evidence beyond that: whoever edits or deletes a record past the triggers (a superuser can
drop them) breaks the link to every later record, and `manage.py verify_audit` names it.

Appending reads the chain's last record, so appends to one chain must be serialised: the
caller holds the row lock of the chain's subject (the article, the topic, the user, the key).
The unique (chain, seq) constraint is the backstop: a racing second append fails instead of
forking the chain.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from django.db import models
from django.utils import timezone

# The "previous hash" of a chain's first record.
GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a chained record."""


def canonical_json(fields: dict[str, Any]) -> bytes:
    """One byte string per record, whatever the database returns: sorted keys, no spaces."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


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

    class Meta:
        abstract = True

    def chained_fields(self) -> dict[str, Any]:
        """Everything the hash covers; subclasses add their own fields to these."""
        return {"chain": self.chain, "seq": self.seq, "at": iso_utc(self.at)}

    @classmethod
    def append(cls, *, chain: str, **fields: Any) -> Self:
        """Add a record at the end of `chain`; the caller holds the lock of its subject."""
        last = cls.objects.filter(chain=chain).order_by("-seq").values_list("seq", "hash").first()
        seq, previous = last or (0, GENESIS)
        record = cls(chain=chain, seq=seq + 1, at=timezone.now(), **fields)
        record.hash = link_hash(previous, record.chained_fields())
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


def chains_verify(
    records: Iterator[ChainedRecord], *, report: ChainReport | None = None
) -> list[BrokenLink]:
    """Walk records ordered by (chain, seq); return the first broken link of each chain."""
    report = report if report is not None else ChainReport()
    broken: list[BrokenLink] = []
    chain, expected_seq, previous, skip = None, 1, GENESIS, False
    for record in records:
        if record.chain != chain:
            chain, expected_seq, previous, skip = record.chain, 1, GENESIS, False
            report.chains += 1
        report.records += 1
        if skip:
            continue
        reason = None
        if record.seq != expected_seq:
            reason = f"expected seq {expected_seq}: a record before it is missing"
        elif record.hash != link_hash(previous, record.chained_fields()):
            reason = "its hash does not match its content and the record before it"
        if reason is not None:
            name = type(record).__name__
            broken.append(BrokenLink(name, record.chain, record.pk, record.seq, reason))
            skip = True
            continue
        expected_seq, previous = expected_seq + 1, record.hash
    return broken
