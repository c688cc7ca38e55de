"""Who is calling: staff by token (`Token <token>`), integrators by API key (`Api-Key <key>`)."""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from contentapi import throttling
from contentapi.models import IntegratorKey, StaffToken, User, token_digest
from contentapi.principals import KeyPrincipal
from contentapi.rates import Rate


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
        except UnicodeError:
            plain = ""
        token = (
            StaffToken.objects.active()
            .select_related("user")
            .filter(digest=token_digest(plain))
            .first()
        )
        if token is None or not token.user.is_active:
            throttling.auth_failure_record(request)
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


def key_cache_key(prefix: str) -> str:
    """Where the cache remembers a checked key: by its prefix, so revoking can forget it."""
    return f"api-key:{prefix}"


def _digest(key: str) -> str:
    return hashlib.sha512(key.encode()).hexdigest()


class IntegratorKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: djangorestframework-api-key checks the key.

    Delivery requests from one portal repeat the same key thousands of times a minute, so a
    valid key is remembered in the Django cache for API_KEY_CACHE_SECONDS (by its prefix,
    with the key's SHA-512, never the key itself): local memory by default, shared by every
    process with Redis. Revoking a key forgets it at once in a shared cache; a per-process
    cache may accept it until the time runs out. Invalid keys are never remembered.
    """

    keyword = "Api-Key"
    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[None, KeyPrincipal] | None:
        key = self.key_parser.get(request)
        if key is None:
            return None
        key = key.strip()
        prefix = key.partition(".")[0]
        digest = _digest(key)
        remembered = cache.get(key_cache_key(prefix)) if settings.API_KEY_CACHE_SECONDS else None
        if remembered is not None and hmac.compare_digest(remembered[0], digest):
            return None, remembered[1]
        try:
            principal = self._look_up(key)
        except exceptions.AuthenticationFailed:
            throttling.auth_failure_record(request)
            raise
        if settings.API_KEY_CACHE_SECONDS > 0:
            cache.set(
                key_cache_key(prefix), (digest, principal), timeout=settings.API_KEY_CACHE_SECONDS
            )
        return None, principal

    @staticmethod
    def _look_up(key: str) -> KeyPrincipal:
        try:
            api_key = IntegratorKey.objects.get_from_key(key)
        except IntegratorKey.DoesNotExist:
            api_key = None
        if api_key is None or api_key.has_expired:
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")
        return KeyPrincipal(
            prefix=api_key.prefix,
            name=api_key.name,
            scopes=frozenset(api_key.scopes),
            rate=Rate.parse(api_key.rate_limit)
            if api_key.rate_limit
            else settings.RATE_LIMIT_DELIVERY,
        )

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
