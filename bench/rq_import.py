"""Benchmark: one background partner import of N partners screened by 1, 2 and 4 RQ
workers (`ctpat rqworker`), against two baselines measured in the same run.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME SECRET_KEY=x \
     uv run python bench/rq_import.py [partners] [workers ...]
Defaults: 100,000 partners, with 1, 2 and 4 workers. Needs PostgreSQL (the workers are
other processes) and Redis at 127.0.0.1:6379 (database 10 is flushed). Loads the real
list files of the shared watchlists folder; the partners are generated from a fixed seed,
one in every 1,000 carrying a name from the BIS Denied Persons List, so alerts appear.

Each run: the workers are started and registered first (their start-up is not counted),
then the import's screening is enqueued (`partners.workflow.start_import_screening`, the
import page's path), which splits it into tasks of PARTNER_SCREENING_TASK_ROWS partners
(here partners/16, or BENCH_TASK_ROWS); the clock stops when the batch is finished.
Baselines: the same screening in this process without a queue (`screen_import` on the
database backend, with the same database writes), and `ctpat screen --workers 1` of the
same names (one process, file in, file out, no database writes; start-up included).
"""

from __future__ import annotations

import csv
import io
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
QUEUE_URL = "redis://127.0.0.1:6379/10"
INDEX_DIR = tempfile.mkdtemp(prefix="ctpat-bench-index-")
os.environ["SCREENING_INDEX_DIR"] = INDEX_DIR  # this process builds it, workers map it

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings, setup_test_environment  # noqa: E402

ROLES = ["manufacturer", "highway_carrier", "warehouse", "customs_broker", "forwarder", "3pl"]
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO"]
RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    "RQ_QUEUES": {"default": {"URL": QUEUE_URL}},
}
# BENCH_WORKER_CLASS=rq.worker.SimpleWorker: jobs run in the worker process itself instead
# of a forked child per job.
WORKER_CLASS = (
    ["--worker-class", os.environ["BENCH_WORKER_CLASS"]]
    if os.environ.get("BENCH_WORKER_CLASS")
    else []
)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"


