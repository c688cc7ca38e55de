"""The article audit trail beyond its links: the words each approval vouches for, the live
documents checked against them, and an article's proof for anyone to verify offline.

`manage.py verify_audit` runs the checks here after the chain checks of `contentapi.ledger`;
`GET /api/v1/articles/{slug}/proof/` serves `article_proof`.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from articles.content import RevisionContent
from articles.models import Article, ArticleStatus, AuditAction, AuditEvent, Revision
from articles.publication import live_document_render
from contentapi.checkpoints import (
    checkpoint_document,
    checkpointed_heads,
    inclusion_path,
    publication_detectors,
    root_from_path,
    tree_leaves,
)
from contentapi.ledger import LEGACY_FORM
from contentapi.models import AuditCheckpoint, CheckpointHead
from delivery.models import PublishedDocument
from delivery.rendering import document_content_hash

# Events that change what readers see: a checkpoint follows each soon.
PUBLICATION_ACTIONS = (
    AuditAction.PUBLISHED,
    AuditAction.UNPUBLISHED,
    AuditAction.REVIEW_CERTIFIED,
)
# Events whose `attests` name the hash of the words they vouch for.
APPROVING_ACTIONS = (AuditAction.APPROVED, AuditAction.REVIEW_CERTIFIED)


def publication_among(steps: dict[str, tuple[int, int]]) -> bool:
    """Whether the new records of these chains include a publication (for checkpoints)."""
    recent = Q()
    for chain, (before, now) in steps.items():
        if chain.startswith("article:"):
            recent |= Q(chain=chain, seq__gt=before, seq__lte=now)
    if not recent:
        return False
    return AuditEvent.objects.filter(recent, action__in=PUBLICATION_ACTIONS).exists()


publication_detectors.append(publication_among)


def chain_name(chain: str) -> str:
    """A chain as a person reads it: `article hand-washing (en)` for `article:12`."""
    kind, _, key = chain.partition(":")
    if kind == "article" and key.isdigit():
        found = Article.objects.filter(pk=int(key)).values_list("slug", "locale").first()
        if found:
            return f"article {found[0]} ({found[1]}, chain {chain})"
    return f"chain {chain}"


# ------------------------------------------------------------------------------
# The words behind every approval, and every live document
# ------------------------------------------------------------------------------
def _revision_place(revision: Revision) -> str:
    article = revision.article
    return f"article {article.slug} ({article.locale}) revision {revision.number}"


def approvals_problems() -> Iterator[str]:
    """Approvals whose recorded approver or words differ from what the revision holds now."""
    events = AuditEvent.objects.filter(action=AuditAction.APPROVED).order_by("revision_id", "seq")
    recorded = {e.revision_id: e for e in events.only("revision_id", "actor_id", "seq", "chain")}
    approved = (
        Revision.objects.filter(approved_by__isnull=False)
        .select_related("article")
        .only("number", "approved_by_id", "article__slug", "article__locale")
    )
    for revision in approved.iterator(chunk_size=500):
        event = recorded.get(revision.pk)
        if event is None or event.actor_id != revision.approved_by_id:
            yield (
                f"{_revision_place(revision)} names user {revision.approved_by_id} as its "
                f"approver, but its audit trail records "
                f"{event.actor_id if event else 'no approval'}"
            )
    signed = AuditEvent.objects.filter(action__in=APPROVING_ACTIONS).exclude(form=LEGACY_FORM)
    signed = signed.select_related("revision__article").prefetch_related(
        "revision__topics", "revision__codes"
    )
    for event in signed.iterator(chunk_size=500):
        revision = event.revision
        now = RevisionContent.of(revision).content_hash
        if event.attests.get("content_hash") != now:
            yield (
                f"{_revision_place(revision)}: its words are not the ones approved at "
                f"{event.chain} seq {event.seq} (content hash {event.attests.get('content_hash')}"
                f" approved, {now} now)"
            )


def _vouched_hashes() -> dict[int, set[str]]:
    """The content hashes signed approvals and re-certifications gave each revision."""
    vouched: dict[int, set[str]] = {}
    events = AuditEvent.objects.filter(action__in=APPROVING_ACTIONS).exclude(form=LEGACY_FORM)
    for revision_id, attests in events.values_list("revision_id", "attests").iterator():
        vouched.setdefault(revision_id, set()).add(attests.get("content_hash"))
    return vouched


def documents_problems() -> Iterator[str]:
    """Stored delivery documents that are not what their approved revision renders to."""
    live = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .select_related("last_reviewed_by", "live_revision")
        .order_by("pk")
    )
    stored = dict(PublishedDocument.objects.values_list("article_id", "body"))
    vouched_for = _vouched_hashes()
    for article in live.iterator(chunk_size=500):
        where = f"the live document of article {article.slug} ({article.locale})"
        body = stored.pop(article.pk, None)
        if body is None:
            yield f"{where} is missing"
            continue
        doc = json.loads(bytes(body))
        if "content_hash" not in doc:
            yield (
                f"{where} was rendered before documents carried a content hash: run "
                "`manage.py rerender_published`"
            )
            continue
        if doc["content_hash"] != document_content_hash(doc):
            yield f"{where} was changed: its words do not match its own content_hash"
        vouched = vouched_for.get(article.live_revision_id, set())
        if vouched and doc.get("content_hash") not in vouched:
            yield (
                f"{where} does not carry the words approved for revision "
                f"{article.live_revision.number}"
            )
        rendered = json.loads(live_document_render(article).body)
        differing = sorted(k for k in rendered.keys() | doc.keys() if rendered.get(k) != doc.get(k))
        if differing:
            yield (
                f"{where} differs from the rendering of its approved revision "
                f"{article.live_revision.number} in {', '.join(differing)} (edited in the "
                "database; or rendered with other settings, such as PUBLIC_BASE_URL or "
                "TIME_ZONE, than this command runs with; or by another version: `manage.py "
                "rerender_published` renders it again)"
            )
    for article_id in stored:
        yield f"a delivery document is stored for article {article_id}, which is not live"


# ------------------------------------------------------------------------------
# An article's proof
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Proof:
    body: dict[str, Any]
    # What the proof depends on, for caching: the chain's head and the latest checkpoint.
    version: str


def _record(event: AuditEvent) -> dict[str, Any]:
    if event.form == LEGACY_FORM:
        # Written before signing; its fields hold internal comments: shown by hash only.
        return {"seq": event.seq, "form": event.form, "hash": event.hash, "fields": None}
    return {
        "seq": event.seq,
        "form": event.form,
        "at": event.chained_fields()["at"],
        "action": event.action,
        "attests": event.attests,
        "fields": event.chained_fields(),
        "hash": event.hash,
        "key_id": event.key_id,
        "signature": event.signature,
    }


def _inclusion(chain: str, head: tuple[int, str]) -> dict[str, Any] | None:
    """The latest checkpoint and the path from this chain's head to its root, if the
    checkpoint includes that head (a checkpoint follows each publication within a minute)."""
    for _ in range(3):  # a checkpoint written while reading: read again
        checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
        leaf = CheckpointHead.objects.filter(chain=chain).values_list("seq", "hash").first()
        if checkpoint is None or leaf != head:
            return None
        chains, leaves = tree_leaves(checkpointed_heads())
        index = chains.index(chain)
        path = inclusion_path(leaves, index)
        if root_from_path(leaves[index], index, len(leaves), path) == checkpoint.root:
            return {
                "checkpoint": checkpoint_document(checkpoint),
                "leaf_index": index,
                "tree_size": len(leaves),
                "path": path,
            }
    return None


def article_proof(article: Article) -> Proof:
    """The signed records of a live article's chain, its head, and the path from the head to
    the Merkle root of a signed checkpoint: everything `examples/verify_proof.py` needs."""
    chain = f"article:{article.pk}"
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    head = (events[-1].seq, events[-1].hash)
    inclusion = _inclusion(chain, head)
    document = PublishedDocument.objects.filter(article_id=article.pk).values("body").first()
    content_hash = json.loads(bytes(document["body"])).get("content_hash") if document else None
    body = {
        "article": {
            "slug": article.slug,
            "locale": article.locale,
            "revision": article.live_revision.number if article.live_revision else None,
            "content_hash": content_hash,
        },
        "chain": chain,
        "records": [_record(event) for event in events],
        "head": {"seq": head[0], "hash": head[1]},
        "inclusion": inclusion,
    }
    checkpoint_seq = inclusion["checkpoint"]["seq"] if inclusion else 0
    return Proof(body, f"{head[0]}.{checkpoint_seq}")
