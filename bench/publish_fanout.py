"""Publish latency by number of webhook subscriptions: publishing must not wait on them.

`python -m bench.publish_fanout [--subscriptions 0,10,100] [--edits 60]` (or `make
bench-publish`):

1. For each number of subscriptions, drop and create the PostgreSQL database
   `contentapi_bench_publish`, migrate, load the demo library (so each count starts from the
   same library and history), and create the subscriptions with the admin API's own service
   (to a loopback receiver nobody runs: nothing is sent, no worker runs).
2. Take `--edits` new revisions of live articles through the workflow; only
   `revision_publish` is timed (one `time.perf_counter` lap around the call: its queries,
   rendering and transaction).
3. Print the median and p95 for each, and write them to
   bench/results/publish-fanout-<timestamp>.json.

Only the database `contentapi_bench_publish` is ever touched.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from bench.environment import RESULTS, bench_environment

DATABASE = "contentapi_bench_publish"
os.environ.update(bench_environment(DATABASE, WEBHOOK_ALLOWED_PRIVATE_HOSTS="127.0.0.1"))

import django  # noqa: E402

django.setup()


from articles import services, workflow  # noqa: E402
from articles.models import Article  # noqa: E402
from bench.demo_database import demo_database_recreate  # noqa: E402
from contentapi.models import User  # noqa: E402
from webhooks.services import subscription_create  # noqa: E402


def publish_times(edits: int) -> list[float]:
    """Milliseconds of `revision_publish` for `edits` new revisions of live articles."""
    editor = User.objects.get(username="ana")
    reviewers = [User.objects.get(username=name) for name in ("dr.chen", "dr.okafor")]
    publisher = User.objects.get(username="sam")
    live = list(Article.objects.filter(live_revision__isnull=False, locale="en").order_by("pk"))
    laps = []
    for number in range(edits + 1):  # the first is a warm-up, left out
        article = live[number % len(live)]
        article.refresh_from_db()
        revision = services.revision_create(
            actor=editor,
            article=article,
            base_revision=article.latest_revision.number,
            changes={"editor_note": f"Checked again ({number})."},
        )
        workflow.revision_submit(actor=editor, revision=revision)
        workflow.revision_approve(actor=reviewers[number % 2], revision=revision)
        started = time.perf_counter()
        workflow.revision_publish(actor=publisher, revision=revision)
        laps.append((time.perf_counter() - started) * 1000)
    return laps[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", default="0,10,100")
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args()
    counts = sorted(int(n) for n in args.subscriptions.split(","))
    rows = []
    for count in counts:
        sys.stderr.write(f"Setting up {DATABASE} with the demo library...\n")
        demo_database_recreate()
        admin = User.objects.get(username="admin")
        for _ in range(count):
            subscription_create(actor=admin, url="http://127.0.0.1:9/hooks")
        laps = sorted(publish_times(args.edits))
        p95 = laps[min(len(laps) - 1, round(0.95 * (len(laps) - 1)))]
        rows.append({"subscriptions": count, "median_ms": statistics.median(laps), "p95_ms": p95})
        print(
            f"{count:>4} subscriptions: publish median {statistics.median(laps):6.2f} ms, "
            f"p95 {p95:6.2f} ms ({len(laps)} edits)"
        )
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"publish-fanout-{stamp}.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
