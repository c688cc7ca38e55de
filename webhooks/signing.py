"""Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`.

During a secret rotation both secrets sign, space-separated, as the specification allows, so
a receiver verifies with whichever secret it has.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable

from webhooks.secrets import PREFIX


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_header(
    secrets: Iterable[str], *, message_id: str, timestamp: int, body: bytes
) -> str:
    """The `webhook-signature` value: one signature per secret, space-separated."""
    return " ".join(
        signature(secret, message_id=message_id, timestamp=timestamp, body=body)
        for secret in secrets
    )
