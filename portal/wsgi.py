"""WSGI entry point for gunicorn: `gunicorn portal.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Map the screening index now, in the background, so the first screening search after a
# (re)start does not wait for it, and put the loaded portal out of the cycle collector's
# way (portal/startup.py): no request pays for walking it. Commands never import this.
from portal.startup import start  # noqa: E402

start()
