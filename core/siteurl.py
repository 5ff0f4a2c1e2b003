"""The address to put in an e-mailed link.

A link e-mailed while answering a request points at the address the portal was reached on
(`request.build_absolute_uri`, whose host Django has checked against ALLOWED_HOSTS), so a
portal served on another port or name than `SITE_URL` still sends links that open. Links
built without a request (scheduled reminders, commands) use `SITE_URL`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme, host and port without a trailing slash."""
    if request is None:
        return str(settings.CTPAT_SITE_URL)
    return request.build_absolute_uri("/").rstrip("/")
