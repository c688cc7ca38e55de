"""The app's settings with every cache key under CACHE_KEY_PREFIX, for app processes that a
test starts on a shared Redis server: the test then owns, and removes, exactly its keys."""

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES

for _cache in CACHES.values():
    _cache["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"] + _cache.get("KEY_PREFIX", "")
