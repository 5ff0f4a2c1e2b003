"""Response headers that every page of the portal carries (the Content-Security-Policy
itself comes from django-csp's middleware, configured in settings)."""

from __future__ import annotations

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
