"""The benchmark driver: `python -m bench.run [--articles N] [--duration S] [--workers W]`.

1. Setup (skipped with --skip-setup): drop and create the PostgreSQL database
   `contentapi_bench`, migrate, and take N generated articles live through the workflow
   (`bench/seed.py`); with --bulk (the default above BULK_ABOVE articles), the first 200
   through the workflow and the rest written in bulk (`bench/bulk_seed.py`).
2. Serve the project with `gunicorn -c gunicorn.conf.py` (settings `bench.settings`, which add
   the plain-Django stored-bytes reference), and a constant-bytes WSGI app under the same
   server settings (the server's limit).
3. Load every delivery endpoint with wrk over many URLs, after a warm-up.
4. Read each worker's peak RSS; stop the servers.
5. Time the write side in this process and `manage.py rerender_published`.
6. Print the table and write the same as JSON to bench/results/<timestamp>.json.

Only the database `contentapi_bench` is ever touched, whatever DATABASE_URL says.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Another name (BENCH_DATABASE=...) lets two checkouts benchmark side by side.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "contentapi_bench"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
RESULTS = Path(__file__).resolve().parent / "results"

# The environment of this process, the servers and rerender_published; set before Django
# reads its settings, so nothing here can reach another database.
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"{POSTGRES}/{BENCH_DATABASE}",
    "DEBUG": "false",
    "DELIVERY_PUBLIC": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-secret",
    "WEBHOOK_ENCRYPTION_KEYS": os.environ.get("WEBHOOK_ENCRYPTION_KEYS")
    or "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtYXQtYWxsLS0=",
    "AUDIT_SIGNING_KEY": os.environ.get("AUDIT_SIGNING_KEY")
    or "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtYXVkaXQta2U=",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Avg, Count  # noqa: E402
from django.db.models.functions import Length  # noqa: E402

from articles.models import Topic  # noqa: E402
from bench import bulk_seed, content, load, seed, servers, writes  # noqa: E402
from contentapi.models import IntegratorKey, Scope  # noqa: E402
from delivery.cursors import ListKey, encode_list_cursor  # noqa: E402
from delivery.models import PublishedCode, PublishedDocument  # noqa: E402

REFERENCE = "stored-bytes reference"
# Above this many articles setup seeds in bulk unless told otherwise (--no-bulk): the
# workflow takes ~30 ms per article, so 100,000 would take the best part of an hour.
BULK_ABOVE = 20_000
LIMIT = "server limit (constant bytes)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="live articles (10,000)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint (10)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds (3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--seed-processes",
        type=int,
        default=None,
        help="processes that seed articles (2 through the workflow, one per core in bulk)",
    )
    parser.add_argument(
        "--bulk",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"seed the first {bulk_seed.REAL_ARTICLES} articles through the workflow and "
        f"the rest in bulk (bench/bulk_seed.py); the default above {BULK_ABOVE:,} articles",
    )
    parser.add_argument(
        "--writes", type=int, default=200, help="live articles edited to time the write side"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="load every endpoint this often; medians (1)"
    )
    parser.add_argument(
        "--skip-setup", action="store_true", help=f"reuse the database {BENCH_DATABASE}"
    )
    parser.add_argument(
        "--reads-only",
        action="store_true",
        help="measure the endpoints only: no write side, no rerender_published (which takes "
        "minutes at 100,000 articles)",
    )
    parser.add_argument(
        "--setup-only",
        action="store_true",
        help="seed the database and stop (then run with --skip-setup)",
    )
    args = parser.parse_args(argv)
    if args.skip_setup and args.setup_only:
        parser.error("--setup-only and --skip-setup together do nothing")
    if args.articles < 10:
        parser.error("--articles must be at least 10")
    if args.bulk is None:
        args.bulk = args.articles > BULK_ABOVE
    return args


# ------------------------------------------------------------------------------
# Setup
# ------------------------------------------------------------------------------
def recreate_database() -> None:
    import psycopg

    connections.close_all()
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def setup(articles: int, processes: int | None, *, bulk: bool = False) -> dict[str, Any]:
    started = time.monotonic()
    _say(f"Creating the database {BENCH_DATABASE} and migrating")
    recreate_database()
    call_command("migrate", verbosity=0, interactive=False)
    extra: dict[str, Any] = {"method": "workflow"}
    if bulk:
        _say(
            f"Seeding {articles} articles: {min(articles, bulk_seed.REAL_ARTICLES)} through the "
            "workflow, the rest in bulk"
        )
        bulk_report = bulk_seed.seed_bulk(articles, processes=processes)
        report: seed.SeedReport = bulk_report
        extra = {
            "method": "bulk",
            "real_articles": bulk_report.real_articles,
            "real_seconds": round(bulk_report.real_seconds, 1),
            "bulk_articles": bulk_report.bulk_articles,
            "bulk_seconds": round(bulk_report.bulk_seconds, 1),
        }
    else:
        _say(f"Seeding {articles} articles through the workflow")
        report = seed.seed(articles, processes=processes or 2)
    connections.close_all()
    with connection.cursor() as cursor:
        # Fresh statistics so the planner sees the real table sizes from the first request.
        cursor.execute("VACUUM ANALYZE")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "seed_seconds": round(report.seconds, 1),
        "articles": report.articles,
        "topics": report.topics,
        "processes": report.processes,
        "sample_articles": report.sample_articles,
        "sample_ms_per_article": round(report.sample_ms_per_article, 1),
        "sample_step_ms": {k: round(v, 1) for k, v in report.sample_step_ms.items()},
        **extra,
    }


def check_database() -> None:
    try:
        live = PublishedDocument.objects.count()
    except Exception as exc:
        raise SystemExit(
            f"--skip-setup: the database {BENCH_DATABASE} is not ready ({exc}); run without it."
        ) from exc
    if live == 0:
        raise SystemExit(f"--skip-setup: {BENCH_DATABASE} has no live articles.")


# ------------------------------------------------------------------------------
# The workload: request lines per endpoint
# ------------------------------------------------------------------------------
@dataclass
class Endpoint:
    name: str
    lines: list[str]
    expect: int = 200
    # "app": the project server; "limit": the constant-bytes server.
    server: str = "app"
    # Set for an endpoint that takes a body: `lines` are JSON bodies POSTed to this path.
    post_path: str = ""


def _q(**params: object) -> str:
    return urllib.parse.urlencode(params)


def workload(base_url: str, api_key: str) -> list[Endpoint]:
    rng = random.Random(3)
    documents = list(
        PublishedDocument.objects.order_by("article_id").values_list(
            "article_id", "slug", "locale", "etag", "revision_number"
        )
    )
    detail = [f"/api/v1/articles/{slug}/?{_q(locale=loc)}" for _, slug, loc, _, _ in documents]
    revalidated = [
        f"{path}\t{etag}" for path, (_, _, _, etag, _) in zip(detail, documents, strict=True)
    ]
    list_first = [
        "/api/v1/articles/",
        f"/api/v1/articles/?{_q(locale='en')}",
        f"/api/v1/articles/?{_q(locale='es')}",
        f"/api/v1/articles/?{_q(page_size=10)}",
        f"/api/v1/articles/?{_q(page_size=50)}",
        f"/api/v1/articles/?{_q(page_size=100)}",
        f"/api/v1/articles/?{_q(locale='en', page_size=100)}",
        f"/api/v1/articles/?{_q(locale='es', page_size=50)}",
    ]
    pages = max(len(documents) // 20, 2)
    # At 10,000 articles: pages 100 to 400 of 500.
    deep = [
        f"/api/v1/articles/?{_q(page=k)}"
        for k in range(max(pages // 5, 2), max(pages * 4 // 5, 3) + 1)
    ]
    # The same pages by the cursor their `next` link carries: the last item of the page before.
    newest_first = list(
        PublishedDocument.objects.order_by("-last_updated_at", "-article_id").values_list(
            "last_updated_at", "article_id"
        )
    )
    deep_cursor = [
        "/api/v1/articles/?"
        + _q(cursor=encode_list_cursor(ListKey(*newest_first[(k - 1) * 20 - 1]), after=True))
        for k in range(max(pages // 5, 2), max(pages * 4 // 5, 3) + 1)
        if (k - 1) * 20 - 1 < len(newest_first)
    ]
    topics = [
        f"/api/v1/articles/?{_q(topic=slug)}"
        for slug in Topic.objects.annotate(n=Count("live_links"))
        .filter(n__gt=0)
        .order_by("slug")
        .values_list("slug", flat=True)
    ]
    search = [f"/api/v1/articles/?{_q(q=w)}" for w in content.search_words("en")]
    search += [f"/api/v1/articles/?{_q(q=w, locale='es')}" for w in content.search_words("es")]
    codes = [
        f"/api/v1/articles/?{_q(code=code, code_system=system)}"
        for system, code in PublishedCode.objects.values_list("system", "code")
        .distinct()
        .order_by("system", "code")
    ]
    changes = [f"/api/v1/changes/?{_q(since=c)}" for c in feed_cursors(base_url, api_key)]
    preview_docs = rng.sample(documents, min(len(documents), 2000))
    preview = [
        f"/api/v1/preview/articles/{article_id}/revisions/{number}/"
        for article_id, _, _, _, number in preview_docs
    ]
    raw = [f"/bench/raw/{slug}/" for _, slug, loc, _, _ in documents if loc == "en"]
    in_use = list(
        PublishedCode.objects.values_list("system", "code").distinct().order_by("system", "code")
    )
    return [
        Endpoint(LIMIT, raw, server="limit"),
        Endpoint(REFERENCE, raw),
        Endpoint("detail", detail),
        Endpoint("detail revalidated (304)", revalidated, expect=304),
        Endpoint("patient page", [f"/{loc}/{slug}/" for _, slug, loc, _, _ in documents]),
        Endpoint("list first page", list_first),
        Endpoint("list deep page", deep),
        Endpoint("list deep page by cursor", deep_cursor),
        Endpoint("list by topic", topics),
        Endpoint("search q", search),
        Endpoint("code lookup", codes),
        Endpoint("changes feed page", changes),
        Endpoint("infobutton", infobutton_requests(in_use, rng)),
        Endpoint(
            "CDS Hooks patient-view",
            cds_hooks_bodies(in_use, rng),
            post_path="/cds-services/patient-education",
        ),
        Endpoint("preview", preview),
    ]


OIDS = {"icd10cm": "2.16.840.1.113883.6.90", "snomedct": "2.16.840.1.113883.6.96"}
OIDS["loinc"] = "2.16.840.1.113883.6.1"
FHIR_SYSTEMS = {
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "snomedct": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
}


def _as_asked(system: str, code: str, rng: random.Random) -> str:
    """A code as an EHR asks for it: an ICD-10-CM code is often more specific than any
    article's (one more character: the answer falls back to the article's code or its
    category), sometimes without its dot."""
    if system != "icd10cm":
        return code
    asked = code + str(rng.randint(0, 9)) if "." in code and rng.random() < 0.5 else code
    return asked.replace(".", "") if rng.random() < 0.2 else asked


def infobutton_requests(in_use: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """Infobutton URLs for the codes in use: fallbacks, Spanish, Atom and JSON mixed."""
    lines = []
    for system, code in in_use:
        lang = rng.choice(["en", "en", "en", "sp", "es-US"])
        kind = rng.choice(["text/xml", "application/json"])
        query = {
            "mainSearchCriteria.v.cs": OIDS[system],
            "mainSearchCriteria.v.c": _as_asked(system, code, rng),
            "informationRecipient.languageCode.c": lang,
            "knowledgeResponseType": kind,
        }
        lines.append(f"/api/v1/infobutton/?{urllib.parse.urlencode(query)}")
    # A few codes no article carries: the empty feed is an answer too.
    lines += [
        f"/api/v1/infobutton/?{_q(**{'mainSearchCriteria.v.cs': OIDS['icd10cm']})}"
        f"&mainSearchCriteria.v.c=Z99.{n}"
        for n in range(1, 10)
    ]
    return lines


def cds_hooks_bodies(in_use: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """CDS Hooks requests of 1 to 6 active conditions, each coded in one or two systems; most
    with the patient prefetched too, preferring English or Spanish (as a hospital with many
    Spanish-speaking patients sees them)."""
    conditions = [pair for pair in in_use if pair[0] != "loinc"]
    bodies = []
    for number in range(1000):
        entries = []
        for k in range(rng.randint(1, 6)):
            codings = [
                {"system": FHIR_SYSTEMS[system], "code": _as_asked(system, code, rng)}
                for system, code in rng.sample(conditions, rng.randint(1, 2))
            ]
            entries.append(
                {
                    "resource": {
                        "resourceType": "Condition",
                        "id": f"c{number}-{k}",
                        "clinicalStatus": {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "condition-clinical",
                                    "code": "active",
                                }
                            ]
                        },
                        "code": {"coding": codings},
                        "subject": {"reference": f"Patient/p{number}"},
                    }
                }
            )
        request = {
            "hook": "patient-view",
            "hookInstance": f"00000000-0000-4000-8000-{number:012d}",
            "context": {"userId": "Practitioner/1", "patientId": f"p{number}"},
            "prefetch": {
                "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": entries},
                **_patient(number, rng),
            },
        }
        bodies.append(json.dumps(request, separators=(",", ":")))
    return bodies


def _patient(number: int, rng: random.Random) -> dict[str, Any]:
    """The `patient` prefetch of one call: none, or a Patient preferring en, es or es-US."""
    language = rng.choice([None, "en", "en", "es", "es-US"])
    if language is None:
        return {}
    coding = {"system": "urn:ietf:bcp:47", "code": language}
    return {
        "patient": {
            "resourceType": "Patient",
            "id": f"p{number}",
            "communication": [{"language": {"coding": [coding]}, "preferred": True}],
        }
    }


def _get(url: str, api_key: str, etag: str = "", body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Api-Key {api_key}"}
    if etag:
        headers["If-None-Match"] = etag
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def feed_cursors(base_url: str, api_key: str, *, step: int = 10) -> list[str]:
    """Walk the changes feed `step` events at a time, keeping every cursor it hands out."""
    cursors: list[str] = []
    since = ""
    while True:
        query = _q(limit=step, **({"since": since} if since else {}))
        status, body = _get(f"{base_url}/api/v1/changes/?{query}", api_key)
        if status != 200:
            raise RuntimeError(f"The changes feed answered {status}: {body[:300]!r}")
        page = json.loads(body)
        if not page["results"]:
            return cursors
        since = page["cursor"]
        cursors.append(since)
        if not page["has_more"]:
            return cursors


def check(endpoint: Endpoint, base_url: str, api_key: str) -> None:
    """A few requests by hand: the load must measure the answer it is meant to."""
    for line in random.Random(7).sample(endpoint.lines, min(3, len(endpoint.lines))):
        if endpoint.post_path:
            path, etag = endpoint.post_path, ""
            status, body = _get(base_url + path, api_key, body=line.encode())
        else:
            path, _, etag = line.partition("\t")
            status, body = _get(base_url + path, api_key, etag)
        if status != endpoint.expect:
            raise RuntimeError(
                f"{endpoint.name}: GET {path} answered {status}, expected {endpoint.expect}: "
                f"{body[:300]!r}"
            )


# ------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------
def _say(message: str) -> None:
    sys.stderr.write(f"\n== {message}\n")
    sys.stderr.flush()


def table(results: dict[str, Any]) -> str:
    rows = [
        ("endpoint", "URLs", "req/s", "p50 ms", "p99 ms", "x ref", "x limit", "errors", "RSS MB")
    ]
    for name, r in results["endpoints"].items():
        rows.append(
            (
                name,
                str(r["urls"]),
                f"{r['requests_per_second']:.0f}",
                f"{r['p50_ms']:.2f}",
                f"{r['p99_ms']:.2f}",
                f"{r['x_reference']:.2f}",
                f"{r['x_limit']:.2f}",
                str(r["errors"]),
                f"{r['workers_peak_rss_mb_after']:.0f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# The delivery rows' floors among the targets: `make bench` exits non-zero when one is missed,
# so a regression of the read path cannot land unnoticed.
FLOORS = frozenset(
    {
        "detail >= 1.0x reference",
        "list first page >= 0.8x reference",
        "list by topic >= 0.8x reference",
        "search q >= 0.8x reference",
        "changes feed page >= 0.6x reference",
        "patient page >= 0.9x detail",
    }
)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of issues 5, 12 and 23 that one run can check, with what was measured."""
    e = results["endpoints"]
    ref = e[REFERENCE]
    checks: list[tuple[str, float | None, str, bool | None]] = []

    def ratio(name: str, floor: float) -> None:
        value = e[name]["x_reference"]
        checks.append((f"{name} >= {floor}x reference", value, f"{value:.2f}x", value >= floor))

    ratio("detail", 1.0)
    p99 = e["detail"]["p99_ms"]
    checks.append(
        (
            "detail p99 <= 2x reference p99",
            p99,
            f"{p99:.2f} ms vs {2 * ref['p99_ms']:.2f} ms",
            p99 <= 2 * ref["p99_ms"],
        )
    )
    rps_304, rps = (
        e["detail revalidated (304)"]["requests_per_second"],
        e["detail"]["requests_per_second"],
    )
    checks.append(
        ("304 revalidation >= detail", rps_304, f"{rps_304:.0f} vs {rps:.0f} req/s", rps_304 >= rps)
    )
    for name in ("list first page", "list by topic", "search q"):
        ratio(name, 0.8)
    ratio("changes feed page", 0.6)
    page, detail = e["patient page"]["requests_per_second"], rps
    checks.append(
        (
            "patient page >= 0.9x detail",
            page / detail,
            f"{page / detail:.2f}x ({page:.0f} vs {detail:.0f} req/s)",
            page >= 0.9 * detail,
        )
    )
    for name in ("search q", "code lookup", "infobutton", "CDS Hooks patient-view"):
        value = e[name]["p99_ms"]
        checks.append((f"{name} p99 <= 50 ms", value, f"{value:.2f} ms", value <= 50))
    if results["write_side"]:
        publish = results["write_side"]["publish"]["median_ms"]
        checks.append(("publish median <= 50 ms", publish, f"{publish:.1f} ms", publish <= 50))
    if results["rerender"]:
        seconds = results["rerender"]["seconds"]
        per_10k = seconds * 10_000 / max(results["articles"], 1)
        checks.append(
            (
                "rerender_published of 10,000 <= 60 s",
                per_10k,
                f"{seconds:.1f} s for {results['articles']} (≈{per_10k:.0f} s per 10,000)",
                per_10k <= 60,
            )
        )
    peak = max(results["peak_rss_mb"]["app_workers"].values(), default=0.0)
    # The hot documents' budget is memory spent on purpose, on top of what a worker needs.
    hot = results.get("hot_documents_mb", 0)
    checks.append(
        (
            f"peak RSS per worker <= 120 MB + HOT_DOCUMENTS_MB ({hot:g})",
            peak,
            f"{peak:.1f} MB",
            peak <= 120 + hot,
        )
    )
    notes = results["articles"] != 10_000
    return [
        {
            "target": name,
            "measured": shown,
            "met": met,
            "floor": name in FLOORS,
            "note": "scaled from this run's article count" if notes and "10,000" in name else "",
        }
        for name, _, shown, met in checks
    ]


