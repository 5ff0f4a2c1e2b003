"""What a web process does once, after loading the portal and before its first request.

Python's cycle collector runs a full collection every so often, and a full collection
walks every object the process holds. A loaded portal holds about 165,000 of them
(Django, every app's models, views, forms and URL patterns, the libraries), so each full
collection paused whichever request triggered it for 180–230 ms on a 2-core machine,
which is what the crawl (bench/crawl.py) saw as lone slow requests on pages whose median
was a few milliseconds. Nearly all those objects live as long as the process; `settle()`
moves them to the collector's permanent generation (`gc.freeze()`), so later collections
walk only what requests made. The cost: a start-up object that later becomes cyclic
garbage is never freed, a few kilobytes at most.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> int:
    """Import every view (the URL patterns, as the first request would) and freeze what is
    loaded; returns how many objects the collector now leaves alone."""
    get_resolver().url_patterns  # noqa: B018  # imports every app's urls and views
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
