"""Signing secrets: made here, shown once, stored encrypted with Fernet (cryptography).

`WEBHOOK_ENCRYPTION_KEY` holds one or more Fernet keys, comma-separated: the first encrypts,
all decrypt, so a key can be rotated without losing the secrets stored under the old one.
Without it, one key is derived from `SECRET_KEY`, so a database dump alone cannot sign.
"""

import base64
import hashlib
import secrets as random
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "whsec_"
SECRET_BYTES = 32  # Standard Webhooks asks for 24 to 64


def secret_generate() -> str:
    """A new signing secret, `whsec_` and base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(random.token_bytes(SECRET_BYTES)).decode()


@cache
def _fernet(keys: str, secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])
    derived = hashlib.sha256(b"contentapi webhook secrets\x00" + secret_key.encode()).digest()
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def fernet() -> MultiFernet:
    return _fernet(settings.WEBHOOK_ENCRYPTION_KEY, settings.SECRET_KEY)


def secret_encrypt(secret: str) -> str:
    return fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()
