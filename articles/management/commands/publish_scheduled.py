"""Publish scheduled revisions whose time has come; with --loop, keep doing it.

Safe to run in several processes at once: each revision is claimed under its article's row
lock (skipped while another process holds it) and its state checked there, so none is
published twice. A revision that can never go live (older than the live one) is approved
again, with an audit event and a log line, instead of being retried forever. With --loop
the worker survives database outages (it logs, backs off, and carries on) and writes a
heartbeat after every run, which /api/v1/manage/status/ and /metrics report.
"""

from articles.workflow import GoLive, scheduled_run
from contentapi.workers import WorkerCommand


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
