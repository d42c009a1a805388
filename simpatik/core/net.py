"""The client's address, the one way every part of SIMPATIK reads it.

`X-Forwarded-For` is believed only when the request came from a proxy listed in
SIMPATIK_TRUSTED_PROXIES: anyone else can write any address there, and a brute-force counter
keyed on it would be bypassed by rotating the header.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(getattr(settings, "SIMPATIK_TRUSTED_PROXIES", ())))
    if not _trusted(remote, networks):
        return str(remote) if remote else "unknown"
    # Walk the chain from the nearest hop: the first address not one of our proxies is the client.
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a garbled hop: stop trusting the rest of the chain
        if not _trusted(address, networks):
            return str(address)
    return str(remote)
