"""Publish scheduled revisions whose time has come; with --loop, keep doing it.

Safe to run in several processes at once: each revision is claimed under its article's row
lock (skipped while another process holds it) and its state checked there, so none is
published twice. A revision that can never go live (older than the live one) is approved
again, with an audit event and a log line, instead of being retried forever.
"""

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from articles.workflow import GoLive, scheduled_run


class Command(BaseCommand):
    help = "Publish every scheduled revision that is due (once, or every --interval seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between runs (default 10)."
        )

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while True:
            close_old_connections()
            outcomes = scheduled_run()
            for revision in outcomes[GoLive.PUBLISHED]:
                self.stdout.write(f"Published {revision} (scheduled).")
            for revision in outcomes[GoLive.CANCELLED]:
                self.stdout.write(f"Cancelled the schedule of {revision}: it can never go live.")
            if not loop or self._stopping:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not self._stopping:
                time.sleep(min(0.5, interval))
            if self._stopping:
                return

    def _stop(self, signum: int, frame: Any) -> None:
        self._stopping = True
