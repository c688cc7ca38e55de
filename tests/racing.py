"""Run the same work in several threads at once, for the concurrency tests."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(workers: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `workers` threads released together; returns each result or error."""
    barrier = threading.Barrier(workers)
    results: list[Any] = [None] * workers

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results
