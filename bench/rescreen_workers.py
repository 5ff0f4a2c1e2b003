"""Benchmark: re-screening after a new list version, one task per company, drained by 1
and by 2 RQ worker processes (`ctpat rqworker`) on Redis.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME SECRET_KEY=x \
     uv run python bench/rescreen_workers.py [partners] [companies] [workers ...]
Defaults: 20,000 partners across 200 companies, with 1 then 2 workers. Needs PostgreSQL
(the workers are other processes) and Redis at 127.0.0.1:6379 (database 11 is flushed).
The new version of the BIS Denied Persons List renames one entry to a name that one
partner of every company carries, so every company gets one alert.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
QUEUE_URL = "redis://127.0.0.1:6379/11"
os.environ["REDIS_URL"] = QUEUE_URL

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings, setup_test_environment  # noqa: E402

ROLES = ["manufacturer", "highway_carrier", "warehouse", "customs_broker", "forwarder", "3pl"]
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO"]
LISTED = "Naviera Oscura Internacional"
# BENCH_WORKER_CLASS=rq.worker.SimpleWorker: jobs run in the worker process itself (the
# screening index stays loaded between jobs) instead of a forked child per job.
WORKER_CLASS = (
    ["--worker-class", os.environ["BENCH_WORKER_CLASS"]]
    if os.environ.get("BENCH_WORKER_CLASS")
    else []
)


def worker_env(database_url: str, index_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": QUEUE_URL,
        "TASKS_BACKEND": "rq",
        "SCREENING_INDEX_DIR": index_dir,
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    partners = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    companies = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    worker_counts = [int(n) for n in sys.argv[3:]] or [1, 2]
    import redis
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (workers are processes)")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    s = connection.settings_dict
    database_url = (
        f"postgres://{s['USER']}{':' + s['PASSWORD'] if s['PASSWORD'] else ''}"
        f"@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="ctpat-bench-rq-"))
    try:
        from companies.models import Company
        from partners.models import BusinessPartner, PartnerScreening, normalise_name
        from partners.rescreening import rescreen_for_version
        from screening.index import default_lists_dir
        from screening.models import ListVersion

        lines = (default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt").read_text()
        lines_list = lines.splitlines(keepends=True)
        for folder, content in (
            ("dpl_2022-09-07", lines_list),
            (
                "dpl_2022-10-01",
                lines_list[:3]
                + [lines_list[3].replace("ABDIEL PADRON MADRID", LISTED.upper())]
                + lines_list[4:],
            ),
        ):
            (tmp / folder).mkdir()
            (tmp / folder / "dpl.txt").write_text("".join(content))
        call_command("load_watchlists", str(tmp / "dpl_2022-09-07"), stdout=io.StringIO())
        per = partners // companies
        for c in range(companies):
            company = Company.objects.create(
                legal_name=f"Bench Importer {c}", business_type="importer", country="US"
            )
            rows = [
                BusinessPartner(
                    company=company,
                    name=(name := f"Proveedor {c}-{i} SA de CV" if i else LISTED),
                    normalised_name=normalise_name(name),
                    role=ROLES[i % len(ROLES)],
                    country=COUNTRIES[i % len(COUNTRIES)] if i else "PA",
                )
                for i in range(per)
            ]
            BusinessPartner.objects.bulk_create(rows)
        # Activating the new version would enqueue on the suite's own backend: load it with
        # the immediate backend off (the database queue), then run the coordinator here.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            call_command("load_watchlists", str(tmp / "dpl_2022-10-01"), stdout=io.StringIO())
        v1, v2 = ListVersion.objects.order_by("list_date")
        queue = redis.Redis.from_url(QUEUE_URL)
        index_dir = str(tmp / "index")
        ctpat = str(Path(sys.executable).with_name("ctpat"))
        for workers in worker_counts:
            queue.flushdb()
            PartnerScreening.objects.all().delete()
            with override_settings(
                TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
                RQ_QUEUES={"default": {"URL": QUEUE_URL}},
            ):
                summary = rescreen_for_version(v2.pk, v1.pk)
            start = time.perf_counter()
            processes = [
                subprocess.Popen(
                    [
                        ctpat,
                        "rqworker",
                        "--burst",
                        "--job-class",
                        "django_tasks_rq.Job",
                        *WORKER_CLASS,
                        "default",
                    ],
                    env=worker_env(database_url, index_dir),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
                for _ in range(workers)
            ]
            for process in processes:
                process.wait()
            elapsed = time.perf_counter() - start
            alerts = PartnerScreening.objects.filter(trigger="list_update").count()
            print(
                f"{workers} worker(s): {summary['companies']} company tasks, "
                f"{BusinessPartner.objects.count():,} partners in {elapsed:.1f} s "
                f"({BusinessPartner.objects.count() / elapsed:,.0f} partners/s, "
                f"{alerts} alerts)",
                flush=True,
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
