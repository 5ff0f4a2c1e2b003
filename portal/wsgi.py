"""WSGI entry point for gunicorn: `gunicorn portal.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Map the screening index now, in the background, so the first screening search after a
# (re)start does not wait for it; commands that do not screen never import this module.
from screening.index import warm_in_background  # noqa: E402

warm_in_background()

# Out of the cycle collector's way (portal/startup.py): no request pays for walking the
# loaded portal.
from portal.startup import settle  # noqa: E402

settle()
