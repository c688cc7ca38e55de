"""What the benchmarks that run the service in their own process set before `django.setup()`:
a PostgreSQL database of their own (never the one DATABASE_URL names), the project's
settings, and bench-only keys where the caller's environment has none."""

import os
from pathlib import Path

POSTGRES = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def bench_environment(database: str, **extra: str) -> dict[str, str]:
    """The variables for a benchmark on `database`, plus `extra` (e.g. ALLOWED_HOSTS)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-secret",
        "WEBHOOK_ENCRYPTION_KEYS": os.environ.get("WEBHOOK_ENCRYPTION_KEYS")
        or "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtYXQtYWxsLS0=",
        "AUDIT_SIGNING_KEY": os.environ.get("AUDIT_SIGNING_KEY")
        or "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtYXVkaXQta2U=",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
