"""Times the write side: the workflow functions in this process, and `rerender_published`.

A sample of live articles each gets a new revision that is submitted, approved by a reviewer
(never its author) and published: the path an edit of live content takes. Each call is timed
on its own with `time.perf_counter`, so the figures are the cost of the function: its
queries, its rendering and its transaction, without HTTP.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from articles import services, workflow
from articles.models import Article
from bench.seed import Staff

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("create revision", "submit", "approve", "publish")


@dataclass
class Timing:
    count: int
    median_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, values: list[float]) -> "Timing":
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(
            count=len(values),
            median_ms=statistics.median(values),
            p95_ms=p95,
            mean_ms=statistics.mean(values),
            max_ms=ordered[-1],
        )

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def time_workflow(count: int = 200, *, seed: int = 5) -> dict[str, Timing]:
    """Median and p95 of each step of editing `count` live articles through to publication."""
    staff = Staff.load()
    live_ids = list(
        Article.objects.filter(live_revision__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # One more than timed: the first edit is a warm-up (first-use loads, such as the
    # reading-grade dictionaries, are not an edit's cost) and is left out of the figures.
    chosen = random.Random(seed).sample(live_ids, min(count + 1, len(live_ids)))
    laps: dict[str, list[float]] = {step: [] for step in STEPS}
    for number, article_id in enumerate(chosen):
        article = Article.objects.select_related("latest_revision").get(pk=article_id)
        latest = article.latest_revision
        editor = staff.editors[number % len(staff.editors)]
        reviewer = staff.reviewers[number % len(staff.reviewers)]
        started = time.perf_counter()
        revision = services.revision_create(
            actor=editor,
            article=article,
            base_revision=latest.number,
            changes={
                "body": latest.body
                + f"\n## What changed\n\nWe checked this article again (edit {number}).\n",
                "editor_note": "We checked this article again and updated one section.",
            },
        )
        started = _lap(laps, "create revision", started)
        workflow.revision_submit(actor=editor, revision=revision)
        started = _lap(laps, "submit", started)
        workflow.revision_approve(actor=reviewer, revision=revision, comment="Still accurate.")
        started = _lap(laps, "approve", started)
        workflow.revision_publish(actor=staff.publisher, revision=revision)
        _lap(laps, "publish", started)
        _progress(number + 1, len(chosen))
    sys.stderr.write("\n")
    return {step: Timing.of(values[1:] or values) for step, values in laps.items()}


def _lap(laps: dict[str, list[float]], step: str, started: float) -> float:
    now = time.perf_counter()
    laps[step].append((now - started) * 1000)
    return now


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r  write side: {done}/{total} edits taken live ")
    sys.stderr.flush()


@dataclass
class RerenderResult:
    seconds: float
    summary: str

    def as_dict(self) -> dict[str, float | str]:
        return asdict(self)


def time_rerender(env: dict[str, str]) -> RerenderResult:
    """Wall time of `manage.py rerender_published --force`; its progress bar goes to stderr.

    `--force` writes every document, as after a renderer change that alters them all: the
    worst case, not the quick pass that finds nothing changed.
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "rerender_published", "--force"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rerender_published failed ({done.returncode}):\n{done.stdout}")
    return RerenderResult(seconds=seconds, summary=done.stdout.strip())
