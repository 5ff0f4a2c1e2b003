"""Query-plan benchmark: the lists whose speed at a large tenant depends on the plan the
database picks, with 50,000 partners, 200,000 inspections and 2,000 audit entries in one
company.

Run from the repository root:

    uv run python bench/plans.py                       # SQLite (a throw-away test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/plans.py

The database is a test database (created and dropped by Django's test set-up). The
inspections come from `bench/operations.py`'s builder; on PostgreSQL the tables are
vacuumed and analysed after the build, as autovacuum would have done by the time anyone
reads them (without it no index-only scan is possible). Each URL is requested `--rounds`
times after a warm-up; the script prints p50/p95 and the SQL queries per URL beside
`/healthz` (no database) measured in the same run, and the load average.

What each line watches (docs/performance.md, "Query plans at a large tenant"):
- partner list, page and API: the (company, name) index gives the first page in order;
- inspections API: the list filters by the user's one company id, so the
  (company, -performed_at) index serves the page instead of a sort of every row;
- operations figures: counts over columns of the covering index (PostgreSQL);
- audit trail, pages 1 and 2: the records a change points to are read one query per kind
  of record, the same count on every page.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("SCREENING_WARM_ON_START", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

PARTNERS = 50_000
AUDIT_ENTRIES = 2_000
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO"]


def build_partners(company: object, n: int) -> None:
    from partners.models import BusinessPartner

    BusinessPartner.objects.bulk_create(
        (
            BusinessPartner(
                company=company,
                name=f"Partner {(i * 7919) % n:06d} S.A.",
                normalised_name=f"partner {(i * 7919) % n:06d} sa",
                role="carrier",
                country=COUNTRIES[i % len(COUNTRIES)],
                computed_tier="low",
                tier="low",
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def build_audit(company: object, n: int) -> None:
    """Changes of partners that name other records (their owner, who lifted a hold): the
    kind of entry whose display asked the database once per value."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User
    from partners.models import BusinessPartner

    people = [
        User.objects.create_user(f"staff{i}@example.test", "bench-password-123") for i in range(40)
    ]
    partners = list(BusinessPartner.objects.filter(company=company).values_list("pk", "name")[:n])
    kind = ContentType.objects.get_for_model(BusinessPartner)
    now = datetime.datetime.now(datetime.UTC)
    LogEntry.objects.bulk_create(
        (
            LogEntry(
                content_type=kind,
                object_pk=str(pk),
                object_id=pk,
                object_repr=name,
                action=LogEntry.Action.UPDATE,
                changes={
                    "relationship_owner": [str(people[i % 40].pk), str(people[(i + 1) % 40].pk)],
                    "hold_lifted_by": ["None", str(people[(i + 7) % 40].pk)],
                    "city": ["", "Laredo"],
                },
                actor=people[i % 40],
                timestamp=now - datetime.timedelta(minutes=i),
                additional_data={"company_id": company.pk},  # type: ignore[attr-defined]
            )
            for i, (pk, name) in enumerate(partners)
        ),
        batch_size=1000,
    )


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    assert client.get(url).status_code == 200, url  # warm-up
    times = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries


def main() -> int:
    spec = importlib.util.spec_from_file_location("bench_operations", REPO / "bench/operations.py")
    assert spec is not None and spec.loader is not None
    operations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(operations)
    build_inspections = operations.build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=PARTNERS)
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        began = time.perf_counter()
        user, company = build_inspections(args.inspections, 0)
        build_partners(company, args.partners)
        build_audit(company, AUDIT_ENTRIES)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"built {args.partners} partners, {args.inspections} inspections, "
            f"{AUDIT_ENTRIES} audit entries in {time.perf_counter() - began:.0f} s "
            f"on {connection.vendor}"
        )
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        pk = company.pk  # type: ignore[attr-defined]
        audit = reverse("companies:audit-log", args=[pk])
        pages = {
            "/healthz (baseline)": "/healthz",
            "partner list": reverse("partners:partner-list", args=[pk]),
            "partner list, last page": reverse("partners:partner-list", args=[pk])
            + f"?page={args.partners // 50}",
            "partners API": "/api/v1/partners/",
            "inspections API": "/api/v1/inspections/",
            "operations figures": reverse("inspections:operations-kpis", args=[pk]),
            "audit trail": audit,
            "audit trail, page 2": f"{audit}?page=2",
        }
        print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
        for name, url in pages.items():
            p50, p95, queries = measure(client, url, args.rounds)
            print(f"{name:26} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  queries {queries}")
        print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    finally:
        teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
