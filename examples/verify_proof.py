#!/usr/bin/env python3
"""Check, offline, who approved the words of a live article and when: nothing of ours needed.

Given an article's proof (`GET /api/v1/articles/{slug}/proof/`), its delivery document
(`GET /api/v1/articles/{slug}/`) and the service's public keys (`GET /api/v1/audit/keys/`,
best pinned: fetched once, kept, compared), it checks that

* every audit record of the article links to the one before (SHA-256 over the previous hash
  and the record's canonical JSON) and carries a valid Ed25519 signature by a listed key;
* the chain's head is in the Merkle tree of a signed checkpoint (RFC 9162 inclusion path);
* the document's words hash to its `content_hash` and to the hash a clinician's signed
  approval (or re-certification) of the live revision recorded;

and prints who approved the live wording, with credentials, and when. Exit status 0 when all
of it holds, 1 naming what does not.

    python examples/verify_proof.py --base-url http://127.0.0.1:8000 --api-key KEY \\
        understanding-your-a1c
    python examples/verify_proof.py --proof proof.json --document doc.json --keys keys.json

Standard library plus `cryptography` (for Ed25519). The formats are in docs/audit.md.
"""

import argparse
import base64
import hashlib
import json
import sys
import urllib.parse
import urllib.request
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
APPROVING = ("approved", "review_certified")


class NotVerified(Exception):
    """Something in the proof does not hold."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_signature(keys: dict[str, str], purpose: str, digest: str, key_id: str, sig: str) -> None:
    if key_id not in keys:
        raise NotVerified(f"signed with key {key_id!r}, which is not among the public keys")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(keys[key_id])).verify(
            base64.b64decode(sig), f"contentapi-audit:{purpose}:{digest}".encode()
        )
    except (InvalidSignature, ValueError) as exc:
        raise NotVerified(f"the {purpose} signature of {digest[:16]}... does not verify") from exc


def check_records(proof: dict[str, Any], keys: dict[str, str]) -> None:
    previous = GENESIS
    for expected_seq, record in enumerate(proof["records"], start=1):
        where = f"record {record.get('seq')}"
        if record["seq"] != expected_seq:
            raise NotVerified(f"{where}: expected seq {expected_seq}, a record is missing")
        fields = record.get("fields")
        if record["form"] == 1:
            # Written before signing began: shown by hash only, vouched for by the checkpoint
            # that sealed them and by every signed record after it.
            previous = record["hash"]
            continue
        if (
            fields is None
            or fields.get("chain") != proof["chain"]
            or fields["seq"] != record["seq"]
        ):
            raise NotVerified(f"{where}: its fields are not those of this chain and position")
        if fields.get("attests") != record.get("attests"):
            raise NotVerified(f"{where}: what it shows is not what its hash covers")
        if sha256_hex(previous.encode() + canonical(fields)) != record["hash"]:
            raise NotVerified(
                f"{where}: its hash does not follow from its fields and the record before"
            )
        check_signature(keys, "record", record["hash"], record["key_id"], record["signature"])
        previous = record["hash"]
    head = proof["head"]
    if (head["seq"], head["hash"]) != (len(proof["records"]), previous):
        raise NotVerified("the chain's head is not its last record")


def leaf_hash(chain: str, seq: int, record_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + f"{chain}\n{seq}\n{record_hash}".encode()).digest()


def root_from_path(leaf: bytes, index: int, size: int, path: list[str]) -> str | None:
    """RFC 9162, 2.1.3.2."""
    fn, sn, node = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        other = bytes.fromhex(sibling)
        if fn & 1 or fn == sn:
            node = hashlib.sha256(b"\x01" + other + node).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = hashlib.sha256(b"\x01" + node + other).digest()
        fn, sn = fn >> 1, sn >> 1
    return node.hex() if sn == 0 else None


CHECKPOINT_FIELDS = ("form", "seq", "at", "reason", "heads", "chains", "root", "previous")


def check_inclusion(proof: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    inclusion = proof.get("inclusion")
    if not inclusion:
        raise NotVerified(
            "no signed checkpoint includes this chain's newest record yet (one is written "
            "within a minute of a publication): try again shortly"
        )
    checkpoint = inclusion["checkpoint"]
    fields = {name: checkpoint[name] for name in CHECKPOINT_FIELDS}
    if sha256_hex(canonical(fields)) != checkpoint["hash"]:
        raise NotVerified(f"checkpoint {checkpoint['seq']}: its hash does not match its fields")
    check_signature(
        keys, "checkpoint", checkpoint["hash"], checkpoint["key_id"], checkpoint["signature"]
    )
    head = proof["head"]
    leaf = leaf_hash(proof["chain"], head["seq"], head["hash"])
    root = root_from_path(leaf, inclusion["leaf_index"], inclusion["tree_size"], inclusion["path"])
    if inclusion["tree_size"] != checkpoint["chains"] or root != checkpoint["root"]:
        raise NotVerified(f"the chain's head is not in the tree of checkpoint {checkpoint['seq']}")
    return checkpoint


def content_hash(document: dict[str, Any]) -> str:
    """The hash of the words a document shows (docs/audit.md, content form 1)."""
    return sha256_hex(
        canonical(
            {
                "form": 1,
                "title": document["title"],
                "summary": document["summary"],
                "body_markdown": document["body_markdown"],
                "editor_note": document["editor_note"],
                "topics": sorted(topic["slug"] for topic in document["topics"]),
                "codes": sorted([c["system"], c["code"], c["display"]] for c in document["codes"]),
                "sources": document["sources"],
                "authors": [
                    {"name": a["name"], "credentials": a.get("credentials", "")}
                    for a in document["authors"]
                ],
            }
        )
    )


def check_document(proof: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The signed approval of the words this document shows; returns that record."""
    words = content_hash(document)
    if words != document.get("content_hash"):
        raise NotVerified("the document's words do not hash to its content_hash: it was changed")
    if (
        words != proof["article"]["content_hash"]
        or document["revision"] != proof["article"]["revision"]
    ):
        raise NotVerified("the document is not the live revision the proof is about")
    approvals = [
        record
        for record in proof["records"]
        if record.get("action") in APPROVING
        and record["attests"].get("revision") == document["revision"]
        and record["attests"].get("content_hash") == words
    ]
    if not approvals:
        raise NotVerified(
            f"no signed approval in the proof is for these words (revision {document['revision']})"
        )
    return approvals[0]


