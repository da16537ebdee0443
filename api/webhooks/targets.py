"""Where a webhook may be sent: checked when a subscription is made and again before every delivery.

Only http(s) URLs without credentials; https in production. The host must resolve only to public
addresses (no private, loopback, link-local, multicast, reserved or unspecified ones) unless
`webhooks_allow_private_targets` is set (tests). The delivery connects to an address checked here, not to
a second DNS answer, so a name cannot be re-pointed at an internal address between check and use.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from api.core.config import Settings


class TargetRefused(Exception):
    """The URL may not be called; the message says why (shown to the subscriber)."""


@dataclass(frozen=True)
class Target:
    url: str  # the URL with the host replaced by the checked address
    host: str  # the original host name, for the Host header and TLS
    address: str


def check_url(url: str, settings: Settings) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or TargetRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused("The URL is not valid") from error
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("The URL must start with https:// (or http:// outside production)")
    if settings.env == "production" and parts.scheme != "https":
        raise TargetRefused("Webhook URLs must use https")
    if not parts.hostname:
        raise TargetRefused("The URL has no host")
    if parts.username or parts.password:
        raise TargetRefused("The URL must not contain credentials; use the signature to authenticate calls")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _refusal(address.ipv4_mapped)
    for flag, what in (
        (address.is_loopback, "a loopback"),
        (address.is_private, "a private"),
        (address.is_link_local, "a link-local"),
        (address.is_multicast, "a multicast"),
        (address.is_reserved, "a reserved"),
        (address.is_unspecified, "an unspecified"),
    ):
        if flag:
            return f"{what} address"
    if not address.is_global:
        return "a non-public address"
    return None


async def resolve(url: str, settings: Settings) -> Target:
    """Check `url` and pick the address to connect to."""
    scheme, host, port = check_url(url, settings)
    try:
        literal = ipaddress.ip_address(host)
        addresses = [literal]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise TargetRefused(f"The host '{host}' cannot be resolved") from error
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise TargetRefused(f"The host '{host}' cannot be resolved")
    if not settings.webhooks_allow_private_targets:
        for address in addresses:
            problem = _refusal(address)
            if problem:
                raise TargetRefused(f"The host '{host}' resolves to {problem} ({address}), which is not allowed")
    chosen = str(addresses[0])
    netloc_host = f"[{chosen}]" if ":" in chosen else chosen
    parts = urlsplit(url)
    pinned = urlunsplit((scheme, f"{netloc_host}:{port}", parts.path or "/", parts.query, ""))
    return Target(url=pinned, host=host, address=chosen)
