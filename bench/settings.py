"""The project's settings with the benchmark's URL root, which adds the stored-bytes reference.

Served with DJANGO_SETTINGS_MODULE=bench.settings, so the project's endpoints and the plain
Django reference run in the same server process, under the same middleware and settings.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reference_urls"
