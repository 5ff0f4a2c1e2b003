"""Every command, web worker and test worker pays for what django.setup() imports."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.test import SimpleTestCase

# Each of these costs a quarter of a second to a second and a half to import; the code
# that needs them imports them when it runs (screening, workbooks, PDFs, the API).
HEAVY = ("numpy", "scipy", "rapidfuzz", "rigour", "openpyxl", "weasyprint", "rest_framework.fields")


class StartUpTests(SimpleTestCase):
    def printed_by_fresh_process(self, code: str) -> Any:
        """Run `code` in a new Python process of the portal; the JSON of its last line."""
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "SECRET_KEY": "x"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def test_django_setup_imports_no_heavy_library(self) -> None:
        code = (
            "import json, sys, django; django.setup(); "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
        )
        self.assertEqual(self.printed_by_fresh_process(code), [])

    def test_a_web_process_leaves_the_loaded_portal_out_of_full_collections(self) -> None:
        # Without portal.startup.settle() a full collection walks ~165,000 objects and
        # pauses the request that triggers it for a few hundred milliseconds.
        # The libraries pages import when they first need them (PDFs, workbooks, the
        # screening engine) are loaded and frozen before the first request too.
        code = (
            "import gc, json, sys, time; import portal.wsgi; "
            "began = time.perf_counter(); gc.collect(); "
            "ms = (time.perf_counter() - began) * 1000; "
            f"print(json.dumps([gc.get_freeze_count(), len(gc.get_objects()), ms, "
            f"[m for m in {HEAVY!r} if m not in sys.modules]]))"
        )
        frozen, walked, ms, not_loaded = self.printed_by_fresh_process(code)
        self.assertGreater(frozen, 50_000)  # the views, models and libraries are all in
        self.assertLess(walked, frozen / 10)  # a full collection walks a few thousand at most
        self.assertLess(ms, 50)
        self.assertEqual(not_loaded, [])

    def test_a_large_load_after_the_start_is_frozen_after_the_next_request(self) -> None:
        from django.http import HttpRequest, HttpResponse

        from portal import startup

        self.addCleanup(setattr, startup, "_served", startup._served)
        self.addCleanup(setattr, startup, "_freeze_due", False)
        gc.callbacks.append(startup._after_collection)
        self.addCleanup(gc.callbacks.remove, startup._after_collection)
        middleware = startup.RefreezeMiddleware(lambda request: HttpResponse("ok"))
        startup._served = 2  # a settled process past its first request
        self.addCleanup(gc.unfreeze)

        def walked_after(load: int) -> tuple[int, int]:
            """Objects a full collection walks after loading `load` long-lived objects and
            answering one request, and after a second request."""
            gc.collect()
            gc.freeze()  # as settle() left the process
            startup._freeze_due = False
            kept = [[n] for n in range(load)]  # a cache, an index: long-lived containers
            gc.collect()  # as the collector would, during some request
            middleware(HttpRequest())
            first = len(gc.get_objects())
            middleware(HttpRequest())
            del kept
            return first, len(gc.get_objects())

        small, _ = walked_after(1_000)
        self.assertGreater(small, 1_000)  # a small load stays with the collector
        large, after = walked_after(startup.FREEZE_ABOVE + 10_000)
        self.assertLess(large, 1_000)  # frozen: a full collection no longer walks it
        self.assertLess(after, 1_000)

    def test_a_settled_process_freezes_again_after_its_first_requests_only(self) -> None:
        from django.http import HttpRequest, HttpResponse

        from portal import startup

        self.addCleanup(setattr, startup, "_served", startup._served)
        middleware = startup.RefreezeMiddleware(lambda request: HttpResponse("ok"))

        def frozen_by_one_request() -> bool:
            gc.unfreeze()
            middleware(HttpRequest())
            return gc.get_freeze_count() > 0

        startup._served = None  # a test run or a command: never
        self.assertFalse(any(frozen_by_one_request() for _ in range(12)))
        startup._served = 0  # after settle()
        served = [frozen_by_one_request() for _ in range(100)]
        self.assertEqual([n + 1 for n, frozen in enumerate(served) if frozen], [1, 10, 100])

    def test_the_portal_runs_the_middleware(self) -> None:
        self.assertIn("portal.startup.RefreezeMiddleware", settings.MIDDLEWARE)


class CommandLineTests(SimpleTestCase):
    def ctpat(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
        return subprocess.run(
            [sys.executable, "-m", "portal.manage", *args],
            cwd=settings.BASE_DIR,
            env={**environ, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def test_version_names_the_product_without_any_setting(self) -> None:
        done = self.ctpat("--version")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout.strip(), r"^OpenCTPAT \S+ \(Django 5\.2\.\d+\)$")

    def test_a_missing_setting_is_named_without_a_traceback(self) -> None:
        done = self.ctpat("check")
        self.assertEqual(done.returncode, 2)
        self.assertIn("ctpat: SECRET_KEY is not set (see .env.example)", done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        done = self.ctpat("check", SECRET_KEY="x", LOG_FORMAT="xml")
        self.assertEqual(done.returncode, 2)
        self.assertIn("LOG_FORMAT='xml'", done.stderr)
