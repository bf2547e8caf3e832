"""The address a request really came from, behind the reverse proxies the site is run behind.

Sign-in throttling (django-axes) and the public form's rate limit (core.rate_limit) both count
by client address, so both use `client_ip`. Behind a proxy, REMOTE_ADDR is the proxy's address,
shared by everyone; the client's address is in X-Forwarded-For.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
PROXY_COUNT proxies in front of the site the client's address is the entry PROXY_COUNT places
from the right. Entries further left were written by the client and can say anything, so they
are never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR with no proxy, else the trusted X-Forwarded-For entry.

    A request with fewer forwarded entries than there are proxies did not come through them
    all, and an entry that is not an IP address is not one a proxy wrote: both give REMOTE_ADDR.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxy_count:
        return remote_addr
    candidate = forwarded[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