def verify(proof: dict[str, Any], document: dict[str, Any], keys: dict[str, str]) -> list[str]:
    """Check everything; the lines to print when it all holds."""
    check_records(proof, keys)
    checkpoint = check_inclusion(proof, keys)
    approval = check_document(proof, document)
    by = approval["attests"]["by"]
    lines = [
        f"{document['title']} ({proof['article']['slug']}, {proof['article']['locale']}), "
        f"revision {document['revision']}:",
        f"  approved by {by['name']}, {by['credentials']} at {approval['at']}"
        f" (audit record {approval['seq']}, signed by key {approval['key_id']})",
    ]
    for record in proof["records"]:
        if record.get("action") == "review_certified" and record["seq"] > approval["seq"]:
            by = record["attests"]["by"]
            lines.append(f"  re-certified by {by['name']}, {by['credentials']} at {record['at']}")
    lines.append(
        f"  {len(proof['records'])} audit records verified; the chain's head is in checkpoint "
        f"{checkpoint['seq']} of {checkpoint['at']} (root {checkpoint['root'][:16]}..., "
        f"signed by key {checkpoint['key_id']})."
    )
    words = document["content_hash"][:16]
    lines.append(f"  The document's words are the approved words (content hash {words}...).")
    return lines


def _get(url: str, api_key: str | None) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if api_key:
        request.add_header("Authorization", f"Api-Key {api_key}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _read(path: str) -> Any:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug", nargs="?", help="The article's slug (with --base-url).")
    parser.add_argument("--base-url", help="The service, e.g. https://content.hospital.example")
    parser.add_argument("--api-key", help="A delivery API key, if the service needs one.")
    parser.add_argument(
        "--locale", default="", help="The article's locale (default: the service's)."
    )
    parser.add_argument("--proof", help="A saved proof (JSON file) instead of fetching it.")
    parser.add_argument("--document", help="A saved delivery document (JSON file).")
    parser.add_argument("--keys", help="Saved public keys (the JSON of /api/v1/audit/keys/).")
    args = parser.parse_args(argv)
    try:
        if args.base_url and args.slug:
            base = args.base_url.rstrip("/")
            slug = urllib.parse.quote(args.slug)
            query = f"?locale={urllib.parse.quote(args.locale)}" if args.locale else ""
            proof = _get(f"{base}/api/v1/articles/{slug}/proof/{query}", args.api_key)
            document = _get(f"{base}/api/v1/articles/{slug}/{query}", args.api_key)
            listed = _read(args.keys) if args.keys else _get(f"{base}/api/v1/audit/keys/", None)
        elif args.proof and args.document and args.keys:
            proof, document, listed = _read(args.proof), _read(args.document), _read(args.keys)
        else:
            parser.error("give --base-url and a slug, or --proof, --document and --keys")
        keys = {key["key_id"]: key["public_key"] for key in listed["keys"]}
        lines = verify(proof, document, keys)
    except NotVerified as failure:
        print(f"NOT VERIFIED: {failure}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as failure:
        print(f"Could not read the proof: {failure}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
