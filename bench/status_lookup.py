"""Status look-up benchmark: the public look-up API against a bare Django JSON view, both
served by gunicorn on loopback in the same run.

Run from the repository root:

    uv run python bench/status_lookup.py                  # SQLite (a throw-away file)
    DATABASE_URL=postgres://… uv run python bench/status_lookup.py   # an empty database you own

The look-up runs with the settings that ship: the default cache (the database cache, or
Redis when REDIS_URL is set), the shipped throttle and the shipped database connection
settings. The only setting the script adds is a URL conf with one more route, the bare view
(`bench_urls` includes `portal.urls` unchanged); the rest comes from the environment as in
a deployment: DEBUG=false, ALLOWED_HOSTS, a STATUS_LOOKUP_RATE high enough that the
benchmark's one client address is never throttled (the counting still happens on every
request), and SCREENING_WARM_ON_START=false (the screening index warm-up in each worker
would otherwise compete for the CPU while the look-up is measured). It migrates a
throw-away database, creates one consenting certified member, starts gunicorn, and loads
both URLs with `wrk` when it is installed, otherwise with its own multi-process HTTP
client. It prints requests per second, p50/p99 latency and gunicorn's CPU time per request
for each (the CPU ratio holds on a busy machine, where requests per second do not), the
load average before and after, and exits 1 when the look-up reaches less than half the
bare view's throughput.

Each look-up costs one statement on the database cache: one
`INSERT … ON CONFLICT … RETURNING` counts the request (`core.ratelimit`; an unlogged table
on PostgreSQL), and the status card comes from the process's memory (kept 5 s,
verification.workflow.lookup_card), or else from one SELECT of the shared cache; with
Redis, one MULTI (and a GET when the card is not in memory). Results are in
docs/performance.md ("Status look-up").
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


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by gunicorn (master and workers): a cost per request that a
    busy machine slows down but does not inflate, unlike requests per second."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    pids += [int(c) for c in children]
    ticks = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


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

    load_before = Path("/proc/loadavg").read_text().split()[:3]
    workdir = Path(tempfile.mkdtemp(prefix="ctpat-bench-"))
    (workdir / "bench_settings.py").write_text(SETTINGS)
    (workdir / "bench_urls.py").write_text(URLS)
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    env["DEBUG"] = "false"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["STATUS_LOOKUP_RATE"] = "1000000000/s"
    # Each worker would build or map the screening index in a background thread right after
    # it starts, and the benchmark would measure that instead of the look-up.
    env["SCREENING_WARM_ON_START"] = "false"
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
        results = {}
        cpu_ms = {}
        for name, path in paths.items():
            cpu_before = server_cpu_seconds(server.pid)
            results[name] = load(port, path, options.seconds, options.clients)
            served = results[name][0] * options.seconds
            cpu_ms[name] = (server_cpu_seconds(server.pid) - cpu_before) * 1000 / served
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    load_after = Path("/proc/loadavg").read_text().split()[:3]
    cache = "Redis" if os.environ.get("REDIS_URL") else "database"
    print(f"database {env['DATABASE_URL'].split(':', 1)[0]}, {cache} cache (shipped settings)")
    print(f"load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print(
        f"gunicorn {options.workers} workers, {options.clients} clients, "
        f"{options.seconds:.0f} s each, load by {tool}"
    )
    for name, (rps, p50, p99) in results.items():
        print(
            f"{name:16} {rps:9.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   "
            f"gunicorn CPU {cpu_ms[name]:5.2f} ms/request"
        )
    ratio = results["status look-up"][0] / results["bare JSON view"][0]
    print(f"look-up / bare throughput: {ratio:.2f} (goal ≥ 0.50)")
    cpu_ratio = cpu_ms["bare JSON view"] / cpu_ms["status look-up"]
    print(f"bare / look-up gunicorn CPU per request: {cpu_ratio:.2f} (the same ratio, load-proof)")
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
