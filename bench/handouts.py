"""How long a handout takes: the first request of a revision (WeasyPrint makes the PDF) and
the later ones (served from the Handout table).

`python -m bench.handouts [--times 15] [--longest]` (or `make bench-handouts`):

1. Drop and create the PostgreSQL database `contentapi_bench_handouts`, migrate and load the
   demo library.
2. For every live demo article, in each form a nurse prints it (standard; `?size=large`;
   and, for a translation, `?also=` its source language side by side): GET it once with no
   handout stored (the first request of the revision, timed whole through Django's test
   client), then `--times` more (cached), then `--times` revalidations with its ETag (304).
3. Print, per form, the median and worst first request and the median cached and 304
   request in milliseconds, with the target (the first at most 2 s), and write them to
   bench/results/handouts-<timestamp>.json.

4. With `--longest`, also time the longest handouts the service makes, in process without
   the database: the longest body the API accepts (`MAX_BODY_CHARS` of prose in sections
   with short lists, within the line and markup limits) in standard and large print, and
   two languages side by side at their limit (`delivery.handouts.PAIR_MAX_CHARS` together),
   in both sizes, against gunicorn's default timeout (30 s) and the time a handout's maker
   holds its claim (`delivery.handouts.CLAIM_SECONDS`).

Only the database `contentapi_bench_handouts` is ever touched.
"""

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime

from bench.environment import RESULTS, ROOT, bench_environment

DATABASE = "contentapi_bench_handouts"
os.environ.update(bench_environment(DATABASE, ALLOWED_HOSTS="testserver"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.demo_database import demo_database_recreate  # noqa: E402
from delivery.handouts import CLAIM_SECONDS, PAIR_MAX_CHARS, make_handout  # noqa: E402
from delivery.models import Handout, PublishedDocument  # noqa: E402
from delivery.rendering import markdown_to_html  # noqa: E402

FIRST_TARGET_MS = 2000


def _get(client: Client, path: str, expect: int, **headers: str) -> tuple[float, object]:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != expect:
        raise SystemExit(f"{path}: expected {expect}, got {response.status_code}.")
    return elapsed, response


def forms() -> dict[str, list[str]]:
    """The handout addresses of every live demo article, by the form it prints in."""
    documents = PublishedDocument.objects.order_by("locale", "slug")
    by_form: dict[str, list[str]] = {"standard": [], "large print": [], "bilingual": []}
    for document in documents:
        path = f"/{document.locale}/{document.slug}.pdf"
        by_form["standard"].append(path)
        by_form["large print"].append(path + "?size=large")
        source = (json.loads(bytes(document.body)).get("translation") or {}).get("source_locale")
        if source:
            by_form["bilingual"].append(f"{path}?also={source}")
    return by_form


GUNICORN_TIMEOUT_S = 30
_PROSE = "Take your pills each morning with water, and write down what your meter says each day. "


def longest_body() -> str:
    """As long a body as the API accepts: sections of prose, each with a short list."""
    sections, length, n = [], 0, 0
    while length < settings.MAX_BODY_CHARS:
        n += 1
        section = f"## Part {n}\n\n{_PROSE * 8}\n\n- one item here\n- two items here\n\n"
        sections.append(section)
        length += len(section)
    return "".join(sections)[: settings.MAX_BODY_CHARS - 1000]


def time_longest() -> dict[str, float]:
    source = PublishedDocument.objects.get(slug="understanding-your-a1c", locale="en")
    longest = json.loads(bytes(source.body))
    longest["body_html"] = markdown_to_html(longest_body())
    # Each of a pair is half the most printed side by side.
    half = {**longest, "body_html": markdown_to_html(longest_body()[: PAIR_MAX_CHARS // 2])}
    seconds = {}
    for form, document, size, partner in (
        ("standard", longest, "standard", None),
        ("large print", longest, "large", None),
        ("bilingual", half, "standard", half),
        ("bilingual large print", half, "large", half),
    ):
        start = time.perf_counter()
        make_handout(document, size=size, partner=partner)
        seconds[form] = round(time.perf_counter() - start, 1)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--times", type=int, default=15)
    parser.add_argument("--longest", action="store_true", help="also the longest body (~1 min)")
    args = parser.parse_args()
    demo_database_recreate()
    client = Client()
    Handout.objects.all().delete()
    # One handout made before timing: WeasyPrint's fonts and modules are loaded, as in a
    # service that has printed one since it started.
    warm = forms()["standard"][0]
    _get(client, warm, 200)
    Handout.objects.all().delete()

    results: dict[str, dict[str, float | int]] = {}
    print(f"Handouts of the demo library ({args.times} cached and 304 requests each; ms):")
    for form, paths in forms().items():
        first, cached, revalidated, sizes = [], [], [], []
        for path in paths:
            elapsed, response = _get(client, path, 200)
            first.append(elapsed)
            sizes.append(len(response.content))
            etag = response["ETag"]
            cached += [_get(client, path, 200)[0] for _ in range(args.times)]
            revalidated += [
                _get(client, path, 304, if_none_match=etag)[0] for _ in range(args.times)
            ]
        results[form] = {
            "handouts": len(paths),
            "first_median_ms": round(statistics.median(first), 1),
            "first_max_ms": round(max(first), 1),
            "cached_median_ms": round(statistics.median(cached), 2),
            "revalidated_median_ms": round(statistics.median(revalidated), 2),
            "median_bytes": int(statistics.median(sizes)),
        }
        r = results[form]
        print(
            f"  {form:<12} n={r['handouts']:<3} first median {r['first_median_ms']:7.1f}  "
            f"worst {r['first_max_ms']:7.1f}   cached median {r['cached_median_ms']:6.2f}   "
            f"304 median {r['revalidated_median_ms']:6.2f}   PDF {r['median_bytes'] // 1024} KiB"
        )
    worst = max(r["first_max_ms"] for r in results.values())
    met = worst <= FIRST_TARGET_MS
    print(
        f"Target: the first handout of a revision <= {FIRST_TARGET_MS} ms: worst {worst:.0f} ms, "
        + ("met" if met else "NOT MET")
    )
    longest = {}
    if args.longest:
        longest = time_longest()
        print(
            f"The longest handouts ({settings.MAX_BODY_CHARS:,} characters; side by side "
            f"{PAIR_MAX_CHARS:,} together), s: "
            + ", ".join(f"{form} {took}" for form, took in longest.items())
            + f" (a claim lasts {CLAIM_SECONDS:.0f} s; gunicorn's timeout is "
            f"{GUNICORN_TIMEOUT_S} s by default)"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"handouts-{stamp}.json"
    path.write_text(
        json.dumps({"times": args.times, "forms": results, "longest_s": longest}, indent=1) + "\n"
    )
    print(f"Saved {path.relative_to(ROOT)}")
    if not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
