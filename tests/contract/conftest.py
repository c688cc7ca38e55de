"""The service called in process through its WSGI application, as a client outside would."""

from collections.abc import Iterator

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture
def in_process(db: None) -> Iterator[None]:
    """Requests through `config.wsgi.application` inside the test's transaction.

    Like Django's test client, they must not close the database connection at their end: it
    holds the test's transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
