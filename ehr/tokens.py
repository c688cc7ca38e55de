"""CDS Hooks authentication: the JWT an EHR signs and sends as `Authorization: Bearer`.

As the CDS Hooks specification has it, the EHR signs a short-lived JWT with a private key and
publishes the public key in a JWKS at a URL of its own. `CDS_HOOKS_ISSUERS` maps each EHR
this service trusts (its `iss`) to that URL. A token is accepted when its `iss` is one of
them; it is signed with ES384 or RS384 (the algorithms the specification names) by the key of
that JWKS its `kid` names (fetched, and kept for `JWKS_CACHE_SECONDS`; an unknown `kid`
fetches again, so an EHR's key rotation needs nothing here); `aud` is this service's URL as
the EHR called it; `exp` has not passed; `iat` is not in the future; and its `jti` has not been
used before (remembered in the shared cache until the token expires). Each refusal says which
of these failed, never more of the token than its header and claims' names.
"""

import hashlib
import time
from functools import cache

import jwt
from django.conf import settings
from django.core.cache import caches

from contentapi.cache import require_shared_cache

ALGORITHMS = ("ES384", "RS384")
LEEWAY_SECONDS = 5  # clock skew allowed between the EHR and this service
JWKS_CACHE_SECONDS = 300
JWKS_TIMEOUT_SECONDS = 5
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]


class TokenRefused(Exception):
    """The token is not one this service accepts; the message says why."""


@cache
def _jwks(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(
        url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS, timeout=JWKS_TIMEOUT_SECONDS
    )


def verify(token: str, *, audience: str) -> str:
    """The issuer of a valid, unused CDS Hooks JWT meant for `audience`, or TokenRefused.

    Remembers its `jti` (CacheUnavailable while the shared cache is away: without it a
    replay could not be told)."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise TokenRefused(f"it is not a JWT ({exc}).") from None
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise TokenRefused(f"it is signed with {algorithm!r}; CDS Hooks uses ES384 or RS384.")
    issuer = unverified.get("iss")
    jwks_url = settings.CDS_HOOKS_ISSUERS.get(issuer) if isinstance(issuer, str) else None
    if jwks_url is None:
        raise TokenRefused(f"its issuer {issuer!r} is not one CDS_HOOKS_ISSUERS trusts.")
    try:
        key = _jwks(jwks_url).get_signing_key_from_jwt(token)
    except jwt.PyJWKClientConnectionError:
        raise TokenRefused(f"the issuer's JWKS ({jwks_url}) could not be fetched.") from None
    except jwt.PyJWKClientError:
        raise TokenRefused(
            f"no key in the issuer's JWKS ({jwks_url}) has the token's kid {header.get('kid')!r}."
        ) from None
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidSignatureError:
        raise TokenRefused(
            f"its signature does not verify with the issuer's key {header.get('kid')!r}."
        ) from None
    except jwt.ExpiredSignatureError:
        raise TokenRefused("it has expired (exp).") from None
    except jwt.ImmatureSignatureError:
        raise TokenRefused("it was issued in the future (iat) or is not valid yet (nbf).") from None
    except jwt.InvalidAudienceError:
        raise TokenRefused(
            f"its audience (aud) is not this service: expected {audience}."
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRefused(f"it has no {exc.claim} claim.") from None
    except jwt.InvalidTokenError as exc:
        raise TokenRefused(f"it is not valid ({exc}).") from None
    _first_use(issuer, str(claims["jti"]), expires=float(claims["exp"]))
    return issuer


def _first_use(issuer: str, jti: str, *, expires: float) -> None:
    """Remember the token's id until it expires; TokenRefused if it was seen already."""
    require_shared_cache()
    digest = hashlib.sha256(f"{issuer}\x00{jti}".encode()).hexdigest()
    lifetime = max(1, int(expires - time.time() + LEEWAY_SECONDS) + 1)
    if not caches["default"].add(f"cds-jti:{digest}", 1, timeout=lifetime):
        raise TokenRefused(f"its jti {jti!r} was used before (a replayed token).")
