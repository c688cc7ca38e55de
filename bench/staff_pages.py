"""How long the staff pages take on the demo library: each page, rendered whole.

`python -m bench.staff_pages [--times 15]` (or `make bench-pages`):

1. Drop and create the PostgreSQL database `contentapi_bench_pages`, migrate and load the
   demo library.
2. Sign in each demo role through Django's test client and GET each of their pages
   `--times` times (the whole request: session, selectors, rendering, diffs, readability,
   templates), after one warm-up request each: the reviewer's queue, the revision in review
   (its rendered compare), its clean view, the re-certify page, an article's history; the
   editor's start page, a draft's writing page and its preview (POST, nothing saved); the
   publisher's page.
3. Print the median and p95 in milliseconds, and write them to
   bench/results/staff-pages-<timestamp>.json.

Only the database `contentapi_bench_pages` is ever touched.
"""

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.environment import RESULTS, ROOT, bench_environment

DATABASE = "contentapi_bench_pages"
os.environ.update(bench_environment(DATABASE, ALLOWED_HOSTS="testserver"))

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from articles.models import Article, Revision, RevisionState  # noqa: E402
from bench.demo_database import demo_database_recreate  # noqa: E402
from contentapi.models import User  # noqa: E402
from review.writing import revision_values  # noqa: E402


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def timed(request: Callable[[], object], times: int) -> list[float]:
    request()  # warm-up: templates compiled, caches filled as a running service has them
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - start) * 1000)
        status = getattr(response, "status_code", 0)
        if status != 200:
            raise SystemExit(f"Expected 200, got {status}.")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--times", type=int, default=15)
    args = parser.parse_args()
    demo_database_recreate()

    in_review = Revision.objects.select_related("article").get(state=RevisionState.IN_REVIEW)
    review = f"/review/articles/{in_review.article_id}/revisions/{in_review.number}/"
    due = Article.objects.filter(review_interval_days=1).first()
    draft = Revision.objects.filter(state=RevisionState.DRAFT).select_related("article").first()
    reviewer, editor, publisher = (client_for(u) for u in ("dr.chen", "marisol", "sam"))
    if draft is None:  # the demo has none: the editor starts one, as they would
        sent_back = Revision.objects.get(state=RevisionState.CHANGES_REQUESTED)
        editor = client_for(sent_back.author.username)
        editor.post(
            f"/review/write/articles/{sent_back.article_id}/start/",
            {"base_revision": sent_back.number},
        )
        draft = Revision.objects.get(state=RevisionState.DRAFT)
    writing = f"/review/write/articles/{draft.article_id}/revisions/{draft.number}/"
    preview = {**revision_values(draft), "action": "preview", "version": draft.version}

    pages: dict[str, Callable[[], object]] = {
        "reviewer: queue": lambda: reviewer.get("/review/"),
        "reviewer: revision (rendered compare)": lambda: reviewer.get(review),
        "reviewer: revision (clean view)": lambda: reviewer.get(review + "?view=clean"),
        "reviewer: re-certify page": lambda: reviewer.get(f"/review/articles/{due.pk}/certify/"),
        "reviewer: history": lambda: reviewer.get(
            f"/review/articles/{in_review.article_id}/history/"
        ),
        "editor: start page": lambda: editor.get("/review/write/"),
        "editor: writing page": lambda: editor.get(writing),
        "editor: preview (POST)": lambda: editor.post(writing, preview),
        "publisher: page": lambda: publisher.get("/review/publish/"),
    }
    results = {}
    print(f"Staff pages on the demo library, {args.times} requests each (ms):")
    for name, request in pages.items():
        samples = timed(request, args.times)
        median = statistics.median(samples)
        p95 = sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]
        results[name] = {"median_ms": round(median, 1), "p95_ms": round(p95, 1)}
        print(f"  {name:<40} median {median:7.1f}   p95 {p95:7.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"staff-pages-{stamp}.json"
    path.write_text(json.dumps({"times": args.times, "pages": results}, indent=1) + "\n")
    print(f"Saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
