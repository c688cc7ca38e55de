"""Background workers that survive: a loop that backs off on database errors and beats.

A worker's run function does one pass of its work. The loop runs it every `interval`
seconds; when the database is away it logs one line, backs off (doubling up to
`MAX_BACKOFF_SECONDS`) and carries on, so the process never dies of an outage and resumes
by itself when the database is back. After every pass it writes its heartbeat.
"""

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from contentapi.models import WorkerHeartbeat

logger = logging.getLogger("contentapi.workers")

MAX_BACKOFF_SECONDS = 60.0


def worker_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"


def heartbeat_record(name: str, *, kind: str, started_at: Any, ok: bool, error: str = "") -> None:
    """Write this worker's row after a pass (created on its first)."""
    now = timezone.now()
    beat, _ = WorkerHeartbeat.objects.get_or_create(
        name=name, defaults={"kind": kind, "started_at": started_at, "last_run_at": now}
    )
    beat.last_run_at = now
    if ok:
        beat.last_ok_at = now
        beat.consecutive_failures = 0
        beat.last_error = ""
    else:
        beat.consecutive_failures += 1
        beat.last_error = error[:300]
    beat.save()


def _sleep(seconds: float) -> bool:
    time.sleep(seconds)
    return False


class WorkerLoop:
    """Run `run_once` every `interval` seconds until SIGTERM or SIGINT."""

    def __init__(self, kind: str, run_once: Callable[[], None], *, interval: float) -> None:
        self.kind = kind
        self.name = worker_name(kind)
        self.run_once = run_once
        self.interval = interval
        self.started_at = timezone.now()
        self.stopping = False
        self.failures = 0  # passes in a row that found the database away
        # Waits up to the given seconds; returns True when something woke it early (new
        # work), so the loop runs its next pass at once.
        self.wait: Callable[[float], bool] = _sleep

    def stop(self, *args: Any) -> None:
        self.stopping = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run_one_pass(self) -> float:
        """One pass and its heartbeat; returns how long to wait before the next."""
        close_old_connections()
        try:
            self.run_once()
        except DatabaseError as exc:
            self.failures += 1
            wait = min(self.interval * 2**self.failures, MAX_BACKOFF_SECONDS)
            logger.warning(
                "%s: the database is away (%s); trying again in %.0f s",
                self.kind,
                type(exc).__name__,
                wait,
            )
            connections.close_all()  # a broken connection must not be reused
            self._beat(ok=False, error=f"{type(exc).__name__}: {exc}")
            return wait
        self.failures = 0
        self._beat(ok=True)
        return self.interval

    def _beat(self, *, ok: bool, error: str = "") -> None:
        try:
            heartbeat_record(
                self.name, kind=self.kind, started_at=self.started_at, ok=ok, error=error
            )
        except DatabaseError:
            connections.close_all()  # the beat is missed; its staleness is the signal

    def run_forever(self) -> None:
        while not self.stopping:
            wait = self.run_one_pass()
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                if self.wait(min(0.5, max(0.0, deadline - time.monotonic()))):
                    break


class WorkerCommand(BaseCommand):
    """A management command that does one pass of a worker's job, or with --loop keeps doing
    it (`WorkerLoop`: backs off while the database is away, beats after every pass)."""

    kind: str  # the worker's name in heartbeats and logs
    interval_setting: str  # the setting that gives the default --interval

    def add_arguments(self, parser: CommandParser) -> None:
        default = getattr(settings, self.interval_setting)
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--interval",
            type=float,
            default=default,
            help=f"Seconds between passes (default {self.interval_setting}, {default:g}).",
        )

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        if not loop:
            self.run_once()
            return
        worker = WorkerLoop(self.kind, self.run_once, interval=interval)
        self.configure(worker)
        worker.install_signal_handlers()
        worker.run_forever()

    def configure(self, worker: WorkerLoop) -> None:
        """Adjust the loop before it starts (e.g. how it waits between passes)."""

    def run_once(self) -> None:
        raise NotImplementedError