def report(results: dict[str, Any]) -> str:
    out = [
        f"Delivery benchmark: {results['articles']} live articles, {results['workers']} gunicorn "
        f"workers, wrk {load.THREADS} threads x {load.CONNECTIONS} connections, "
        f"{results['duration']:.0f} s per endpoint after {results['warmup']:.0f} s warm-up"
        + (f", medians of {results['rounds']} rounds" if results["rounds"] > 1 else "")
        + "; "
        f"mean detail document {results['mean_document_bytes']} bytes",
        "",
        table(results),
        "",
        "x ref: req/s over the plain-Django stored-bytes view; x limit: over the constant-bytes "
        "WSGI app; RSS MB: the workers' peak RSS so far, read after each endpoint.",
        "",
    ]
    if results["write_side"]:
        out.append("Write side (in process, ms):")
    for step, t in results["write_side"].items():
        out.append(
            f"  {step:<16} median {t['median_ms']:7.1f}  p95 {t['p95_ms']:7.1f}  "
            f"max {t['max_ms']:7.1f}  (n={t['count']})"
        )
    rerender = results["rerender"]
    if rerender:
        out += ["", f"rerender_published: {rerender['seconds']:.1f} s wall ({rerender['summary']})"]
    out += ["", "Peak RSS per worker (VmHWM, MB):"]
    for name, peaks in results["peak_rss_mb"].items():
        shown = ", ".join(f"{pid}: {mb:.1f}" for pid, mb in peaks.items())
        out.append(f"  {name}: {shown}")
    master = results["memory_mb"]["app_master"]
    out.append(
        f"  app master: peak {master.get('peak_rss', 0):.1f}; app workers now (RSS / PSS / "
        "private): "
        + ", ".join(
            f"{m.get('rss', 0):.1f} / {m.get('pss', 0):.1f} / {m.get('private', 0):.1f}"
            for m in results["memory_mb"]["app_workers"].values()
        )
    )
    if results.get("setup"):
        s = results["setup"]
        out += [
            "",
            f"Setup: {s['seconds']:.0f} s ({s['articles']} articles, {s['topics']} topics, "
            f"{s['processes']} processes); {s['sample_ms_per_article']:.1f} ms per article on "
            f"the first {s['sample_articles']} ("
            + ", ".join(f"{k} {v:.1f}" for k, v in s["sample_step_ms"].items())
            + ")"
            + (
                f"; bulk: {s['bulk_articles']} articles in {s['bulk_seconds']:.0f} s"
                if s.get("method") == "bulk"
                else ""
            ),
        ]
    restarts = [pid for pids in results["worker_restarts"].values() for pid in pids]
    if restarts:
        out += ["", f"Warning: workers were replaced during the load (pids {restarts})."]
    busy = [r["background_cpu_percent"] for e in results["endpoints"].values() for r in e["rounds"]]
    out += [
        "",
        f"Background CPU (other processes, sampled for 1 s before each endpoint): {min(busy):.0f}% "
        f"to {max(busy):.0f}% of {results['machine']['cpus']} CPUs; above a few percent, other "
        "work skews the figures.",
    ]
    out += ["", "Targets (issues 5, 12 and 23):"]
    for t in results["targets"]:
        mark = "ok  " if t["met"] else "MISS"
        note = f"  [{t['note']}]" if t["note"] else ""
        out.append(f"  {mark} {t['target']}: {t['measured']}{note}")
    return "\n".join(out)


