"""Send due webhook deliveries; with --loop, keep doing it.

Safe in several processes at once (each subscription is claimed by one worker at a time, with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL). With --loop the worker survives database
outages (it logs, backs off and carries on) and writes a heartbeat after every pass; network
errors and slow receivers are attempts that failed, retried on the schedule. On PostgreSQL
it is woken by the commit that writes deliveries (LISTEN/NOTIFY), so --interval is only the
fallback. One subscription that cannot be served (a secret no key decrypts) is marked failing
and skipped for a while; the others go on. It needs WEBHOOK_ENCRYPTION_KEYS.
"""

from typing import Any

from contentapi.workers import WorkerCommand, WorkerLoop
from webhooks.secrets import fernet
from webhooks.wakeup import wait_for_deliveries
from webhooks.worker import deliver_due


class Command(WorkerCommand):
    help = "Send every due webhook delivery (once, or every --interval seconds)."
    kind = "deliver_webhooks"
    interval_setting = "WEBHOOK_POLL_INTERVAL"

    def handle(self, *args: Any, **options: Any) -> None:
        fernet()  # refuses to start, saying how to make one, without WEBHOOK_ENCRYPTION_KEYS
        super().handle(*args, **options)

    def configure(self, worker: WorkerLoop) -> None:
        worker.wait = wait_for_deliveries  # woken at once by a commit with deliveries

    def run_once(self) -> None:
        result = deliver_due()
        if result.sent:
            self.report(f"Sent {result.sent} webhook(s), {result.succeeded} taken.")
