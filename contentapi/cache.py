"""The shared cache (Redis), and carrying on without it when it is away.

Nothing the service keeps in the cache is the only copy: rate-limit counts, API keys just
checked, EHR answers, rendered previews. So a Redis that stops answering must cost speed and
the enforcement of limits, never a request: `ResilientRedisCache` is Django's RedisCache
whose reads miss and whose writes are dropped while Redis is away, and whose counters raise
`CacheUnavailable` so that the rate limiter can say what it skipped. After a failure it
leaves Redis alone for `RETRY_SECONDS` (requests do not each wait on a dead server), logs a
warning at most once a minute, and counts every operation it skipped
(`contentapi_cache_unavailable_total`).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from prometheus_client import Counter
from redis.exceptions import RedisError

logger = logging.getLogger("contentapi.cache")

RETRY_SECONDS = 5.0  # after a failure, how long Redis is left alone
WARN_EVERY_SECONDS = 60.0
# Redis on the same network answers in well under a millisecond; a stuck one must not hold
# a request for long (the defaults of redis-py wait forever).
SOCKET_TIMEOUT_SECONDS = 0.5

SKIPPED = Counter(
    "contentapi_cache_unavailable_total",
    "Cache operations skipped because Redis was away, by operation (rate-limit checks among them).",
    ["operation"],
)

T = TypeVar("T")


class CacheUnavailable(Exception):
    """The shared cache does not answer; what needs it cannot be done now."""


class _Outage:
    """When Redis last failed in this process, shared by every cache alias using it."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.warned_at = -WARN_EVERY_SECONDS
        self.lock = threading.Lock()

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def record(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_SECONDS
            warn = now - self.warned_at >= WARN_EVERY_SECONDS
            if warn:
                self.warned_at = now
        if warn:
            logger.warning(
                "The cache (Redis) is away (%s); carrying on without it: rate limits are not "
                "enforced and nothing is cached until it is back.",
                type(exc).__name__,
            )


OUTAGE = _Outage()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that degrades instead of failing while Redis is away."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)

    def _guarded(
        self, operation: str, fallback: Callable[[], T], method: str, *args: Any, **kwargs: Any
    ) -> T:
        """RedisCache's `method`, or `fallback()` while Redis is away."""
        return self._protected(operation, fallback, getattr(super(), method), *args, **kwargs)

    def _protected(
        self, operation: str, fallback: Callable[[], T], call: Callable[..., T], *args: Any,
        **kwargs: Any,
    ) -> T:  # fmt: skip
        """`call(...)`, or `fallback()` while Redis is away."""
        if OUTAGE.is_down():
            SKIPPED.labels(operation).inc()
            return fallback()
        try:
            return call(*args, **kwargs)
        except RedisError as exc:
            OUTAGE.record(operation, exc)
            SKIPPED.labels(operation).inc()
            return fallback()

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter `key`, created with `timeout` seconds to live when it is
        not there, and return it: CacheUnavailable while Redis is away (`hit_count`)."""
        return self._protected("incr", _unavailable, self._count, key, timeout)

    def _count(self, key: str, timeout: int) -> int:
        # SET NX EX then INCR, in one MULTI/EXEC sent at once: one round trip, and the
        # counter never outlives its window (an INCR alone would create one that never
        # expires). Django's incr() asks whether the key exists first: two round trips.
        key = self.make_and_validate_key(key)
        with self._cache.get_client(key, write=True).pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            return pipe.execute()[1]

    def ping(self) -> None:
        """CacheUnavailable unless Redis answers (or is left alone after a failure)."""
        if OUTAGE.is_down():
            raise CacheUnavailable
        try:
            self._cache.get_client().ping()
        except RedisError as exc:
            OUTAGE.record("ping", exc)
            raise CacheUnavailable from exc

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", lambda: default, "get", key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._guarded("get", dict, "get_many", keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("get", lambda: False, "has_key", key, version)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._guarded("set", lambda: None, "set", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return self._guarded("set", list, "set_many", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._guarded("set", lambda: False, "add", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._guarded("set", lambda: False, "touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._guarded("delete", lambda: False, "delete", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._guarded("delete", lambda: None, "delete_many", *args, **kwargs)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guarded("incr", _unavailable, "incr", key, delta, version)


def _unavailable() -> Any:
    raise CacheUnavailable


def hit_count(key: str, timeout: int) -> int:
    """Count one hit on the counter `key` in the default cache and return the count so far;
    the counter is created with `timeout` seconds to live. With Redis: one round trip
    (`ResilientRedisCache.count`), CacheUnavailable while it is away. With the per-process
    cache: its locked incr()."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        return cache.count(key, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Only the first hit of a window creates the counter; add() loses to a concurrent
        # creator, whose counter the retry then increments.
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


def cache_state() -> str:
    """`ok`, `unavailable` (Redis is configured and does not answer), or `local` (no shared
    cache: each process keeps its own)."""
    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        return "local"
    try:
        cache.ping()
    except CacheUnavailable:
        return "unavailable"
    return "ok"


def require_shared_cache() -> None:
    """CacheUnavailable if Redis is configured and away (a local cache is always there)."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        cache.ping()
