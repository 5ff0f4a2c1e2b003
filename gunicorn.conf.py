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


def child_exit(server: object, worker: object) -> None:
    """With several workers, /metrics adds up every worker's request figures from the files
    under PROMETHEUS_MULTIPROC_DIR (docs/observability.md); a worker that ended must have
    its live gauges dropped from them."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]


# gunicorn 25+ opens a control socket under the home directory of the user it runs as; the
# portal does not use that interface, and in the image that home (/app) is read-only.
control_socket_disable = True
