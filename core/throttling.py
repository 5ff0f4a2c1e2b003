"""The base of every DRF throttle in the portal: it counts per client address as
`core.clientip` decides it, never by DRF's own reading of X-Forwarded-For (which, with
`NUM_PROXIES` unset, uses the whole client-supplied header as the key)."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from core.clientip import client_key


class ClientAddressThrottle(SimpleRateThrottle):
    """A fixed-rate throttle keyed on the client address (subclasses set `scope` and the
    rate). Every throttle of ours derives from this class so that one setting,
    `TRUSTED_PROXY_COUNT`, decides which address is counted."""

    def get_ident(self, request: Any) -> str:
        return client_key(request)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