def _cpu_times() -> tuple[int, int]:
    """Busy and total jiffies of all CPUs together, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def background_busy(seconds: float = 1.0) -> float:
    """Percent of the machine's CPU busy while the benchmark is idle: other people's work."""
    busy_before, total_before = _cpu_times()
    time.sleep(seconds)
    busy_after, total_after = _cpu_times()
    return round(100 * (busy_after - busy_before) / max(total_after - total_before, 1), 1)


def measure_all(
    endpoints: list[Endpoint],
    *,
    app: servers.Server,
    limit: servers.Server,
    wrk: str,
    api_key: str,
    work_dir: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Every endpoint once per round, in order; each figure is the median over the rounds."""
    scripts = {
        endpoint.name: (
            load.write_post_script(
                work_dir, f"endpoint{number}", endpoint.post_path, endpoint.lines, api_key=api_key
            )
            if endpoint.post_path
            else load.write_script(work_dir, f"endpoint{number}", endpoint.lines, api_key=api_key)
        )
        for number, endpoint in enumerate(endpoints)
    }
    rounds: dict[str, list[dict[str, Any]]] = {endpoint.name: [] for endpoint in endpoints}
    for round_number in range(1, args.rounds + 1):
        if args.rounds > 1:
            sys.stderr.write(f"  round {round_number} of {args.rounds}\n")
        for endpoint in endpoints:
            server = app if endpoint.server == "app" else limit
            if round_number == 1:
                # Checked just before its load, so the RSS read after it is its own.
                check(endpoint, server.base_url, api_key)
            sys.stderr.write(f"  {endpoint.name:<32} {len(endpoint.lines):>6} URLs ... ")
            sys.stderr.flush()
            background = background_busy()
            result = load.measure(
                wrk,
                server.base_url,
                scripts[endpoint.name],
                warmup=args.warmup,
                seconds=args.duration,
            )
            sys.stderr.write(
                f"{result.requests_per_second:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                f"p99 {result.p99_ms:6.2f} ms  errors {result.errors}  "
                f"(background CPU {background}%)\n"
            )
            rounds[endpoint.name].append(
                {
                    **result.as_dict(),
                    # Other work on the machine skews a run: how busy it was just before.
                    "background_cpu_percent": background,
                    # Which endpoint makes the workers grow.
                    "workers_peak_rss_mb_after": max(
                        servers.workers_peak_rss(server).values(), default=0.0
                    ),
                }
            )
    measured: dict[str, Any] = {}
    for endpoint in endpoints:
        samples = rounds[endpoint.name]
        measured[endpoint.name] = {
            "urls": len(endpoint.lines),
            **{
                name: statistics.median(sample[name] for sample in samples)
                for name in ("requests_per_second", "p50_ms", "p99_ms")
            },
            "requests": sum(sample["requests"] for sample in samples),
            "errors": sum(sample["errors"] for sample in samples),
            "workers_peak_rss_mb_after": samples[0]["workers_peak_rss_mb_after"],
            "rounds": samples,
        }
    return measured


