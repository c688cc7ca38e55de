"""Who is calling: staff by token (`Token <token>`), integrators by API key (`Api-Key <key>`)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request
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


class IntegratorKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: one indexed look-up by prefix, then a SHA-512 check."""

    keyword = "Api-Key"
    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[None, IntegratorKey] | None:
        key = self.key_parser.get(request)
        if key is None:
            return None
        try:
            api_key = IntegratorKey.objects.get_from_key(key.strip())
        except IntegratorKey.DoesNotExist:
            api_key = None
        if api_key is None or api_key.has_expired:
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")
        return None, api_key

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
