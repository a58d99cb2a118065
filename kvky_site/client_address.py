"""The address of the client behind our own proxies, for per-address limits (web chat, admin logins).

Behind the ingress REMOTE_ADDR is the ingress. Each proxy appends the address it was called from to
X-Forwarded-For, so the header is read from the right: while the address that handed us the request is
one of TRUSTED_PROXIES, its claim about who called it is believed. The first address that is not a
trusted proxy is the client; whatever lies left of it was written by the client and proves nothing.
"""

import ipaddress
import logging
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "unknown"


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The networks of `entries` (addresses or CIDRs); a malformed entry is logged and trusts nobody."""
    return _networks(tuple(entries))


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.warning("TRUSTED_PROXIES: %r is not an address or network like 10.0.0.0/8; ignored", entry)
    return tuple(networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind trusted proxies, the last address they vouch for."""
    remote = request.META.get("REMOTE_ADDR") or ""
    current = _address(remote)
    if current is None:
        return remote.strip() or UNKNOWN
    networks = trusted_networks(settings.TRUSTED_PROXIES)
    if networks:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            if not _trusted(current, networks):
                break
            claimed = _address(hop)
            if claimed is None:  # a proxy passed on garbage: stop at the last address we can name
                break
            current = claimed
    return str(current)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d: one client, one address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def login_client_address(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the client's address, or None when the request names none
    (axes stores it in an address column, which PostgreSQL refuses to hold a word in)."""
    address = client_address(request)
    return None if address == UNKNOWN or _address(address) is None else address