# ------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(UTC)
    results: dict[str, Any] = {
        "started_at": started_at.isoformat(),
        "duration": args.duration,
        "warmup": args.warmup,
        "workers": args.workers,
        "rounds": args.rounds,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "platform": platform.platform(),
        },
    }
    if args.skip_setup:
        check_database()
        results["setup"] = None
    else:
        results["setup"] = setup(args.articles, args.seed_processes, bulk=args.bulk)
        if args.setup_only:
            print(json.dumps(results["setup"], indent=2))
            return 0
    wrk = load.ensure_wrk()
    IntegratorKey.objects.filter(name="bench").update(revoked=True)
    _, api_key = IntegratorKey.objects.create_key(
        name="bench", scopes=[Scope.DELIVERY.value, Scope.PREVIEW.value]
    )
    results["articles"] = PublishedDocument.objects.count()
    results["hot_documents_mb"] = settings.HOT_DOCUMENTS_MB
    mean_bytes = int(PublishedDocument.objects.aggregate(n=Avg(Length("body")))["n"])
    results["mean_document_bytes"] = mean_bytes
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        results["machine"]["postgresql"] = cursor.fetchone()[0]
    connections.close_all()

    work_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    started: list[servers.Server] = []
    try:
        _say(f"Serving on loopback with {args.workers} workers")
        app = servers.start(
            "app", "config.wsgi", workers=args.workers, env=ENV, log_dir=work_dir, probe="/healthz"
        )
        started.append(app)
        limit = servers.start(
            "limit",
            "bench.reference:constant_app",
            workers=args.workers,
            env={**ENV, "BENCH_CONSTANT_BYTES": str(mean_bytes)},
            log_dir=work_dir,
            probe="/",
        )
        started.append(limit)
        booted = {"app": list(app.workers), "limit": list(limit.workers)}
        endpoints = workload(app.base_url, api_key)
        connections.close_all()
        measured = measure_all(
            endpoints, app=app, limit=limit, wrk=wrk, api_key=api_key, work_dir=work_dir, args=args
        )
        results["peak_rss_mb"] = {
            "app_workers": servers.workers_peak_rss(app),
            "limit_workers": servers.workers_peak_rss(limit),
        }
        results["memory_mb"] = {
            "app_master": servers.memory_mb(app.process.pid),
            "app_workers": {
                pid: servers.memory_mb(pid) for pid in servers.children(app.process.pid)
            },
        }
        results["worker_restarts"] = {
            "app": sorted(set(booted["app"]) ^ set(servers.children(app.process.pid))),
            "limit": sorted(set(booted["limit"]) ^ set(servers.children(limit.process.pid))),
        }
    except BaseException:
        sys.stderr.write(f"\nServer logs and URL lists are kept in {work_dir}\n")
        raise
    finally:
        for server in started:
            servers.stop(server)
    shutil.rmtree(work_dir, ignore_errors=True)

    ref_rps = measured[REFERENCE]["requests_per_second"]
    limit_rps = measured[LIMIT]["requests_per_second"]
    for values in measured.values():
        values["x_reference"] = values["requests_per_second"] / ref_rps
        values["x_limit"] = values["requests_per_second"] / limit_rps
    results["endpoints"] = measured

    results["write_side"], results["rerender"] = {}, None
    if not args.reads_only:
        _say(f"Write side: {args.writes} edits of live articles, each step timed")
        results["write_side"] = {
            step: t.as_dict() for step, t in writes.time_workflow(args.writes).items()
        }
        connections.close_all()
        _say("manage.py rerender_published")
        results["rerender"] = writes.time_rerender(ENV).as_dict()
    results["targets"] = targets(results)

    print(report(results))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started_at.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {path.relative_to(RESULTS.parent.parent)}")
    missed = [t["target"] for t in results["targets"] if t["floor"] and not t["met"]]
    if missed:
        print("Below a delivery floor (exit status 1): " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
