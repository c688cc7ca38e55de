"""Publish scheduled revisions whose time has come, and write the audit checkpoints that are
due (contentapi.checkpoints); with --loop, keep doing it.

Safe to run in several processes at once: each revision is claimed under its article's row
lock (skipped while another process holds it) and its state checked there, so none is
published twice. A revision that can never go live (older than the live one) is approved
again, with an audit event and a log line, instead of being retried forever. With --loop
the worker survives database outages (it logs, backs off, and carries on) and writes a
heartbeat after every run, which /api/v1/manage/status/ and /metrics report.
"""

import logging

from articles.workflow import GoLive, scheduled_run
from contentapi.checkpoints import ChainsWentBack, checkpoint_if_due
from contentapi.workers import WorkerCommand

logger = logging.getLogger(__name__)


class Command(WorkerCommand):
    help = "Publish every scheduled revision that is due (once, or every --interval seconds)."
    kind = "publish_scheduled"
    interval_setting = "SCHEDULE_INTERVAL"

    def run_once(self) -> None:
        outcomes = scheduled_run()
        for revision in outcomes[GoLive.PUBLISHED]:
            self.report(f"Published {revision} (scheduled).")
        for revision in outcomes[GoLive.CANCELLED]:
            self.report(f"Cancelled the schedule of {revision}: it can never go live.")
        try:
            checkpoint = checkpoint_if_due()
        except ChainsWentBack as lost:
            # Never sign over removed or rewritten records; an operator must look.
            logger.error("No audit checkpoint written: %s", lost)
            return
        if checkpoint is not None:
            self.report(
                f"Audit checkpoint {checkpoint.seq} ({checkpoint.reason}): {checkpoint.chains} "
                f"chains, root {checkpoint.root[:16]}."
            )
