"""Fixed-window request counters shared by every worker process: the API throttles
(`core.throttling`) and the public pages that need no account (the anonymous incident
report, the partner questionnaire links) count here, per client address as
`core.clientip` decides it.

One request costs one statement wherever the count lives:
- with the Redis cache (`REDIS_URL`), an `INCR` and an `EXPIRE … NX` sent together in one
  MULTI (Redis keeps the count; the first request of a window starts its expiry);
- otherwise (the shipped database cache), one `INSERT … ON CONFLICT DO UPDATE … RETURNING`
  on `core.RateCounter`, which PostgreSQL and SQLite (3.35 and later) both run atomically.
  Going through Django's database cache instead cost a read plus a `COUNT(*)` and three
  statements of write per request, and its culling could drop counters."""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from django.http import HttpRequest

from core.clientip import client_key
from core.models import RateCounter

# About one counted request in this many also deletes the counters whose window ended, so
# the table holds roughly the clients of the current windows.
PRUNE_EVERY = 1000


def hit(key: str, window: int) -> tuple[int, float]:
    """Count one request under `key`: the number of requests counted in the current window
    of `window` seconds (this one included) and the seconds until that window ends."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _hit_redis(backend, key, window)
    return _hit_database(key, window)


def _hit_redis(backend: Any, key: str, window: int) -> tuple[int, float]:
    redis_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(redis_key, write=True)
    pipe = client.pipeline(transaction=True)
    pipe.incr(redis_key)
    pipe.expire(redis_key, window, nx=True)
    pipe.ttl(redis_key)
    count, _, ttl = pipe.execute()
    return int(count), float(ttl if ttl >= 0 else window)


def _hit_database(key: str, window: int) -> tuple[int, float]:
    now = time.time()
    alias = router.db_for_write(RateCounter)
    connection = connections[alias]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    name, hits, resets_at = (connection.ops.quote_name(c) for c in ("name", "hits", "resets_at"))
    sql = (
        f"INSERT INTO {table} ({name}, {hits}, {resets_at}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({name}) DO UPDATE SET "
        f"{hits} = CASE WHEN {table}.{resets_at} > %s THEN {table}.{hits} + 1 ELSE 1 END, "
        f"{resets_at} = CASE WHEN {table}.{resets_at} > %s "
        f"THEN {table}.{resets_at} ELSE excluded.{resets_at} END "
        f"RETURNING {hits}, {resets_at}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now + window, now, now])
        count, ends = cursor.fetchone()
        if random.randrange(PRUNE_EVERY) == 0:
            cursor.execute(f"DELETE FROM {table} WHERE {resets_at} <= %s", [now])
    return int(count), max(0.0, float(ends) - now)


def allow(key: str, limit: int, window: int) -> bool:
    """Count one request under `key`; False once `limit` requests were counted in the
    current window of `window` seconds."""
    count, _ = hit(key, window)
    return count <= limit


def key_for(scope: str, request: HttpRequest) -> str:
    """The counter's key for this request's client under `scope` ("incidents:report"...)."""
    return f"{scope}:{client_key(request)}"


def allow_client(scope: str, request: HttpRequest, limit: int, window: int) -> bool:
    """Count one request from this request's client (as `core.clientip` decides it) under
    `scope`; False once the client used the window's allowance."""
    return allow(key_for(scope, request), limit, window)
