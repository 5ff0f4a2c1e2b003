"""Status look-up benchmark: the public look-up API against a bare Django JSON view, both
served by gunicorn on loopback in the same run.

Run from the repository root:

    uv run python bench/status_lookup.py                  # SQLite (a throw-away file)
    DATABASE_URL=postgres://… uv run python bench/status_lookup.py   # an empty database you own

The script writes a small settings module (the portal's settings, plus a URL for the bare
view and a look-up rate high enough not to throttle the benchmark itself), migrates a
throw-away database, creates one consenting certified member, starts gunicorn, and loads
both URLs with `wrk` when it is installed, otherwise with its own multi-process HTTP client.
It prints requests per second and p50/p99 latency for each, and exits 1 when the look-up
reaches less than half the bare view's throughput (the goal in issue 7).

Measured on an idle 2-core machine (2026-11-22, python client, 10 s each): SQLite 0.54-0.69
of the bare view's throughput (p99 15-17 ms), PostgreSQL 0.95 (p99 11 ms). The look-up
answers from a cached status card (verification.workflow.lookup_card).

Database connections persist between requests (CONN_MAX_AGE=60, as the PostgreSQL settings
already do). Without REDIS_URL the throttle counts in a per-process local-memory cache (the default
database cache would measure SQLite write locks, not the look-up).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SETTINGS = """
from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATUS_LOOKUP_RATE = "100000000/s"
# Keep database connections between requests, as the PostgreSQL settings do; without it
# every SQLite request re-opens the file and re-runs the WAL pragmas (about 5x the cost
# of the look-up itself).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
"""
URLS = """
from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"account_number": "CT0000001", "status": "certified", "tier": 1})


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]
"""
SEED = """
from django.utils import timezone
from accounts.models import User
from certification.models import Certification
from companies.models import Company
from verification.models import Consent

officer = User.objects.create_user("bench-officer@example.test", "x")
company = Company.objects.create(legal_name="Bench Imports", business_type="importer", country="US")
Certification.objects.create(
    company=company, status="validated", tier=2, certified_at=timezone.now()
)
Consent.objects.create(company=company, signed_by=officer, signer_name="B", signer_title="CEO",
                       signed_at=timezone.now())
print(company.account_number)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(port: int, seconds: float = 120.0) -> None:
    """gunicorn binds the port before its workers have loaded Django; wait for an answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def _worker(args: tuple[int, str, float]) -> list[float]:
    port, path, seconds = args
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < end:
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    return latencies


def load_python(port: int, path: str, seconds: float, clients: int) -> tuple[float, float, float]:
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(_worker, [(port, path, seconds)] * clients)
    latencies = sorted(x for r in results for x in r)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p99 * 1000


def load_wrk(port: int, path: str, seconds: float, clients: int) -> tuple[float, float, float]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(clients, 4)}",
            f"-c{clients}",
            f"-d{int(seconds)}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(token: str) -> float:
        value = token.strip()
        for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
            if value.endswith(unit):
                return float(value[: -len(unit)]) * factor
        return float(value)

    rps = next(
        float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec")
    )
    p50 = next(ms(line.split()[1]) for line in out.splitlines() if line.strip().startswith("50%"))
    p99 = next(ms(line.split()[1]) for line in out.splitlines() if line.strip().startswith("99%"))
    return rps, p50, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) // 2))
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ctpat-bench-"))
    (workdir / "bench_settings.py").write_text("import os\n" + SETTINGS)
    (workdir / "bench_urls.py").write_text(URLS)
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(workdir), str(REPO)])
    manage = [sys.executable, "-m", "django"]
    server = None
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=REPO, check=True)
        account = (
            subprocess.run(
                [*manage, "shell", "-c", SEED],
                env=env,
                cwd=REPO,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "-w",
                str(options.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
        wait_until_serving(port)
        load = load_wrk if shutil.which("wrk") else load_python
        tool = "wrk" if load is load_wrk else "python client"
        paths = {"bare JSON view": "/bench/bare/", "status look-up": f"/api/v1/status/{account}/"}
        for path in paths.values():  # warm-up: imports, connections, first queries
            load(port, path, 1.0, 2)
        results = {
            name: load(port, path, options.seconds, options.clients) for name, path in paths.items()
        }
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"gunicorn {options.workers} workers, {options.clients} clients, "
        f"{options.seconds:.0f} s each, load by {tool}"
    )
    for name, (rps, p50, p99) in results.items():
        print(f"{name:16} {rps:9.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    ratio = results["status look-up"][0] / results["bare JSON view"][0]
    print(f"look-up / bare throughput: {ratio:.2f} (goal ≥ 0.50)")
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
