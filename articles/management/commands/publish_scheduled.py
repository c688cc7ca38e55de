"""Publish scheduled revisions whose time has come; with --loop, keep doing it.

Safe to run in several processes at once: each revision is claimed under its article's row
lock (skipped while another process holds it) and its state checked there, so none is
published twice. A revision that can never go live (older than the live one) is approved
again, with an audit event and a log line, instead of being retried forever. With --loop
the worker survives database outages (it logs, backs off, and carries on) and writes a
heartbeat after every run, which /api/v1/manage/status/ and /metrics report.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from articles.workflow import GoLive, scheduled_run
from contentapi.workers import WorkerLoop


class Command(BaseCommand):
    help = "Publish every scheduled revision that is due (once, or every --interval seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.SCHEDULE_INTERVAL,
            help="Seconds between runs (default SCHEDULE_INTERVAL, 10).",
        )

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        worker = WorkerLoop("publish_scheduled", self._run_once, interval=interval)
        if not loop:
            self._run_once()
            return
        worker.install_signal_handlers()
        worker.run_forever()

    def _run_once(self) -> None:
        outcomes = scheduled_run()
        for revision in outcomes[GoLive.PUBLISHED]:
            self.stdout.write(f"Published {revision} (scheduled).")
        for revision in outcomes[GoLive.CANCELLED]:
            self.stdout.write(f"Cancelled the schedule of {revision}: it can never go live.")
