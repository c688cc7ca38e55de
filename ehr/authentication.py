"""`Authorization: Bearer <JWT>` for the CDS Hooks endpoints, when CDS_HOOKS_ISSUERS is set
(without it, a Bearer token is ignored: the endpoints then need a key unless they are open).

The EHR is then the principal: a delivery-scoped principal named by its issuer, rate limited
as an API key is. The `Api-Key` header keeps working for clients without JWTs.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from contentapi import throttling
from contentapi.models import Scope
from contentapi.principals import KeyPrincipal
from ehr.tokens import TokenRefused, verify


class CdsHooksJwtAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[None, KeyPrincipal] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if not settings.CDS_HOOKS_ISSUERS:
            # Not checked: every CDS Hooks EHR sends its JWT, and with the endpoints open
            # (INFOBUTTON_PUBLIC) it must still get its cards. Without them open, the
            # permission asks for a key.
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send 'Authorization: Bearer <JWT>'.")
        # The audience is this service's URL as the EHR called it (CDS Hooks: `aud`).
        audience = f"{settings.PUBLIC_BASE_URL}{request.path}"
        try:
            issuer = verify(header[1].decode("ascii", "replace"), audience=audience)
        except TokenRefused as exc:
            throttling.auth_failure_record(request)
            raise exceptions.AuthenticationFailed(f"The CDS Hooks JWT is refused: {exc}") from None
        return None, KeyPrincipal(
            prefix=f"cds-hooks:{issuer}",
            name=issuer,
            scopes=frozenset({Scope.DELIVERY.value}),
            rate=settings.RATE_LIMIT_DELIVERY,
        )

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="cds-hooks"'


class CdsHooksJwtScheme(OpenApiAuthenticationExtension):
    target_class = CdsHooksJwtAuthentication
    name = "CdsHooksJwt"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "CDS Hooks: a JWT the EHR signs (ES384 or RS384) with a key from its "
            "JWKS, `aud` this service's URL; the issuer must be in CDS_HOOKS_ISSUERS.",
        }
