"""Signing secrets: made here, shown once, stored encrypted with Fernet (cryptography).

`WEBHOOK_ENCRYPTION_KEYS` lists Fernet keys, newest first: the first encrypts, every one
decrypts (MultiFernet). A key is rotated by putting a new one in front, running
`manage.py rotate_webhook_encryption` (every stored secret is re-encrypted under it) and
then dropping the old one. The keys are a secret of their own: a database dump alone cannot
sign, and changing `SECRET_KEY` changes nothing here.

Secrets stored before that setting existed were encrypted under a key derived from
`SECRET_KEY`; that key is tried last, so they still decrypt while `SECRET_KEY` is unchanged,
until `rotate_webhook_encryption` moves them under the configured keys.
"""

import base64
import hashlib
import secrets as random
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "whsec_"
SECRET_BYTES = 32  # Standard Webhooks asks for 24 to 64

MAKE_A_KEY = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)
KEYS_MISSING = (
    "Set WEBHOOK_ENCRYPTION_KEYS (Fernet keys, newest first, comma-separated): it is required "
    f"when DEBUG is off. Make one with: {MAKE_A_KEY}"
)


class SecretUnreadable(Exception):
    """A stored secret that none of the keys decrypts (a key was dropped too early)."""


def secret_generate() -> str:
    """A new signing secret, `whsec_` and base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(random.token_bytes(SECRET_BYTES)).decode()


def legacy_key(secret_key: str) -> bytes:
    """The key earlier versions derived from SECRET_KEY (decrypts what they stored)."""
    derived = hashlib.sha256(b"contentapi webhook secrets\x00" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(derived)


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    fernets = [Fernet(key.encode()) for key in keys]
    if secret_key:
        fernets.append(Fernet(legacy_key(secret_key)))
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    keys = tuple(key.strip() for key in settings.WEBHOOK_ENCRYPTION_KEYS if key.strip())
    if not keys:
        raise ImproperlyConfigured(KEYS_MISSING)
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # none set: nothing was stored under a key derived from it
        secret_key = ""
    return _fernet(keys, secret_key)


def secret_encrypt(secret: str) -> str:
    return fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "Its signing secret cannot be decrypted with any key in WEBHOOK_ENCRYPTION_KEYS: "
            "put back the key it was stored under (or rotate its secret)."
        ) from None


def secret_reencrypt(token: str) -> str:
    """The same secret, encrypted under the newest key (SecretUnreadable if no key reads it)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("No key in WEBHOOK_ENCRYPTION_KEYS decrypts it.") from None
