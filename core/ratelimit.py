"""A fixed-window request counter in Django's cache, for public pages that need no account
(the anonymous incident report, the partner questionnaire links). The API uses DRF's
throttles instead."""

from __future__ import annotations

from django.core.cache import cache


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
