"""What a web process does once, after loading the portal and before its first request.

Python's cycle collector runs a full collection every so often, and a full collection
walks every object the process holds. A loaded portal holds about 165,000 of them
(Django, every app's models, views, forms and URL patterns, the libraries), so each full
collection paused whichever request triggered it for 180–230 ms on a 2-core machine,
which is what the crawl (bench/crawl.py) saw as lone slow requests on pages whose median
was a few milliseconds. Nearly all those objects live as long as the process; `settle()`
moves them to the collector's permanent generation (`gc.freeze()`), so later collections
walk only what requests made. What the first requests load lazily (compiled templates,
translation catalogues, a form's choices) is frozen too: `RefreezeMiddleware` freezes
again after a settled process's 1st, 10th, 100th, 1,000th and 10,000th request. The cost:
an object that becomes cyclic garbage after being frozen is never freed, a few thousand
objects at most, six times.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver

REFREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})

# Requests served since settle(); None in a process that did not settle (a test run, a
# command), which the middleware then leaves alone.
_served: int | None = None


def settle() -> int:
    """Import every view (the URL patterns, as the first request would) and freeze what is
    loaded; returns how many objects the collector now leaves alone."""
    global _served
    get_resolver().url_patterns  # noqa: B018  # imports every app's urls and views
    gc.collect()
    gc.freeze()
    _served = 0
    return gc.get_freeze_count()


class RefreezeMiddleware:
    """After a settled process's 1st, 10th, 100th… request, freeze what is alive again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        global _served
        response = self.get_response(request)
        if _served is not None:
            _served += 1
            if _served in REFREEZE_AFTER:
                gc.freeze()
        return response
