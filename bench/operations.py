"""Field-operations benchmark: the inspection list, the seal log and the operations
figures with 200,000 inspections and 50,000 seals in one company.

Run from the repository root:

    uv run python bench/operations.py                       # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/operations.py

The database is a test database (created and dropped by Django's test set-up), so nothing
of yours is touched. Each page is requested `--rounds` times after a warm-up; the script
prints p50/p95 per page and the number of SQL queries, and exits 1 when a p95 is above
the goal (150 ms) or a query count differs from the pinned one (a page that starts to
issue one query per row shows up here first).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.urls import get_resolver, reverse  # noqa: E402

GOAL_MS = 150.0
INSPECTIONS = 200_000
SEALS = 50_000
# Queries per page: session, user, MFA and officer checks, company, the page's rows (no
# COUNT), the company switcher, and the page's own: checklists, last audit, or the
# operations figures of twelve months (one UNION ALL of the monthly aggregates) plus the
# seal discrepancies.
SHOW = False
PINNED = {"inspection list": 8, "seal log": 8, "operations figures": 8}


def build(n_inspections: int, n_seals: int) -> tuple[object, object]:
    from accounts.models import User
    from companies.models import Company, Membership
    from inspections.models import Inspection
    from seals.choices import EventKind
    from seals.models import Seal, SealEvent

    user = User.objects.create_user("bench@example.test", "bench-password-123")
    company = Company.objects.create(
        legal_name="Bench Carrier", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=user, role="admin")
    step = datetime.timedelta(minutes=3)
    # The inspections end today, so the operations figures (last twelve months) cover them.
    start = datetime.datetime.now(datetime.UTC) - n_inspections * step
    batch: list[Inspection] = []
    for i in range(n_inspections):
        batch.append(
            Inspection(
                company=company,
                client_key=uuid.uuid4(),
                checklist_key="container",
                checklist_name="Container (7-point)",
                iit_number=f"MSCU{i:07d}",
                direction=("outbound", "inbound", "yard")[i % 3],
                performed_at=start + i * step,
                inspector=user,
                pest_checked=True,
                pest_found=i % 97 == 0,
                pest_description="x" if i % 97 == 0 else "",
                cleaning="washed" if i % 97 == 0 else "",
                seal_number="S",
                vvtt_done=i % 10 != 0,
                signed_late=i % 29 == 0,
                signed_off_at=None
                if i % 13 == 0
                else start + i * step + datetime.timedelta(hours=1),
            )
        )
        if len(batch) == 5000:
            Inspection.objects.bulk_create(batch)
            batch = []
    Inspection.objects.bulk_create(batch)
    seals = [
        Seal(
            company=company,
            number=f"MX{i:08d}",
            manufacturer="Bench",
            certificate_ref="C",
            storage_location="Safe",
            status="in_stock" if i % 4 else "affixed",
        )
        for i in range(n_seals)
    ]
    Seal.objects.bulk_create(seals, batch_size=5000)
    some = list(Seal.objects.filter(company=company).order_by("pk")[:1000])
    SealEvent.objects.bulk_create(
        [SealEvent(seal=s, kind=EventKind.DISCREPANCY, by=user, at=start) for s in some],
        batch_size=1000,
    )
    return user, company


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    times = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    if SHOW:
        for q in ctx.captured_queries:
            print(f"  {q['time']:>6}s  {q['sql'][:300]}")
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=INSPECTIONS)
    parser.add_argument("--seals", type=int, default=SEALS)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-queries", action="store_true")
    args = parser.parse_args()
    global SHOW
    SHOW = args.show_queries
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert get_resolver().url_patterns  # a broken URL fails now, not after the build
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        began = time.perf_counter()
        user, company = build(args.inspections, args.seals)
        print(
            f"built {args.inspections} inspections, {args.seals} seals in "
            f"{time.perf_counter() - began:.0f} s on {connection.vendor}"
        )
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        pk = company.pk  # type: ignore[attr-defined]
        pages = {
            "inspection list": reverse("inspections:inspection-list", args=[pk]),
            "seal log": reverse("seals:seal-list", args=[pk]),
            "operations figures": reverse("inspections:operations-kpis", args=[pk]),
        }
        failed = False
        report = {}
        for name, url in pages.items():
            p50, p95, queries = measure(client, url, args.rounds)
            ok = p95 <= GOAL_MS and queries == PINNED[name]
            failed |= not ok
            report[name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries}
            print(
                f"{name:20} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  queries {queries} "
                f"(pinned {PINNED[name]})  {'ok' if ok else 'FAIL'}"
            )
        if args.json:
            args.json.write_text(json.dumps({"database": connection.vendor, **report}, indent=2))
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
