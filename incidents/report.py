"""The anonymous reporting link (MSC 7.25): a signed token names the company, so the URL
reveals nothing about which companies exist, and a fixed-window counter in the cache limits
how often one address may send a report."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from core import ratelimit

SALT = "incidents.anonymous-report"


def token_for(company_pk: int) -> str:
    return signing.dumps(company_pk, salt=SALT)


def company_pk_from(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def limits() -> tuple[int, int]:
    """(reports allowed, window in seconds) per client address."""
    limit, window = getattr(settings, "INCIDENT_REPORT_RATE", (5, 3600))
    return int(limit), int(window)


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def allow(request: HttpRequest) -> bool:
    """Count one report from this address; False once the window's allowance is used."""
    return ratelimit.allow(f"incidents:report:{client_address(request)}", *limits())
