"""No receiver holds another back: one deadline per attempt for the whole answer, and a
receiver that gives no answer does not delay the other subscriptions by more than it.

The drip-feeding receiver is a raw socket server: it sends a status line, then one header
byte at a time, never finishing, so a per-read timeout would never fire.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.publishing_helpers import make_live
from tests.webhooks.receiver import verified
from webhooks.models import DeliveryState, WebhookDelivery
from webhooks.worker import deliver_due

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def dripping_receiver(every: float = 0.2) -> Iterator[str]:
    """A receiver that answers a status line and then one byte of header every `every` s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                give_up = time.monotonic() + 6  # long past any deadline under test
                while not stop.is_set() and time.monotonic() < give_up:
                    conn.sendall(b"X")
                    time.sleep(every)
            except OSError:
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"
    finally:
        stop.set()
        listener.close()


def test_a_dripping_receiver_is_cut_off_at_the_deadline_for_the_whole_answer(
    receiver, subscribe, staff
):
    with dripping_receiver() as url:
        subscribe(url)
        make_live(**staff, slug="dripped")

        started = time.monotonic()
        deliver_due()
        took = time.monotonic() - started

    attempt = WebhookDelivery.objects.get().tries.get()
    assert "timed out after 1 s" in attempt.error
    assert attempt.duration_ms < 1500  # WEBHOOK_TIMEOUT is 1 s in these tests
    assert took < 3


def test_a_slow_receiver_delays_another_subscription_by_at_most_its_deadline(
    receiver, subscribe, staff
):
    with dripping_receiver() as url:
        subscribe(url)  # first in line: the worker serves subscriptions in id order
        healthy = subscribe(receiver.url)
        for n in range(4):
            make_live(**staff, slug=f"event-{n}")

        started = time.monotonic()
        deliver_due()
        took = time.monotonic() - started

    # The slow one had its one attempt (its turn ends when it gives no answer); the healthy
    # one got all four events in the same pass.
    assert [p["data"]["slug"] for p in verified(receiver, healthy["secret"])] == [
        f"event-{n}" for n in range(4)
    ]
    slow = WebhookDelivery.objects.exclude(subscription_id=healthy["id"])
    assert sorted(d.attempts for d in slow) == [0, 0, 0, 1]
    assert set(slow.values_list("state", flat=True)) == {DeliveryState.PENDING}
    assert took < 3
