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
