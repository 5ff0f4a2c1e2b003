"""The base of every DRF throttle in the portal: it counts per client address as
`core.clientip` decides it, never by DRF's own reading of X-Forwarded-For (which, with
`NUM_PROXIES` unset, uses the whole client-supplied header as the key), and it counts in
`core.ratelimit`'s shared fixed-window counters: one statement per request, the same
count in every worker process and on every machine sharing the database (or Redis)."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from core import ratelimit
from core.clientip import client_key


class ClientAddressThrottle(SimpleRateThrottle):
    """A fixed-rate throttle keyed on the client address (subclasses set `scope` and the
    rate). Every throttle of ours derives from this class so that one setting,
    `TRUSTED_PROXY_COUNT`, decides which address is counted.

    The window is fixed (it starts at a client's first request and lasts the rate's
    period), not DRF's sliding history of timestamps: counting stays one atomic statement
    whatever the rate, where the history was read, grown and rewritten on every request.
    A client may therefore make up to twice the rate across the end of one window and the
    start of the next."""

    seconds_left = 0.0

    def get_ident(self, request: Any) -> str:
        return client_key(request)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, period = self.parse_rate(self.rate)
        if limit is None or period is None:
            return True
        count, self.seconds_left = ratelimit.hit(key, period)
        return count <= limit

    def wait(self) -> float | None:
        return self.seconds_left
