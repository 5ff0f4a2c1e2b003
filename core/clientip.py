"""The client's address: the one answer every limit and every record in the portal uses.

Rate limits (DRF throttles, `core.ratelimit`, allauth's lockout), the anonymous incident
form, the questionnaire links and the address recorded with a signature all ask
`client_address(request)`, so a deployment that trusts its proxy trusts it everywhere and a
client can never choose its own address by sending a header.

`TRUSTED_PROXY_COUNT` says how many reverse proxies of our own stand in front of the portal.
Each of them appends the address it received the connection from to `X-Forwarded-For`, so
the entries on the right were written by proxies we trust and everything further left was
written by the client and may be forged. With N trusted proxies the client is the N-th
entry from the right: the address the outermost trusted proxy saw.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    """How many proxies of our own append to X-Forwarded-For (0: the header is ignored)."""
    return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))


def _valid_ip(value: str | None) -> str | None:
    """The address in canonical form, or None when `value` is not an IP address."""
    if not value:
        return None
    value = value.strip()
    # Some proxies write "[v6]:port" or "v4:port"; the port says nothing about the client.
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent `request`, or None when none can be trusted.

    Guarantees:
    - with `TRUSTED_PROXY_COUNT = 0` it is REMOTE_ADDR and X-Forwarded-For is never read;
    - with N > 0 it is the N-th X-Forwarded-For entry from the right, so entries the client
      put further left never count; when the header has fewer than N entries, or that entry
      is not an IP address, it falls back to REMOTE_ADDR (the nearest peer, which the client
      cannot choose);
    - the answer is always a canonical IP address string (or None), never header text.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = trusted_proxy_count()
    if count == 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",")] if header.strip() else []
    if len(hops) < count:
        return remote
    return _valid_ip(hops[-count]) or remote


def client_key(request: HttpRequest) -> str:
    """`client_address` for use in a cache key: "unknown" when there is no address, so
    clients without one share a single allowance rather than escaping the limit."""
    return client_address(request) or "unknown"
