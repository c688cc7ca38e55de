"""The SSRF guard refuses a webhook URL if any address its host resolves to is not public.

Name resolution is replaced by the answers a hostile or careless DNS could give, so every
case runs without a network. The same answers are checked where the admin saves a URL (the
API) and where the worker sends to it (`guard.resolve`).
"""

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest

from tests.problems import assert_problem, field_errors
from webhooks import guard
from webhooks.models import WebhookSubscription

WEBHOOKS = "/api/v1/manage/webhooks/"
URL = "https://hooks.portal.example/content"
PUBLIC = "93.184.216.34"

# What a host may resolve to that a webhook must never reach, each in one DNS answer.
UNREACHABLE = {
    "public first, private second": [PUBLIC, "10.0.0.1"],
    "private first, public second": ["10.0.0.1", PUBLIC],
    "public, then loopback": [PUBLIC, "127.0.0.1"],
    "public IPv6, then unique-local IPv6": ["2606:2800:220:1:248:1893:25c8:1946", "fd00::1"],
    "cloud metadata": ["169.254.169.254"],
    "IPv4-mapped private": ["::ffff:10.0.0.1"],
    "IPv4-mapped loopback": ["::ffff:127.0.0.1"],
    "IPv4-mapped multicast": ["::ffff:224.0.0.1"],
    "IPv4 multicast": ["224.0.0.1"],
    "IPv6 multicast": ["ff02::1"],
    "IPv4-compatible loopback": ["::127.0.0.1"],
    "IPv4-compatible, even of a public address": [f"::{PUBLIC}"],
    "NAT64 of loopback": ["64:ff9b::7f00:1"],
    "NAT64 of cloud metadata": ["64:ff9b::a9fe:a9fe"],
    "6to4 of loopback": ["2002:7f00:1::"],
    "6to4 of a private address": ["2002:a00:1::1"],
}
WITH_USERINFO = ["https://user:pass@hooks.portal.example/", "https://user@hooks.portal.example/"]


@contextmanager
def dns_answers(*addresses: str) -> Iterator[None]:
    """`socket.getaddrinfo` answers `addresses`, in this order, for any host."""

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]

    with mock.patch("socket.getaddrinfo", getaddrinfo):
        yield


@pytest.fixture(autouse=True)
def _no_private_host_allowed(settings: Any) -> None:
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []


# ------------------------------------------------------------------------------
# At send time
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("addresses", UNREACHABLE.values(), ids=UNREACHABLE.keys())
def test_the_worker_is_refused_a_host_with_any_address_that_is_not_public(addresses):
    with dns_answers(*addresses), pytest.raises(guard.Refused) as refused:
        guard.resolve(URL)

    assert "WEBHOOK_ALLOWED_PRIVATE_HOSTS does not list" in str(refused.value)


@pytest.mark.parametrize("url", WITH_USERINFO)
def test_the_worker_is_refused_a_url_carrying_a_user_name(url):
    with dns_answers(PUBLIC), pytest.raises(guard.Refused) as refused:
        guard.resolve(url)

    assert "user name or password" in str(refused.value)


@pytest.mark.parametrize(
    "address",
    [PUBLIC, f"::ffff:{PUBLIC}", "64:ff9b::5db8:d822", "2002:5db8:d822::1"],
    ids=["IPv4", "IPv4-mapped", "NAT64 of a public address", "6to4 of a public address"],
)
def test_the_worker_connects_to_the_public_address_it_checked(address):
    with dns_answers(address):
        resolved = guard.resolve(URL)

    assert resolved == ("hooks.portal.example", 443, ipaddress.ip_address(address))


# ------------------------------------------------------------------------------
# At save time
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("addresses", UNREACHABLE.values(), ids=UNREACHABLE.keys())
def test_an_admin_cannot_save_a_host_with_any_address_that_is_not_public(api, admin, addresses):
    with dns_answers(*addresses):
        response = api(admin).post(WEBHOOKS, {"url": URL})

    error = field_errors(assert_problem(response, 400))["url"]
    assert "WEBHOOK_ALLOWED_PRIVATE_HOSTS does not list" in error["message"]
    assert WebhookSubscription.objects.count() == 0


@pytest.mark.parametrize("url", WITH_USERINFO)
def test_an_admin_cannot_save_a_url_carrying_a_user_name(api, admin, url):
    with dns_answers(PUBLIC):
        response = api(admin).post(WEBHOOKS, {"url": url})

    error = field_errors(assert_problem(response, 400))["url"]
    assert "user name or password" in error["message"]
    assert WebhookSubscription.objects.count() == 0


def test_an_admin_may_save_a_host_whose_every_address_is_public(api, admin):
    with dns_answers(PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"):
        response = api(admin).post(WEBHOOKS, {"url": URL})

    assert response.status_code == 201, response.content
    assert WebhookSubscription.objects.get().url == URL
