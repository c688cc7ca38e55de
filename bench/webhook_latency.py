"""Webhook latency: from a publication's commit to the signed POST reaching a receiver.

`python -m bench.webhook_latency [--events 100]` (or `make bench-webhooks`):

1. Drop and create the PostgreSQL database `contentapi_bench_webhooks`, migrate, and load the
   demo library.
2. Start a receiver on a loopback port in this process (it verifies each signature with the
   `standardwebhooks` library and notes when each request arrived), subscribe it, and start
   `manage.py deliver_webhooks --loop` as its own process, as `make run` does.
3. Take `--events` new revisions of live articles live through the workflow, one at a time
   with a pause between, and time each from `revision_publish` returning (committed) to its
   webhook arriving.
4. Print the median, p95 and max, and write them to bench/results/webhooks-<timestamp>.json.

Only the database `contentapi_bench_webhooks` is ever touched.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.environment import RESULTS, ROOT, bench_environment

DATABASE = "contentapi_bench_webhooks"
ENV = bench_environment(DATABASE, WEBHOOK_ALLOWED_PRIVATE_HOSTS="127.0.0.1")
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from standardwebhooks import Webhook  # noqa: E402

from articles import services, workflow  # noqa: E402
from articles.models import Article  # noqa: E402
from bench.demo_database import demo_database_recreate  # noqa: E402
from contentapi.models import User  # noqa: E402
from webhooks.services import subscription_create  # noqa: E402

arrivals: dict[tuple[str, int], float] = {}


def receiver_start(secret: str) -> ThreadingHTTPServer:
    hook = Webhook(secret)

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            arrived = time.perf_counter()
            event = hook.verify(body, dict(self.headers))
            arrivals[(event["data"]["slug"], event["data"]["revision"])] = arrived
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    args = parser.parse_args()
    sys.stderr.write(f"Setting up {DATABASE} with the demo library...\n")
    demo_database_recreate()
    admin = User.objects.get(username="admin")
    editor, reviewer = User.objects.get(username="ana"), User.objects.get(username="dr.okafor")
    publisher = User.objects.get(username="sam")
    server = receiver_start("whsec_placeholder")
    subscription, secret = subscription_create(
        actor=admin, url=f"http://127.0.0.1:{server.server_port}/"
    )
    server.shutdown()
    server = receiver_start(secret)
    subscription.url = f"http://127.0.0.1:{server.server_port}/"
    subscription.save()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "deliver_webhooks", "--loop"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)  # the worker is up and waiting
        live = list(Article.objects.filter(live_revision__isnull=False).order_by("pk"))
        published: dict[tuple[str, int], float] = {}
        rng = random.Random(7)
        for number in range(args.events):
            article = Article.objects.select_related("latest_revision").get(
                pk=live[number % len(live)].pk
            )
            latest = article.latest_revision
            revision = services.revision_create(
                actor=editor,
                article=article,
                base_revision=latest.number,
                changes={"body": latest.body + f"\n\nChecked again ({number}).\n"},
            )
            workflow.revision_submit(actor=editor, revision=revision)
            workflow.revision_approve(actor=reviewer, revision=revision, comment="Accurate.")
            workflow.revision_publish(actor=publisher, revision=revision)
            published[(article.slug, revision.number)] = time.perf_counter()
            time.sleep(rng.uniform(0.2, 0.6))
            sys.stderr.write(f"\r  {number + 1}/{args.events} published ")
        deadline = time.monotonic() + 30
        while len(arrivals) < len(published) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        server.shutdown()
    sys.stderr.write("\n")
    latencies = sorted(
        (arrivals[key] - published[key]) * 1000 for key in published if key in arrivals
    )
    result = {
        "events": len(published),
        "received": len(latencies),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))], 1),
        "max_ms": round(latencies[-1], 1),
        "poll_interval_s": float(os.environ.get("WEBHOOK_POLL_INTERVAL", "1")),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"webhooks-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"webhook latency, publish committed -> received, {result['received']}/{result['events']}"
        f" events: median {result['median_ms']} ms, p95 {result['p95_ms']} ms,"
        f" max {result['max_ms']} ms"
    )


if __name__ == "__main__":
    main()
