"""Background workers that survive: a loop that backs off on any failure and beats.

A worker's run function does one pass of its work. The loop runs it every `interval`
seconds. When a pass fails, the loop closes every connection, backs off (doubling up to
`MAX_BACKOFF_SECONDS`) and carries on, so the process never dies and resumes by itself:
an error of its own connection or the network (the database restarting, a cut, `LISTEN`
losing its socket) is transient and logged once per outage, without a traceback; anything
else is a fault in the pass and is logged with its traceback every time. After every pass it
writes its heartbeat, and removes those of workers that stopped beating a day ago.
"""

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, close_old_connections, connections
from django.utils import timezone

from contentapi.models import WorkerHeartbeat

logger = logging.getLogger("contentapi.workers")

MAX_BACKOFF_SECONDS = 60.0
FORGET_AFTER = timedelta(days=1)  # and one older than this is removed
PRUNE_EVERY_SECONDS = 600.0  # how often a looping worker looks for such rows


def is_transient(exc: BaseException) -> bool:
    """An error of the worker's own connection or of the network, which passes by itself:
    Django's database errors, the driver's own (a psycopg error raised outside Django's
    wrappers, as `LISTEN`'s wait raises them) and socket errors."""
    driver_error = connections[DEFAULT_DB_ALIAS].Database.Error
    return isinstance(exc, DatabaseError | driver_error | OSError)


def connections_drop() -> None:
    """Close every connection so the next use opens a fresh one; a broken one may fail to
    close, which is fine."""
    for alias in connections:
        try:
            connections[alias].close()
        except Exception:  # already broken; it is dropped either way
            connections[alias].connection = None


def worker_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"


def heartbeat_record(
    name: str,
    *,
    kind: str,
    started_at: Any,
    ok: bool,
    error: str = "",
    interval: float = 0.0,
    prune: bool = True,
) -> None:
    """Write this worker's row after a pass (created on its first), and forget workers that
    have not beaten for a day (restarted processes leave their rows behind)."""
    now = timezone.now()
    if prune:
        WorkerHeartbeat.objects.filter(last_run_at__lt=now - FORGET_AFTER).delete()
    beat, _ = WorkerHeartbeat.objects.get_or_create(
        name=name, defaults={"kind": kind, "started_at": started_at, "last_run_at": now}
    )
    beat.last_run_at = now
    beat.interval_seconds = interval
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
        self.pruned_at = -PRUNE_EVERY_SECONDS  # monotonic time of its last look for old rows
        self.stopping = False
        self.failures = 0  # passes in a row that failed
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
        try:
            close_old_connections()
            self.run_once()
        except Exception as exc:  # nothing a pass does may end the worker
            self.failures += 1
            wait = min(max(self.interval, 0.5) * 2**self.failures, MAX_BACKOFF_SECONDS)
            if not is_transient(exc):
                logger.exception(
                    "%s: a pass failed (%s); trying again in %.0f s",
                    self.kind,
                    type(exc).__name__,
                    wait,
                )
            elif self.failures == 1:  # once per outage; the heartbeat counts the rest
                logger.warning(
                    "%s: the database is away (%s: %s); trying again with backoff",
                    self.kind,
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
                )
            connections_drop()  # a broken connection must not be reused
            self._beat(ok=False, error=f"{type(exc).__name__}: {exc}")
            return wait
        if self.failures:
            logger.info("%s: working again after %s failed pass(es)", self.kind, self.failures)
        self.failures = 0
        self._beat(ok=True)
        return self.interval

    def _beat(self, *, ok: bool, error: str = "") -> None:
        # Old rows are looked for not on every pass (a woken webhook worker makes several
        # a second): a row a day old can wait ten minutes more.
        prune = time.monotonic() - self.pruned_at >= PRUNE_EVERY_SECONDS
        try:
            heartbeat_record(
                self.name,
                kind=self.kind,
                started_at=self.started_at,
                ok=ok,
                error=error,
                interval=self.interval,
                prune=prune,
            )
            if prune:
                self.pruned_at = time.monotonic()
        except Exception as exc:  # the beat is missed; its staleness is the signal
            if not is_transient(exc):
                logger.exception("%s: the heartbeat could not be written", self.kind)
            connections_drop()

    def run_forever(self) -> None:
        while not self.stopping:
            wait = self.run_one_pass()
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                if self._wait(min(0.5, max(0.0, deadline - time.monotonic()))):
                    break

    def _wait(self, seconds: float) -> bool:
        try:
            return self.wait(seconds)
        except Exception as exc:  # a wait that fails is a wait that ended
            if not is_transient(exc):
                logger.exception("%s: waiting for work failed", self.kind)
            connections_drop()
            time.sleep(seconds)
            return False


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

    looping = False

    def report(self, message: str) -> None:
        """What a pass did: a log line (JSON, like every other) while looping, else stdout."""
        if self.looping:
            logger.info("%s: %s", self.kind, message)
        else:
            self.stdout.write(message)

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        if not loop:
            self.run_once()
            return
        self.looping = True
        worker = WorkerLoop(self.kind, self.run_once, interval=interval)
        self.configure(worker)
        worker.install_signal_handlers()
        worker.run_forever()

    def configure(self, worker: WorkerLoop) -> None:
        """Adjust the loop before it starts (e.g. how it waits between passes)."""

    def run_once(self) -> None:
        raise NotImplementedError
