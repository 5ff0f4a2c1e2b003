"""Protection of the public questionnaire pages (/q/<token>/).

Every request to them, valid token or not, counts against a fixed-window allowance per
client address kept in the cache (the same scheme as the anonymous incident form), so
guessing tokens is slow on top of being hopeless (256 random bits).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core import ratelimit


def limits() -> tuple[int, int]:
    """(requests allowed, window in seconds) per client address."""
    limit, window = getattr(settings, "QUESTIONNAIRE_LINK_RATE", (300, 3600))
    return int(limit), int(window)


def allow(request: HttpRequest) -> bool:
    """Count one request from this client; False once the window's allowance is used.
    The client is `core.clientip`'s answer: behind the portal's own proxies
    (TRUSTED_PROXY_COUNT) the address they saw, so one partner's office does not use up
    everyone's, and never an address the client wrote itself."""
    return ratelimit.allow_client("questionnaires:link", request, *limits())


def private(response: HttpResponse) -> HttpResponse:
    """Headers of every public questionnaire answer: never cached, and the token in the
    URL is never sent on to another site as a referrer. ("same-origin", not
    "no-referrer": with the latter browsers send `Origin: null` on the page's own form
    posts and Django's CSRF check refuses them.)"""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
