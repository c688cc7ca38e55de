"""Send due webhook deliveries; with --loop, keep doing it.

Safe in several processes at once (each subscription is claimed by one worker at a time, with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL). With --loop the worker survives database
outages (it logs, backs off and carries on) and writes a heartbeat after every pass; network
errors and slow receivers are attempts that failed, retried on the schedule. On PostgreSQL
it is woken by the commit that writes deliveries (LISTEN/NOTIFY), so --interval is only the
fallback.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from contentapi.workers import WorkerLoop
from webhooks.wakeup import wait_for_deliveries
from webhooks.worker import deliver_due


class Command(BaseCommand):
    help = "Send every due webhook delivery (once, or every --interval seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.WEBHOOK_POLL_INTERVAL,
            help="Seconds between passes (default WEBHOOK_POLL_INTERVAL, 1).",
        )

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        if not loop:
            self._run_once()
            return
        worker = WorkerLoop("deliver_webhooks", self._run_once, interval=interval)
        worker.wait = wait_for_deliveries  # woken at once by a commit with deliveries
        worker.install_signal_handlers()
        worker.run_forever()

    def _run_once(self) -> None:
        result = deliver_due()
        if result.sent:
            self.stdout.write(f"Sent {result.sent} webhook(s), {result.succeeded} taken.")
