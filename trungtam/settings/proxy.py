"""The client's address behind the deployment's reverse proxies (settings PROXY_COUNT).

Each proxy appends the address it received the request from to X-Forwarded-For, so with N
trusted proxies the N-th entry from the right was written by the outermost one: that is the
client. Entries further left came from the browser and may be forged, so they are never used.
Login throttling (django-axes, keyed on user name and address) and the verification page use it.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        # Not through all the proxies (a direct request, or a proxy not setting the header).
        return remote
    return _address(forwarded[-count]) or remote
