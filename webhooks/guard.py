"""The SSRF guard: webhooks reach only public addresses, unless an operator allows others.

The check runs on the address the host name resolves to at send time, and the connection is
then made to that very address (webhooks/sender.py), so a name that resolves to a public
address when saved and to 127.0.0.1 later (DNS rebinding) is still refused.
`WEBHOOK_ALLOWED_PRIVATE_HOSTS` lists addresses or networks (e.g. `127.0.0.1,10.0.0.0/8`)
that may be reached anyway, over plain http too.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The URL may not be called; the message says why."""


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS
        if entry.strip()
    ]


def is_allowed_private(address: Address) -> bool:
    return any(address in network for network in allowed_networks())


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052's well-known prefix
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated (RFC 4291); `::` and `::1` too


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one reaches through: mapped (`::ffff:a.b.c.d`), NAT64,
    6to4 (`2002::/16`) or Teredo; the network translates it there, so it is what is judged."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address in IPV4_COMPATIBLE:
            return False  # never a real destination; some stacks reach a.b.c.d with it
        inner = embedded_ipv4(address)
        if inner is not None:
            address = inner
    return address.is_global and not address.is_multicast


def url_check(url: str) -> None:
    """What can be said of a URL without resolving it: https, or http to an allowed host."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Refused("Must be an absolute https URL.")
    if parts.username or parts.password:
        raise Refused("Must not carry a user name or password; the signature authenticates.")
    if parts.scheme == "http":
        try:
            literal = ipaddress.ip_address(parts.hostname)
        except ValueError:
            literal = None
        if literal is None or not is_allowed_private(literal):
            raise Refused(
                "Must be https; plain http only to an address WEBHOOK_ALLOWED_PRIVATE_HOSTS lists."
            )


def resolve(url: str) -> tuple[str, int, Address]:
    """(host, port, the address to connect to), or Refused: checked at send time."""
    url_check(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"{host} does not resolve: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if not (is_public(address) or is_allowed_private(address)):
            raise Refused(
                f"{host} resolves to {address}, a private, loopback or link-local address "
                "that WEBHOOK_ALLOWED_PRIVATE_HOSTS does not list."
            )
    return host, port, addresses[0]