def partner_names(count: int) -> list[tuple[str, str]]:
    """(name, country) of `count` partners, reproducibly; every 1,000th is a listed name."""
    from screening.index import default_lists_dir

    dpl = default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt"
    listed = sorted(
        {line.split("\t")[0].strip('"').strip() for line in dpl.read_text().splitlines()[1:]} - {""}
    )
    rng = random.Random(19)
    picks = rng.sample(listed, min(len(listed), count // 1000 + 1))
    rows = []
    for i in range(count):
        if i % 1000 == 999 and picks:
            rows.append((picks.pop().title(), "PA"))
        else:
            town = rng.choice(["Norte", "Bajío", "Golfo", "Pacífico", "Sureste", "Centro"])
            kind = rng.choice(["Transportes", "Logística", "Almacenes", "Fletes", "Textiles"])
            rows.append((f"{kind} del {town} {i} SA de CV", COUNTRIES[i % len(COUNTRIES)]))
    return rows


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    worker_counts = [int(n) for n in sys.argv[2:]] or [1, 2, 4]
    task_rows = int(os.environ.get("BENCH_TASK_ROWS") or math.ceil(count / 16))
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
    tmp = Path(tempfile.mkdtemp(prefix="ctpat-bench-rq-import-"))
    ctpat = str(Path(sys.executable).with_name("ctpat"))
    try:
        from companies.models import Company
        from partners import importing, workflow
        from partners.models import PartnerImport, PartnerScreening
        from screening.index import active_index

        with open(os.devnull, "w") as quiet:  # the real list files (one has a cut-off tail)
            call_command("load_watchlists", allow_truncated_tail=True, stdout=quiet, stderr=quiet)
        index, versions = active_index()  # built once into INDEX_DIR; the workers map it
        print(
            f"{count:,} partners, {len(versions)} list versions; tasks of {task_rows:,} "
            f"partners; {os.cpu_count()} cores; {load()}",
            flush=True,
        )
        rows = partner_names(count)
        # Listed names can hold commas ("…, S.L."): the csv module quotes them.
        upload = csv_text(
            ["name", "role", "country"],
            ((name, ROLES[i % len(ROLES)], country) for i, (name, country) in enumerate(rows)),
        )
        (tmp / "screen.csv").write_text(
            csv_text(["id", "name", "country"], ((i, n, c) for i, (n, c) in enumerate(rows)))
        )
        company = Company.objects.create(
            legal_name="Bench Importer", business_type="importer", country="US"
        )
        start = time.perf_counter()
        checked = importing.check_file(company, io.BytesIO(upload.encode()), "b.csv")
        assert not checked.errors, checked.errors[:5]
        created = importing.write_rows(company, checked.rows)
        ids = [p.pk for p in created]
        print(f"import check + write: {time.perf_counter() - start:.1f} s", flush=True)

        def new_batch() -> PartnerImport:
            PartnerScreening.objects.all().delete()
            return PartnerImport.objects.create(
                company=company,
                filename="bench.csv",
                status=PartnerImport.Status.DONE,
                created_count=len(ids),
                screening_total=len(ids),
                pending_partner_ids=ids,
            )

        def report(label: str, seconds: float, extra: str = "") -> None:
            print(
                f"{label}: {count:,} partners in {seconds:.1f} s "
                f"({count / seconds:,.0f} partners/s){extra}; {load()}",
                flush=True,
            )

        # Baseline 1: one process, no queue, the same database writes.
        batch = new_batch()
        start = time.perf_counter()
        outcome = workflow.screen_import(batch.pk)
        seconds = time.perf_counter() - start
        assert outcome["screened"] == count, outcome
        report("baseline, in-process screen_import (no queue)", seconds,
               f", {outcome['alerts']} alerts")  # fmt: skip
        # Baseline 2: the bare engine through the command line, one process; its start-up
        # (Django, mapping the index) is measured on a one-partner file and taken off.
        (tmp / "one.csv").write_text("id,name,country\n0,Fletes del Norte,MX\n")

        def screen(path: Path) -> float:
            start = time.perf_counter()
            subprocess.run(
                [ctpat, "screen", str(path), "--out", str(tmp / "hits.csv"), "--workers", "1"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "LOG_LEVEL": "WARNING"},
            )  # fmt: skip
            return time.perf_counter() - start

        startup = min(screen(tmp / "one.csv") for _ in range(2))  # the first one is cold
        seconds = min(screen(tmp / "screen.csv") for _ in range(2))
        net = f"{count / (seconds - startup):,.0f}" if seconds > startup else "(noise)"
        report("baseline, ctpat screen --workers 1 (file, no database; best of 2)", seconds,
               f"; without its {startup:.1f} s start-up {net} partners/s")  # fmt: skip

        queue = redis.Redis.from_url(QUEUE_URL)
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": QUEUE_URL,
            "TASKS_BACKEND": "rq",
            "SCREENING_INDEX_DIR": INDEX_DIR,
            "SCREENING_WARM_ON_START": "false",
            "PARTNER_SCREENING_TASK_ROWS": str(task_rows),
            "LOG_LEVEL": "WARNING",
        }
        from rq import Worker

        for workers in worker_counts:
            queue.flushdb()
            batch = new_batch()
            processes = [
                subprocess.Popen(
                    [
                        ctpat,
                        "rqworker",
                        "--job-class",
                        "django_tasks_rq.Job",
                        *WORKER_CLASS,
                        "--name",
                        f"bench-{workers}-{n}",
                        "default",
                    ],
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
                for n in range(workers)
            ]
            try:
                while len(Worker.all(connection=queue)) < workers:
                    time.sleep(0.2)
                start = time.perf_counter()
                with override_settings(**RQ):
                    workflow.start_import_screening(batch)
                while True:
                    batch.refresh_from_db()
                    if batch.screening_done or batch.screening_stopped:
                        break
                    time.sleep(0.2)
                seconds = time.perf_counter() - start
            finally:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.wait()
            assert batch.screening_done and batch.screened_count == count, batch.__dict__
            report(f"{workers} RQ worker(s)", seconds, f", {batch.alert_count} alerts")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
