"""Who is calling: staff by token (`Token <token>`), integrators by API key (`Api-Key <key>`)."""

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.permissions import KeyParser

from contentapi.models import IntegratorKey, StaffToken, User, token_digest


class StaffTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, StaffToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid token header: use 'Authorization: Token <token>'."
            )
        try:
            plain = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        token = (
            StaffToken.objects.active()
            .select_related("user")
            .filter(digest=token_digest(plain))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = StaffTokenAuthentication
    name = "StaffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Staff token: `Authorization: Token <token>` "
            "(made by `manage.py create_staff_user`).",
        }


@dataclass(frozen=True)
class KeyPrincipal:
    """The integrator a valid API key belongs to (request.auth on the delivery API)."""

    prefix: str
    name: str
    scopes: frozenset[str]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


_KEY_TABLE = IntegratorKey._meta.db_table
_KEY_SQL = (
    f"SELECT hashed_key, name, scopes FROM {_KEY_TABLE} "
    "WHERE prefix = %s AND revoked = %s AND (expiry_date IS NULL OR expiry_date > %s)"
)
_hasher = KeyGenerator()


class RecentKeys:
    """Keys this process checked in the last few seconds (API_KEY_CACHE_SECONDS).

    Delivery requests from one portal repeat the same key thousands of times a minute;
    remembering a valid key briefly saves a database round trip per request. A revoked key
    therefore stops working within that many seconds (responses are cacheable for
    DELIVERY_MAX_AGE anyway). Entries are keyed by the key's SHA-512, never the key itself.
    Only valid keys are remembered.
    """

    def __init__(self, max_entries: int = 1024) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, tuple[float, KeyPrincipal]] = OrderedDict()
        self._lock = threading.Lock()
        self.clock = time.monotonic

    def get(self, digest: bytes) -> KeyPrincipal | None:
        ttl = settings.API_KEY_CACHE_SECONDS
        if ttl <= 0:
            return None
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            if self.clock() - entry[0] > ttl:
                del self._entries[digest]
                return None
            return entry[1]

    def put(self, digest: bytes, principal: KeyPrincipal) -> None:
        if settings.API_KEY_CACHE_SECONDS <= 0:
            return
        with self._lock:
            self._entries[digest] = (self.clock(), principal)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


recent_keys = RecentKeys()


class IntegratorKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: one indexed look-up by prefix, then a SHA-512 check.

    This runs on every delivery request, so the look-up is one SQL statement rather than
    the library's ORM query (same table, same hash, same rules: not revoked, not expired).
    """

    keyword = "Api-Key"
    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[None, KeyPrincipal] | None:
        key = self.key_parser.get(request)
        if key is None:
            return None
        key = key.strip()
        digest = hashlib.sha512(key.encode()).digest()
        principal = recent_keys.get(digest)
        if principal is None:
            principal = self._look_up(key)
            recent_keys.put(digest, principal)
        return None, principal

    @staticmethod
    def _look_up(key: str) -> KeyPrincipal:
        prefix, _, _ = key.partition(".")
        with connection.cursor() as cursor:
            cursor.execute(_KEY_SQL, [prefix, False, timezone.now()])
            row = cursor.fetchone()
        if row is None or not _hasher.verify(key, row[0]):
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")
        scopes = json.loads(row[2]) if isinstance(row[2], str) else row[2]
        return KeyPrincipal(prefix=prefix, name=row[1], scopes=frozenset(scopes))

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IntegratorKeyScheme(OpenApiAuthenticationExtension):
    target_class = IntegratorKeyAuthentication
    name = "IntegratorKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Integrator key: `Authorization: Api-Key <key>` "
            "(made by `manage.py create_api_key`), with the `delivery` or `preview` scope.",
        }
