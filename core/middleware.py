"""Response headers that every page of the portal carries (the Content-Security-Policy
itself comes from django-csp's middleware, configured in settings), and the process's
long-lived objects kept out of the garbage collector's walks."""

from __future__ import annotations

import gc
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Adds `Permissions-Policy`, and keeps what the portal answers out of every cache.

    Nearly everything the portal serves is one company's data (pages, PDFs, CSV and Excel
    exports, API answers, questionnaire links), so a response that did not choose its own
    caching is marked `private, no-store`: a shared proxy never keeps it and the browser does
    not put it on disk, where the next person at a shared yard computer could find it with the
    back button. Static files never reach this middleware (WhiteNoise answers them first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
            response["Cache-Control"] = "private, no-store, no-cache, must-revalidate, max-age=0"
        return response


class CompressTextMiddleware(GZipMiddleware):
    """gzip for the pages, API answers and CSV files, when the browser accepts it.

    A phone in a yard loads the inspection form over a weak signal: compressed, its HTML is
    a fifth of the bytes (docs/performance.md). Static files never reach this middleware
    (it sits below WhiteNoise, which serves them already compressed, gzip and Brotli, from
    the files `collectstatic` wrote). Only text is compressed: PDFs, images and Excel files
    are compressed already. Django's GZipMiddleware pads each answer with random bytes
    (since Django 4.2), which blunts BREACH against the CSRF token in the pages.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        kind = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not (kind.startswith("text/") or kind.endswith("json")):
            return response
        return super().process_response(request, response)


class FreezeLongLivedMiddleware:
    """Keeps what a web process holds for its whole life out of Python's full garbage
    collections.

    A warmed-up process holds some 170,000 objects that live as long as it does (modules,
    classes, URL patterns, compiled templates, translation catalogues, country names). A
    full collection walks every one of them, 100-500 ms on a loaded two-core machine, and
    one runs whenever enough new objects have survived, so it lands on whichever request
    is unlucky: the large-tenant crawl saw forms that answer in 20-50 ms take 200-550 ms
    once in five. `gc.freeze()` moves the objects alive at that moment into the permanent
    generation, which collections skip; it is called when the process starts and after
    its 1st, 10th, 100th, 1,000th and 10,000th request, so what the first requests load
    lazily (templates, catalogues, a form's choices) is frozen too. Cyclic garbage alive
    at those moments is kept (a few thousand objects at most, six times a process).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        if not _process["started"]:  # once a process (a test client builds many handlers)
            _process["started"] = 1
            gc.freeze()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        _process["served"] += 1
        if _process["served"] in FREEZE_AFTER:
            gc.freeze()
        return response


FREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})
# Counted for the process, not the middleware instance: each freeze also keeps whatever
# cyclic garbage is alive at that moment, so there are at most six of them a process.
_process = {"started": 0, "served": 0}
