"""Settings gunicorn reads from the working directory when it serves the portal
(`uv run gunicorn portal.wsgi ...`, README "Running in production").

gunicorn names itself in a `Server: gunicorn` header on every answer and has no option to
leave it out; telling an attacker which server (and so which advisories) to try costs
nothing to avoid. Its response class reads the module-level name each time it writes
headers, so emptying it here empties the header for every worker.
"""

from __future__ import annotations

import gunicorn.http.wsgi  # type: ignore[import-untyped]

gunicorn.http.wsgi.SERVER = ""
