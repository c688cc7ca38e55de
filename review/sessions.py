"""Sign-in sessions whose keys are stored hashed, so a database dump opens nothing.

Django's database store keeps each session under the very key the browser's cookie holds:
anyone who reads a dump can sign in as whoever was signed in. This store keeps only a
SHA-256 digest of the key (40 hex digits, the column's width); the cookie still carries the
key itself, which is hashed before every lookup.
"""

import hashlib
import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


def stored_key(session_key: str) -> str:
    """What the database keeps for a session key: its digest."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    """Django's database store, with every lookup and write by the key's digest."""

    def _get_session_from_db(self) -> Session | None:
        try:
            return self.model.objects.get(**self._live_row())
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            self._not_found(exc)
            return None

    async def _aget_session_from_db(self) -> Session | None:
        try:
            return await self.model.objects.aget(**self._live_row())
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            self._not_found(exc)
            return None

    def _live_row(self) -> dict[str, Any]:
        key = stored_key(self.session_key) if self.session_key else ""
        return {"session_key": key, "expire_date__gt": timezone.now()}

    def _not_found(self, exc: Exception) -> None:
        if isinstance(exc, SuspiciousOperation):
            logging.getLogger(f"django.security.{type(exc).__name__}").warning(str(exc))
        self._session_key = None

    def exists(self, session_key: str) -> bool:
        return super().exists(stored_key(session_key))

    async def aexists(self, session_key: str) -> bool:
        return await super().aexists(stored_key(session_key))

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        instance = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> Session:
        instance = await super().acreate_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is not None:
            super().delete(stored_key(key))

    async def adelete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is not None:
            await super().adelete(stored_key(key))
