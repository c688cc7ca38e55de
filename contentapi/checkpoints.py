"""Signed checkpoints of every audit chain, and the Merkle tree that proves a chain's head.

A checkpoint states the head (last seq and hash) of every chain at one moment, the Merkle
tree head over them (RFC 9162's tree: leaves in chain order, `0x00` before a leaf, `0x01`
before two children), the time, and the hash of the checkpoint before, signed with the
service's Ed25519 key (`contentapi.signing`). Kept outside the building, checkpoints show
what no database write can hide: a chain's last records removed, a chain rewritten, a
checkpoint replaced (a fork).

The publication worker writes one soon after anything goes live, comes down or is
re-certified, and at least every AUDIT_CHECKPOINT_INTERVAL while records are added
(`checkpoint_if_due`). The canonical form of a checkpoint is in docs/audit.md.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone

from contentapi.ledger import GENESIS, ChainedRecord, digest, iso_utc
from contentapi.models import AuditCheckpoint, CheckpointHead, CheckpointReason
from contentapi.signing import signature_verifies, signer

logger = logging.getLogger(__name__)

CHECKPOINT_FORM = 1
Heads = dict[str, tuple[int, str]]  # chain -> (seq, hash) of its last record


# ------------------------------------------------------------------------------
# The Merkle tree over chain heads (RFC 9162, section 2.1)
# ------------------------------------------------------------------------------
def leaf_hash(chain: str, seq: int, record_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + f"{chain}\n{seq}\n{record_hash}".encode()).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def _root(leaves: list[bytes], start: int, end: int) -> bytes:
    size = end - start
    if size == 0:
        return hashlib.sha256(b"").digest()
    if size == 1:
        return leaves[start]
    k = _split(size)
    return _node(_root(leaves, start, start + k), _root(leaves, start + k, end))


def tree_leaves(heads: Mapping[str, tuple[int, str]]) -> tuple[list[str], list[bytes]]:
    """The chains in tree order, and their leaf hashes."""
    chains = sorted(heads)
    return chains, [leaf_hash(chain, *heads[chain]) for chain in chains]


def tree_root(heads: Mapping[str, tuple[int, str]]) -> str:
    _, leaves = tree_leaves(heads)
    return _root(leaves, 0, len(leaves)).hex()


def inclusion_path(leaves: list[bytes], index: int) -> list[str]:
    """The sibling hashes from leaf `index` up to the root, nearest first."""
    path: list[str] = []
    start, end = 0, len(leaves)
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(_root(leaves, start + k, end).hex())
            end = start + k
        else:
            path.append(_root(leaves, start, start + k).hex())
            start += k
    return path[::-1]


def root_from_path(leaf: bytes, index: int, size: int, path: Iterable[str]) -> str | None:
    """The root that `path` leads to from `leaf` (RFC 9162, 2.1.3.2), or None if it cannot."""
    fn, sn, node = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        other = bytes.fromhex(sibling)
        if fn & 1 or fn == sn:
            node = _node(other, node)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = _node(node, other)
        fn, sn = fn >> 1, sn >> 1
    return node.hex() if sn == 0 else None


# ------------------------------------------------------------------------------
# What a checkpoint says, and its signature
# ------------------------------------------------------------------------------
# Everything a checkpoint's hash covers (docs/audit.md), in its canonical form 1.
CHECKPOINT_FIELDS = ("form", "seq", "at", "reason", "heads", "chains", "root", "previous")


def canonical_fields(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """The fields of CHECKPOINT_FIELDS, `at` as ISO 8601 in UTC."""
    fields = {name: getattr(checkpoint, name) for name in CHECKPOINT_FIELDS}
    return {**fields, "at": iso_utc(checkpoint.at)}


def checkpoint_document(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint as it is published and kept: its fields, hash, key id and signature."""
    return {
        **canonical_fields(checkpoint),
        "hash": checkpoint.hash,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


def checkpoint_fault(document: Mapping[str, Any]) -> str | None:
    """Why a published or kept checkpoint is not one this service signed, or None."""
    fields = {name: document.get(name) for name in CHECKPOINT_FIELDS}
    if fields["form"] != CHECKPOINT_FORM:
        return f"its form {fields['form']} is not one this service writes"
    digest_ = digest(fields)
    if digest_ != document.get("hash"):
        return "its hash does not match its fields"
    key_id, signature = str(document.get("key_id", "")), str(document.get("signature", ""))
    return signature_verifies("checkpoint", digest_, key_id, signature)


def checkpoint_make(
    model: type[Model],
    *,
    seq: int,
    at: datetime,
    reason: str,
    moved: Heads,
    all_heads: Heads,
    previous: str,
) -> Model:
    """A signed checkpoint, unsaved. `model` is AuditCheckpoint (or a migration's copy)."""
    checkpoint: Any = model(
        seq=seq,
        at=at,
        reason=reason,
        heads={chain: list(head) for chain, head in sorted(moved.items())},
        chains=len(all_heads),
        root=tree_root(all_heads),
        previous=previous,
        form=CHECKPOINT_FORM,
    )
    checkpoint.hash = digest(canonical_fields(checkpoint))
    key = signer()
    checkpoint.key_id, checkpoint.signature = key.key_id, key.sign("checkpoint", checkpoint.hash)
    return checkpoint


# ------------------------------------------------------------------------------
# The heads of every chain, now and as checkpoints saw them
# ------------------------------------------------------------------------------
def chained_models() -> list[type[ChainedRecord]]:
    """Every kind of chained record (article and topic events, credential events)."""
    return [model for model in apps.get_models() if issubclass(model, ChainedRecord)]


def current_heads() -> Heads:
    """The last record of every chain, as the database holds it now."""
    heads: Heads = {}
    for model in chained_models():
        if connection.vendor == "postgresql":
            rows = model.objects.order_by("chain", "-seq").distinct("chain")
        else:
            last = model.objects.filter(chain=OuterRef("chain")).order_by("-seq").values("seq")
            rows = model.objects.filter(seq=Subquery(last[:1]))
        heads.update(
            (chain, (seq, h)) for chain, seq, h in rows.values_list("chain", "seq", "hash")
        )
    return heads


def checkpointed_heads() -> Heads:
    """The head of every chain as the latest checkpoint states it."""
    return {c: (seq, h) for c, seq, h in CheckpointHead.objects.values_list("chain", "seq", "hash")}


# ------------------------------------------------------------------------------
# Writing checkpoints
# ------------------------------------------------------------------------------
class ChainsWentBack(Exception):
    """A chain is shorter than, or differs from, what the latest checkpoint saw: records were
    removed or rewritten. No checkpoint is written over that; `verify_audit` names it."""


# Functions the apps register (in their AppConfig.ready) that say whether new records of
# the moved chains include a change to what readers see: then a checkpoint is due at once.
# Each gets {chain: (seq in the latest checkpoint, seq now)}.
publication_detectors: list[Callable[[dict[str, tuple[int, int]]], bool]] = []


def _moved(now: Heads, before: Heads) -> Heads:
    gone = [
        chain
        for chain, (seq, h) in before.items()
        if chain not in now or now[chain][0] < seq or (now[chain][0] == seq and now[chain][1] != h)
    ]
    if gone:
        raise ChainsWentBack(
            f"{len(gone)} chain(s) lost or changed records a checkpoint saw, e.g. {gone[0]}: "
            "run `manage.py verify_audit`."
        )
    return {chain: head for chain, head in now.items() if before.get(chain) != head}


def _due_reason(
    moved: Heads, before: Heads, latest: AuditCheckpoint | None, now: datetime
) -> str | None:
    """Why a checkpoint is due over the chains that `moved`, or None: a change to what
    readers see at once, anything else once AUDIT_CHECKPOINT_INTERVAL has passed."""
    if not moved:
        return None
    steps = {chain: (before.get(chain, (0, ""))[0], seq) for chain, (seq, _) in moved.items()}
    if any(detect(steps) for detect in publication_detectors):
        return CheckpointReason.PUBLICATION
    interval = timedelta(seconds=settings.AUDIT_CHECKPOINT_INTERVAL)
    if latest is None or now - latest.at >= interval:
        return CheckpointReason.INTERVAL
    return None


def checkpoint_write(
    reason: str | None = None, *, at: datetime | None = None
) -> AuditCheckpoint | None:
    """Write a checkpoint if any chain moved since the latest one (or there is none yet).

    With `reason` None, only when one is due (`_due_reason`), with its reason: the worker's
    step. The heads are read once, under the latest checkpoint's row lock.
    """
    now = at or timezone.now()
    try:
        with transaction.atomic():
            latest = AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
            before = checkpointed_heads()
            moved = _moved(current_heads(), before)
            if reason is None:
                reason = _due_reason(moved, before, latest, now)
            if reason is None or (latest is not None and not moved):
                return None
            checkpoint = checkpoint_make(
                AuditCheckpoint,
                seq=(latest.seq + 1) if latest else 1,
                at=now,
                reason=reason,
                moved=moved,
                all_heads={**before, **moved},
                previous=latest.hash if latest else GENESIS,
            )
            checkpoint.save(force_insert=True)
            CheckpointHead.objects.bulk_create(
                [CheckpointHead(c, seq, h, checkpoint.seq) for c, (seq, h) in moved.items()],
                update_conflicts=True,
                unique_fields=["chain"],
                update_fields=["seq", "hash", "checkpoint"],
            )
            return checkpoint
    except IntegrityError:
        return None  # another process wrote this checkpoint first


def checkpoint_if_due(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """The worker's step: write the checkpoint that is due, if one is."""
    return checkpoint_write(at=now)


# ------------------------------------------------------------------------------
# Checking the database against its checkpoints, and against checkpoints kept elsewhere
# ------------------------------------------------------------------------------
def sealed_heads() -> Heads:
    """The unsigned records' heads that the checkpoint written when signing began seals."""
    first = AuditCheckpoint.objects.filter(seq=1, reason=CheckpointReason.SIGNING_BEGAN).first()
    if first is None:
        return {}
    return {chain: (int(seq), str(h)) for chain, (seq, h) in first.heads.items()}


def stored_checkpoints() -> list[dict[str, Any]]:
    return [checkpoint_document(c) for c in AuditCheckpoint.objects.order_by("seq")]


def checkpoints_wanted(kept: Iterable[Mapping[str, Any]]) -> set[tuple[str, int]]:
    """Every (chain, seq) a stored or kept checkpoint names: the records to look up."""
    wanted: set[tuple[str, int]] = set()
    for document in [*stored_checkpoints(), *kept]:
        wanted.update((chain, int(head[0])) for chain, head in document["heads"].items())
    return wanted


def _sequence_problems(documents: list[Mapping[str, Any]], where: str) -> Iterator[str]:
    """Signatures, the link from each checkpoint to the one before, and each root."""
    previous: Mapping[str, Any] | None = None
    heads: Heads = {}
    complete = False  # replayed from checkpoint 1 with no gap: `heads` is every chain's head
    for document in documents:
        seq = document.get("seq")
        fault = checkpoint_fault(document)
        if fault:
            yield f"checkpoint {seq} {where}: {fault}"
        follows = previous is not None and seq == previous["seq"] + 1
        if follows and document.get("previous") != previous["hash"]:
            yield (
                f"checkpoint {seq} {where} does not follow checkpoint {previous['seq']}: "
                "it names another checkpoint before it (a fork)"
            )
        if seq == 1 and document.get("previous") != GENESIS:
            yield f"checkpoint 1 {where} names a checkpoint before it"
        complete = seq == 1 or (complete and follows)
        moved = {c: (int(v[0]), str(v[1])) for c, v in document["heads"].items()}
        heads = {**heads, **moved} if complete else {}
        if complete and tree_root(heads) != document.get("root"):
            yield f"checkpoint {seq} {where}: its root is not the tree of the heads it states"
        previous = document


def _heads_problems(
    document: Mapping[str, Any], report: Any, where: str, seen: set[str]
) -> Iterator[str]:
    """The records a checkpoint saw, against the records the database holds now."""
    for chain, (seq, expected) in sorted(document["heads"].items()):
        if chain in seen:
            continue
        stored = report.found.get((chain, int(seq)))
        if stored == expected:
            continue
        seen.add(chain)
        now = report.heads.get(chain)
        name = f"checkpoint {document['seq']} {where}"
        if now is None:
            yield f"{chain} is missing, but {name} saw it at seq {seq}: the chain was removed"
        elif stored is None:
            yield (
                f"{chain} ends at seq {now[0]}, but {name} saw seq {seq}: the last "
                f"{int(seq) - now[0]} record(s) were removed"
            )
        else:
            yield (
                f"{chain} seq {seq} is not the record {name} saw: the chain was rewritten "
                "from there or before"
            )


def checkpoints_problems(report: Any, *, kept: list[Mapping[str, Any]]) -> list[str]:
    """What the database's checkpoints, and checkpoints kept elsewhere, say is wrong.

    `report` is the `ChainReport` of a walk over every record, made with
    `wanted=checkpoints_wanted(kept)`.
    """
    stored = stored_checkpoints()
    problems = list(_sequence_problems(stored, "in the database"))
    seen: set[str] = set()  # one problem per chain and source is enough
    for document in stored:
        problems += _heads_problems(document, report, "in the database", seen)
    seen = set()
    by_seq = {document["seq"]: document for document in stored}
    kept_sorted = sorted(
        {int(d["seq"]): d for d in kept}.values(), key=lambda document: int(document["seq"])
    )
    problems += _sequence_problems(kept_sorted, "kept outside")
    for document in kept_sorted:
        mine = by_seq.get(document["seq"])
        if mine is None:
            problems.append(
                f"checkpoint {document['seq']} kept outside is missing from the database"
            )
        elif mine["hash"] != document.get("hash"):
            problems.append(
                f"checkpoint {document['seq']} in the database is not the one kept outside "
                f"(hash {mine['hash'][:16]}... there, {str(document.get('hash'))[:16]}... kept): "
                "a fork"
            )
        problems += _heads_problems(document, report, "kept outside", seen)
    return problems


def load_checkpoints(source: str) -> list[dict[str, Any]]:
    """Checkpoints from a file (a JSON list, a page of the API, or one JSON value per line)
    or from the API's URL (following `next`)."""
    if source.startswith(("https://", "http://")):
        import httpx

        documents: list[dict[str, Any]] = []
        url: str | None = source
        while url:
            page = httpx.get(url, timeout=30, follow_redirects=True).raise_for_status().json()
            documents += page["results"]
            url = page.get("next")
        return documents
    try:
        with open(source, encoding="utf-8") as file:
            text = file.read()
    except OSError as exc:
        raise CheckpointsUnreadable(f"{source}: {exc.strerror}") from None
    try:
        values = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            values = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise CheckpointsUnreadable(f"{source}: not JSON ({exc})") from None
    documents = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and "results" in item:
                documents += item["results"]
            elif isinstance(item, dict) and "heads" in item:
                documents.append(item)
            else:
                raise CheckpointsUnreadable(f"{source}: holds something that is not a checkpoint")
    return documents


class CheckpointsUnreadable(CommandError):
    """A checkpoints file or URL that could not be read."""
