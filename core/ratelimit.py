"""A fixed-window request counter in Django's cache, for public pages that need no account
(the anonymous incident report, the partner questionnaire links). The API uses DRF's
throttles (`core.throttling`) instead; both count per `core.clientip.client_address`."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from core.clientip import client_key


def allow(key: str, limit: int, window: int) -> bool:
    """Count one request under `key`; False once `limit` requests were counted in the
    current window of `window` seconds."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def key_for(scope: str, request: HttpRequest) -> str:
    """The counter's key for this request's client under `scope` ("incidents:report"...)."""
    return f"{scope}:{client_key(request)}"


def allow_client(scope: str, request: HttpRequest, limit: int, window: int) -> bool:
    """Count one request from this request's client (as `core.clientip` decides it) under
    `scope`; False once the client used the window's allowance."""
    return allow(key_for(scope, request), limit, window)
