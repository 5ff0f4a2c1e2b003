"""Every command, web worker and test worker pays for what django.setup() imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

# Each of these costs a quarter of a second to a second and a half to import; the code
# that needs them imports them when it runs (screening, workbooks, PDFs, the API).
HEAVY = ("numpy", "scipy", "rapidfuzz", "rigour", "openpyxl", "weasyprint", "rest_framework.fields")


class StartUpTests(SimpleTestCase):
    def test_django_setup_imports_no_heavy_library(self) -> None:
        code = (
            "import json, sys, django; django.setup(); "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "SECRET_KEY": "x"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout.strip().splitlines()[-1]), [])

    def test_a_web_process_leaves_the_loaded_portal_out_of_full_collections(self) -> None:
        # Without portal.startup.settle() a full collection walks ~165,000 objects and
        # pauses the request that triggers it for a few hundred milliseconds.
        code = (
            "import gc, json, time; import portal.wsgi; "
            "began = time.perf_counter(); gc.collect(); "
            "ms = (time.perf_counter() - began) * 1000; "
            "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects()), ms]))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "SECRET_KEY": "x"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        frozen, walked, ms = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertGreater(frozen, 50_000)  # the views, models and libraries are all in
        self.assertLess(walked, frozen / 10)  # a full collection walks a few thousand at most
        self.assertLess(ms, 50)
