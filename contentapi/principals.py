"""Who a request authenticated as, beyond a staff user: the integrator behind an API key.

Authentication makes one, permissions and rate limits read it; it depends on neither.
"""

from dataclasses import dataclass

from contentapi.rates import Rate


@dataclass(frozen=True)
class KeyPrincipal:
    """The integrator a valid API key belongs to (request.auth on the delivery API)."""

    prefix: str
    name: str
    scopes: frozenset[str]
    rate: Rate

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
