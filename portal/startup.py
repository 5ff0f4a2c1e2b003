"""What a web process does once, after loading the portal and before its first request.

Python's cycle collector runs a full collection every so often, and a full collection
walks every object the process holds. A loaded portal holds about 165,000 of them
(Django, every app's models, views, forms and URL patterns, the libraries), so each full
collection paused whichever request triggered it for 180–230 ms on a 2-core machine,
which is what the crawl (bench/crawl.py) saw as lone slow requests on pages whose median
was a few milliseconds. Nearly all those objects live as long as the process; `settle()`
moves them to the collector's permanent generation (`gc.freeze()`), so later collections
walk only what requests made.

What is loaded later is frozen too, after the request that is being answered:
- the libraries that commands import only when they need them (so that `ctpat` starts in
  a second: PDFs, workbooks, the screening engine's arrays) are imported by `settle()`,
  and a tiny PDF is drawn so that the PDF library's fonts are loaded once, up front;
- the screening index, which `start()` loads in a background thread, is frozen when it
  is ready (`freeze_soon`);
- what the first requests load lazily (compiled templates, translation catalogues, a
  form's choices): `RefreezeMiddleware` freezes again after a settled process's 1st,
  10th, 100th, 1,000th and 10,000th request;
- anything else: after a full collection that found more than `FREEZE_ABOVE` objects
  alive outside the permanent generation, the next answered request freezes them, so at
  most one full collection pays for walking a large load.

The cost: an object that becomes cyclic garbage after being frozen is never freed. What
is frozen is what outlived a full collection or the process's start, plus the answered
request's own objects, a few thousand at most each time; the number of times is bounded
by the number of loads, not by the number of requests.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver

logger = logging.getLogger(__name__)

REFREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})
# A full collection that leaves more objects than this outside the permanent generation
# (about 10-20 ms of walking on a 2-core machine) has the next answered request freeze
# them.
FREEZE_ABOVE = 20_000
# Imported by code when it first runs (portal/tests/test_startup.py keeps them out of
# django.setup()); a web process imports them before it freezes.
WEB_IMPORTS = (
    "numpy",
    "scipy.sparse",
    "openpyxl",
    "openpyxl.styles",
    "weasyprint",
    "rest_framework.fields",
    "screening_engine",
    "screening_engine.store",
)

# Requests served since settle(); None in a process that did not settle (a test run, a
# command), which the middleware then leaves alone.
_served: int | None = None
_freeze_due = False


def start() -> threading.Thread | None:
    """What portal/wsgi.py and portal/asgi.py do once the portal is loaded: load the
    screening index in the background (frozen when ready) and settle. Returns the
    warm-up thread, if one started."""
    from screening.index import warm_in_background

    thread = warm_in_background(then=freeze_soon)
    settle()
    return thread


def settle() -> int:
    """Import every view (the URL patterns, as the first request would) and the libraries
    pages use, draw a tiny PDF, and freeze what is loaded; returns how many objects the
    collector now leaves alone."""
    global _served
    get_resolver().url_patterns  # noqa: B018  # imports every app's urls and views
    for name in WEB_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional library that is not installed
            logger.warning("web process start: %s is not installed", name)
    _draw_pdf()
    gc.collect()
    gc.freeze()
    _served = 0
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
    return gc.get_freeze_count()


def _draw_pdf() -> None:
    """Loads the fonts and the font tools the first PDF would (about a second)."""
    try:
        from core.pdf import render_pdf_string

        render_pdf_string(
            '<p style="font-family: sans-serif">OpenCTPAT <b>1</b></p>'
            '<p style="font-family: monospace">0123456789abcdef</p>'
        )
    except Exception:  # a PDF library that cannot draw fails the PDF pages, not the start
        logger.exception("web process start: the PDF library could not draw")


def freeze_soon() -> None:
    """Freeze what is loaded after the request being answered (or the next one)."""
    global _freeze_due
    _freeze_due = True


def _after_collection(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2 and _served is not None:
        if len(gc.get_objects(generation=2)) > FREEZE_ABOVE:
            freeze_soon()


class RefreezeMiddleware:
    """After a settled process's 1st, 10th, 100th… request, and after a request during
    which a large load was found, freeze what is alive again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        global _served, _freeze_due
        response = self.get_response(request)
        if _served is not None:
            _served += 1
            if _served in REFREEZE_AFTER or _freeze_due:
                _freeze_due = False
                gc.freeze()
        return response
