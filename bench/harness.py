"""Shared pieces for benches that request pages: Django set-up, a throw-away database,
a bare signed-in view to measure beside, and one URL's timing and query count.

    from bench import harness
    harness.setup_django()
    with harness.throwaway_database():
        harness.install_bare_view()
        ...
        m = harness.measure(client, "/some/url/", rounds=10)

The database is Django's test database (SQLite in memory unless DATABASE_URL is set), so
nothing of yours is touched.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BARE_URL = "/bench/bare/"


def setup_django() -> None:
    """Configure Django for a bench run from the repository root (idempotent)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    import logging

    logging.disable(logging.INFO)  # the PDF renderer's progress lines


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Create the test database(s), yield, and drop them again."""
    import shutil
    import tempfile

    from django.conf import settings
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    media = tempfile.mkdtemp(prefix="ctpat-bench-media-")
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        yield
    finally:
        teardown_databases(old, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(media, ignore_errors=True)


def install_bare_view() -> None:
    """Serve the portal's URLs plus BARE_URL: a signed-in view rendering base.html only,
    the floor every page's time is compared with."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.urls import clear_url_caches, include, path

    @login_required
    def bare(request: HttpRequest) -> HttpResponse:
        return render(request, "base.html", {})

    module: Any = types.ModuleType("bench_harness_urls")
    module.urlpatterns = [path(BARE_URL.strip("/") + "/", bare), path("", include("portal.urls"))]
    sys.modules["bench_harness_urls"] = module
    settings.ROOT_URLCONF = "bench_harness_urls"
    clear_url_caches()


@dataclass
class Measurement:
    url: str
    p50: float  # milliseconds
    p95: float
    queries: int
    status: int

    @property
    def cells(self) -> str:
        return f"{self.p50:8.1f} {self.p95:8.1f} {self.queries:5d}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))]


def measure(client: Any, url: str, rounds: int, slow_ms: float = 2000.0) -> Measurement:
    """Request `url` `rounds` times (after one warm-up): p50/p95 in ms, the queries of the
    last request, and its status. A URL whose warm-up takes over `slow_ms` is requested
    twice only (its p95 is then its slower time), so one very slow page does not eat the
    run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    began = time.perf_counter()
    _drain(client.get(url))
    if (time.perf_counter() - began) * 1000 > slow_ms:
        rounds = min(rounds, 2)
    times: list[float] = []
    queries = 0
    status = 0
    for _ in range(max(1, rounds)):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = _drain(client.get(url))
            times.append((time.perf_counter() - began) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    return Measurement(url, statistics.median(times), percentile(times, 0.95), queries, status)


def _drain(response: Any) -> Any:
    """Read a streamed answer to its end (a CSV's rows are produced while it is read)."""
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    return response


def count_queries(client: Any, url: str) -> tuple[int, Any]:
    """One request: its query count and the response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = _drain(client.get(url))
    return len(ctx.captured_queries), response


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"
