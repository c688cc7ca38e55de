"""The project's settings with the benchmark's URL root, which adds the stored-bytes reference.

Served with DJANGO_SETTINGS_MODULE=bench.settings, so the project's endpoints and the plain
Django reference run in the same server process, under the same middleware and settings.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reference_urls"

from contentapi.rates import Rate  # noqa: E402

# One benchmark key sends far more than any portal may; the limits are still counted on
# every request (their cost is in the figures), they just never refuse.
RATE_LIMIT_DELIVERY = Rate(10**9, 60)
RATE_LIMIT_STAFF = Rate(10**9, 60)
RATE_LIMIT_AUTH_FAILURES = Rate(10**9, 60)
