"""Ed25519 signatures over audit records and checkpoints, with a key the database never holds.

The private key comes from `AUDIT_SIGNING_KEY` (the service's environment); whoever can write
the database but not read that environment cannot make a record or a checkpoint that
verifies. Public keys are published (`/api/v1/audit/keys/`) by key id, so anyone can check a
signature offline. Rotation: the new private key signs, the old public keys stay listed in
`AUDIT_RETIRED_PUBLIC_KEYS` and keep verifying what they signed.

Every signed message starts with a purpose (`record`, `checkpoint`), so a signature made for
one kind of thing can never be passed off as the other.
"""

import base64
import binascii
import functools
import hashlib
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Purpose = Literal["record", "checkpoint"]
DOMAIN = "contentapi-audit"

KEY_MISSING = (
    "Set AUDIT_SIGNING_KEY: audit records and checkpoints are signed with it, and it is "
    "required when DEBUG is off. Make one with `python manage.py create_audit_signing_key` "
    "(docs/configuration.md)."
)


class SigningKeyInvalid(ImproperlyConfigured):
    """A configured key that is not a key."""


def _b64decode(text: str, what: str, length: int) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length:
        raise SigningKeyInvalid(
            f"{what} is not a base64-encoded {length}-byte Ed25519 key. Make a new signing key "
            "with `python manage.py create_audit_signing_key`."
        )
    return raw


def _public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public_raw: bytes) -> str:
    """A short name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def message(purpose: Purpose, digest: str) -> bytes:
    """What is signed: the purpose and the record's or checkpoint's hash (hex)."""
    return f"{DOMAIN}:{purpose}:{digest}".encode()


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    status: Literal["current", "retired"]

    def verifies(self, purpose: Purpose, digest: str, signature: str) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
            Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key)).verify(
                raw, message(purpose, digest)
            )
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    key_id: str
    private: Ed25519PrivateKey

    def sign(self, purpose: Purpose, digest: str) -> str:
        return base64.b64encode(self.private.sign(message(purpose, digest))).decode()


def new_private_key() -> str:
    """A new signing key, base64 of its 32 raw bytes: the value of AUDIT_SIGNING_KEY."""
    return base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()


def public_key_of(private_key: str) -> PublicKey:
    private = Ed25519PrivateKey.from_private_bytes(_b64decode(private_key, "AUDIT_SIGNING_KEY", 32))
    raw = _public_raw(private.public_key())
    return PublicKey(key_id_of(raw), base64.b64encode(raw).decode(), "current")


@functools.cache
def _signer(private_key: str) -> Signer:
    private = Ed25519PrivateKey.from_private_bytes(_b64decode(private_key, "AUDIT_SIGNING_KEY", 32))
    return Signer(key_id_of(_public_raw(private.public_key())), private)


def signer() -> Signer:
    """The key that signs now; stops with a clear message when none is configured."""
    if not settings.AUDIT_SIGNING_KEY:
        raise ImproperlyConfigured(KEY_MISSING)
    return _signer(settings.AUDIT_SIGNING_KEY)


@functools.cache
def _public_keys(private_key: str, retired: tuple[str, ...]) -> dict[str, PublicKey]:
    keys: dict[str, PublicKey] = {}
    if private_key:
        current = public_key_of(private_key)
        keys[current.key_id] = current
    for position, text in enumerate(retired, start=1):
        raw = _b64decode(text, f"AUDIT_RETIRED_PUBLIC_KEYS key {position}", 32)
        key_id = key_id_of(raw)
        keys.setdefault(key_id, PublicKey(key_id, base64.b64encode(raw).decode(), "retired"))
    return keys


def public_keys() -> dict[str, PublicKey]:
    """Every key a signature may have been made with, by key id: the current one first."""
    return _public_keys(settings.AUDIT_SIGNING_KEY, tuple(settings.AUDIT_RETIRED_PUBLIC_KEYS))


def signature_verifies(purpose: Purpose, digest: str, key_id: str, signature: str) -> str | None:
    """None when `signature` is a signature of `digest` by a known key; otherwise why not."""
    key = public_keys().get(key_id)
    if key is None:
        return f"it is signed with key {key_id or '(none)'}, which is not one of the service's keys"
    if not key.verifies(purpose, digest, signature):
        return f"its signature does not verify with key {key_id}"
    return None
