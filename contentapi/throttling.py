"""Rate limits counted in the Django cache, so every process sharing it shares the limit.

Fixed windows: a counter per client and window, created with the window's length as its
time to live and incremented atomically (with `CACHE_URL=redis://...`, SET NX EX and INCR in
one MULTI/EXEC, one round trip per request; a lock in the default per-process memory cache).
Three limits:

* each integrator key: `RATE_LIMIT_DELIVERY`, or the key's own `rate_limit`;
* each staff user: `RATE_LIMIT_STAFF`;
* each client address sending invalid credentials: `RATE_LIMIT_AUTH_FAILURES`; once over
  it, the address's invalid credentials get 429 instead of 401, while valid ones from the
  same address (everyone behind a hospital's NAT) still pass. Sign-in with a password is
  stricter: past the limit, the address's sign-ins are refused before the password is
  checked, since a password, unlike a token, can be guessed.

While the shared cache (Redis) is away, limits are not enforced (contentapi/cache.py counts
each skipped check), except for password sign-ins, which wait for it.

Every limited response carries `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset` (seconds); a refusal is 429 problem+json with `Retry-After`.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from contentapi.cache import CacheUnavailable, hit_count, require_shared_cache
from contentapi.models import User
from contentapi.principals import KeyPrincipal
from contentapi.rates import Rate


@dataclass(frozen=True)
class Decision:
    """One counted request: whether it may go on, and what the headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


def _window(rate: Rate) -> tuple[int, int]:
    now = time.time()
    # Rounded up: a client that waits the seconds it is told finds the next window open.
    return int(now // rate.seconds), max(1, math.ceil(rate.seconds - now % rate.seconds))


def count_hit(name: str, rate: Rate) -> Decision:
    """Count one request against `name`'s limit in the current window."""
    window, reset = _window(rate)
    used = hit_count(f"rate:{name}:{rate.seconds}:{window}", timeout=rate.seconds + 1)
    return Decision(used <= rate.count, rate.count, max(0, rate.count - used), reset)


def peek(name: str, rate: Rate) -> Decision:
    """The current count of `name` without adding to it."""
    window, reset = _window(rate)
    used = cache.get(f"rate:{name}:{rate.seconds}:{window}", 0)
    return Decision(used < rate.count, rate.count, max(0, rate.count - used), reset)


def remember(request: Request | HttpRequest, decision: Decision) -> None:
    """Keep the decision on the request, for the middleware that writes the headers."""
    django_request = getattr(request, "_request", request)
    django_request.rate_limit = decision


class RateLimited(exceptions.Throttled):
    default_detail = "Too many requests."
    default_code = "rate-limited"

    def __init__(self, decision: Decision, what: str) -> None:
        # APIException's own constructor: Throttled's would append its own wait sentence.
        exceptions.APIException.__init__(
            self,
            detail=f"Too many requests {what}: at most {decision.limit} per window; "
            f"try again in {decision.reset} s.",
        )
        self.wait = decision.reset


def client_address(request: Request | HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the proxy-added entry of X-Forwarded-For when
    NUM_PROXIES says how many proxies stand in front (never what the client claims)."""
    return BaseThrottle().get_ident(request)  # honours REST_FRAMEWORK["NUM_PROXIES"]


# ------------------------------------------------------------------------------
# Invalid credentials, by client address (called by the authentication classes)
# ------------------------------------------------------------------------------
def auth_failure_record(request: Request) -> None:
    """Count one invalid credential from this address; past the limit, 429 instead of 401.

    Only invalid credentials are counted and refused: a valid token or key from the same
    address (a hospital's NAT puts every portal and editor behind one) is never held back,
    so a guesser slows nobody else. Tokens and keys carry 256 random bits; what the limit
    buys is a cap on the noise and on the look-ups one address can cause."""
    try:
        decision = count_hit(
            f"auth-failures:{client_address(request)}", settings.RATE_LIMIT_AUTH_FAILURES
        )
    except CacheUnavailable:
        return  # not counted while the cache is away: the request is a 401 all the same
    remember(request, decision)
    if not decision.allowed:
        raise RateLimited(decision, "with invalid credentials from your address")


# ------------------------------------------------------------------------------
# The throttle every API view uses
# ------------------------------------------------------------------------------
class ClientRateThrottle(BaseThrottle):
    """Per integrator key, per staff user, or per address for public delivery."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, KeyPrincipal):
            name, rate = f"key:{request.auth.prefix}", request.auth.rate
            what = "for this API key"
        elif isinstance(request.user, User):
            name, rate = f"staff:{request.user.pk}", settings.RATE_LIMIT_STAFF
            what = "for this staff user"
        else:
            name, rate = f"address:{self.get_ident(request)}", settings.RATE_LIMIT_DELIVERY
            what = "from your address"
        try:
            decision = count_hit(name, rate)
        except CacheUnavailable:
            return True  # not enforced while the cache is away (counted as skipped)
        remember(request, decision)
        if not decision.allowed:
            raise RateLimited(decision, what)
        return True


# ------------------------------------------------------------------------------
# Failed sign-ins to the review pages, by client address and by username
# ------------------------------------------------------------------------------
# The address counter is the API's own: wrong passwords and wrong tokens from one address
# share one budget. The username counter stops a guesser who spreads over many addresses
# (at the price that they can make a user wait: RATE_LIMIT_AUTH_FAILURES' window at most).
def _sign_in_names(request: HttpRequest, username: str) -> list[str]:
    # The username as typed is any text: its digest makes a cache key every backend takes.
    typed = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"auth-failures:{client_address(request)}", f"sign-in-failures:{typed}"]


def sign_in_blocked(request: HttpRequest, username: str) -> Decision | None:
    """The refusal for a sign-in from this address or for this username, if either has
    failed too often in this window; checked before the password is.

    CacheUnavailable while Redis is away: passwords can be guessed, so sign-in waits for
    the limiter rather than going on without it."""
    require_shared_cache()
    rate = settings.RATE_LIMIT_AUTH_FAILURES
    for name in _sign_in_names(request, username):
        decision = peek(name, rate)
        if not decision.allowed:
            return decision
    return None


def sign_in_failure_record(request: HttpRequest, username: str) -> None:
    """Count one failed sign-in against the address and against the username."""
    for name in _sign_in_names(request, username):
        count_hit(name, settings.RATE_LIMIT_AUTH_FAILURES)
