"""The largest CDS Hooks call the service accepts, timed: a prefetched Bundle of
`ehr.cds_hooks.MAX_ENTRIES` current Conditions, a few of them matching live articles.

`python -m bench.cds_largest [--calls 30]` (or `make bench-cds`):

1. Drop and create the PostgreSQL database `contentapi_bench_cds`, migrate and load the demo
   library.
2. POST the same patient-view call `--calls` times through Django's test client (the whole
   request: parsing and validating the FHIR Bundle, the one ranking query, the cards), with a
   new `hookInstance` each time and the answer cache off, so no call is answered from it.
3. Print the median and p95 in milliseconds against the target of 200 ms, and write them to
   bench/results/cds-largest-<timestamp>.json.

Only the database `contentapi_bench_cds` is ever touched.
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

from bench.environment import RESULTS, bench_environment

DATABASE = "contentapi_bench_cds"
TARGET_MS = 200
os.environ.update(
    bench_environment(
        DATABASE, ANSWER_CACHE_SECONDS="0", INFOBUTTON_PUBLIC="true", ALLOWED_HOSTS="testserver"
    )
)

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from bench.demo_database import demo_database_recreate  # noqa: E402
from delivery.models import PublishedCode  # noqa: E402
from ehr.cds_hooks import MAX_ENTRIES  # noqa: E402

SYSTEMS = {
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "snomedct": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
}


def condition(n: int, system: str, code: str) -> dict:
    return {
        "fullUrl": f"https://fhir.hospital.example/r4/Condition/c{n}",
        "resource": {
            "resourceType": "Condition",
            "id": f"c{n}",
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": "active",
                    }
                ]
            },
            "code": {"coding": [{"system": system, "code": code, "display": f"Condition {n}"}]},
            "subject": {"reference": "Patient/bench"},
        },
    }


def largest_call() -> dict:
    """MAX_ENTRIES conditions: every code live articles carry, then codes nobody carries."""
    live = list(PublishedCode.objects.values_list("system", "code").distinct()[:MAX_ENTRIES])
    entries = [condition(n, SYSTEMS[system], code) for n, (system, code) in enumerate(live)]
    for n in range(len(entries), MAX_ENTRIES):
        entries.append(condition(n, SYSTEMS["icd10cm"], f"Z{n % 100:02d}.{n % 10}"))
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/bench", "patientId": "bench"},
        "prefetch": {
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": entries}
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    demo_database_recreate()
    call = largest_call()
    client = Client()
    times, cards = [], 0
    for _ in range(args.calls + 3):  # the first three warm up
        call["hookInstance"] = str(uuid.uuid4())
        started = time.perf_counter()
        response = client.post(
            "/cds-services/patient-education", json.dumps(call), content_type="application/json"
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:500]
        cards = len(response.json()["cards"])
    times = sorted(times[3:])
    median = statistics.median(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"CDS Hooks, {MAX_ENTRIES} conditions ({cards} cards): median {median:.1f} ms, "
        f"p95 {p95:.1f} ms, target {TARGET_MS} ms"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"cds-largest-{stamp}.json").write_text(
        json.dumps({"conditions": MAX_ENTRIES, "cards": cards, "median_ms": median, "p95_ms": p95})
    )
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
