"""Checks a server or worker process makes before it does any work: production secrets."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from contentapi.signing import public_keys, signer
from webhooks.secrets import KEYS_MISSING


def require_secret_key() -> None:
    """Stop start-up, naming the variable, when there is no SECRET_KEY (production)."""
    try:
        settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key when it is read
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable: it is required when DEBUG is off."
        ) from exc


def require_webhook_keys() -> None:
    """Stop start-up when no key encrypts webhook secrets (production; settings.py gives
    development one of its own)."""
    if not settings.WEBHOOK_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(KEYS_MISSING)


def require_audit_signing_key() -> None:
    """Stop start-up when no key signs the audit trail, or a configured key is not a key."""
    signer()
    public_keys()


def require_secrets() -> None:
    require_secret_key()
    require_webhook_keys()
    require_audit_signing_key()
