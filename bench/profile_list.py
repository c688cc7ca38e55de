"""Where a delivery list request's time goes: the first page, profiled in process.

`python -m bench.profile_list [--requests 600]`, after `make bench` has set up its database
(`contentapi_bench`, or `BENCH_DATABASE`):

1. Create a delivery API key in that database (the benchmark's data is throwaway).
2. Time the list's first page (three forms: plain, `?locale=es`, `?page_size=50`) through
   Django's test client, median of 5 rounds of 300, with no profiler.
3. Profile `--requests` more under cProfile and print the share of the time spent in each
   part of the request: the middleware, DRF's dispatch (authentication, throttling,
   negotiation), parsing the query, the database query, the rest of the view, and the test
   client itself (which a real server does not run).
4. Time what the metrics middleware adds to each request (a counter and a histogram, in
   prometheus_client's multiprocess mode, as under gunicorn), median of 7 rounds of 20,000.

Only the benchmark's database is touched.
"""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import tempfile
import time

from bench.environment import bench_environment

os.environ.update(
    bench_environment(os.environ.get("BENCH_DATABASE", "contentapi_bench"), ALLOWED_HOSTS="*")
)
# Metrics in multiprocess mode, as gunicorn.conf.py runs them, in a directory of our own.
METRICS_DIR = tempfile.mkdtemp(prefix="bench-profile-metrics-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from contentapi.credentials import api_key_create  # noqa: E402
from contentapi.metrics import LATENCY, REQUESTS  # noqa: E402

PATHS = ["/api/v1/articles/", "/api/v1/articles/?locale=es", "/api/v1/articles/?page_size=50"]

# Each part, as the cumulative time of the function that does it (module path, function).
PARTS = [
    ("the request through the test client", "django/test/client.py", "request"),
    ("  the middleware and the view", "django/core/handlers/base.py", "get_response"),
    ("    the view (DRF dispatch)", "rest_framework/views.py", "dispatch"),
    ("      authentication, throttling", "rest_framework/views.py", "initial"),
    ("      the list view", "delivery/api/views.py", "get"),
    ("        parsing the query", "contentapi/inputs.py", "validated_query"),
    ("          DRF's copy of the fields", "rest_framework/serializers.py", "fields"),
    ("        reading the page", "delivery/selectors.py", "published_list_items"),
    ("          the SQL query", "django/db/backends/utils.py", "execute"),
    ("        the next and previous links", "delivery/api/views.py", "_page_link"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    _, key = api_key_create(name="profile", scopes=["delivery"], actor_label="bench")
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")

    def run(count: int) -> float:
        start = time.perf_counter()
        for n in range(count):
            assert client.get(PATHS[n % len(PATHS)]).status_code == 200
        return (time.perf_counter() - start) / count * 1000

    run(60)
    median = statistics.median(run(300) for _ in range(5))
    print(f"List first page, in process (test client): median {median:.3f} ms a request")
    profile = cProfile.Profile()
    profile.enable()
    run(args.requests)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    whole = _cumulative(stats, *PARTS[0][1:])
    print(f"Under cProfile ({args.requests} requests), share of the whole:")
    for label, path, function in PARTS:
        share = _cumulative(stats, path, function) / whole
        print(f"  {label:<42} {share:6.1%}")
    print(f"Metrics per request (multiprocess mode): median {_metrics_microseconds():.1f} µs")
    shutil.rmtree(METRICS_DIR, ignore_errors=True)


def _metrics_microseconds() -> float:
    """What RequestMetricsMiddleware records for one request, timed alone."""

    def record() -> None:
        REQUESTS.labels("/api/v1/articles/", "GET", "200").inc()
        LATENCY.labels("/api/v1/articles/", "GET").observe(0.0123)

    rounds = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(20_000):
            record()
        rounds.append((time.perf_counter() - start) / 20_000 * 1e6)
    return statistics.median(rounds)


def _cumulative(stats: dict, path: str, function: str) -> float:
    return sum(
        entry[3]
        for (filename, _line, name), entry in stats.items()
        if filename.endswith(path) and name == function
    )


if __name__ == "__main__":
    main()
