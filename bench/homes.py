"""Benchmark: each role's home page for a large tenant (goal: p95 at most 100 ms), with its
query count, which must not depend on the data (portal/tests/test_homes.py pins them).

The tenant: `partners` business partners (one open screening alert in fifty),
`inspections` inspections, 500 corrective actions (a fifth overdue) and 200 seals used
today; a second client for the consultant.

Run: SECRET_KEY=x uv run python bench/homes.py [partners] [inspections]
(defaults 50,000 and 200,000). Uses a throw-away test database (SQLite in memory unless
DATABASE_URL is set).
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

GOAL_MS = 100.0
RUNS = 30


def main() -> None:
    partners = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    inspections = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if connection.vendor == "postgresql":
        # A test database of its own, so the bench can run beside a test run on the server.
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_homes"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(partners, inspections)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(partner_count: int, inspection_count: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from actions.models import CorrectiveAction
    from core.testing import add_member, make_company, make_user, sign_in
    from inspections.models import Inspection
    from partners.models import BusinessPartner, PartnerScreening, normalise_name
    from personnel.models import Employee, SecurityRole
    from seals.models import Seal, SealEvent

    company = make_company("Bench Imports")
    second = make_company("Second Client SA", business_type="highway_carrier", country="MX")
    people = {
        "admin": make_user("admin@bench.test"),
        "viewer": make_user("viewer@bench.test"),
        "consultant": make_user("consultant@bench.test"),
        "field": make_user("guard@bench.test"),
        "specialist": make_user("specialist@bench.test", program_role="specialist", mfa=True),
    }
    add_member(company, people["admin"], "admin")
    add_member(company, people["viewer"], "viewer")
    add_member(company, people["consultant"], "consultant")
    add_member(second, people["consultant"], "consultant")
    add_member(company, people["field"], "user")
    guard = SecurityRole.objects.create(company=company, code="guard", name_en="Guard")
    Employee.objects.create(
        company=company, first_name="G", last_name="Uard", email="guard@bench.test"
    ).roles.add(guard)

    started = time.perf_counter()
    BusinessPartner.objects.bulk_create(
        [
            BusinessPartner(
                company=company,
                name=f"Proveedor {i}",
                normalised_name=normalise_name(f"Proveedor {i}"),
                role="manufacturer",
                country="MX",
            )
            for i in range(partner_count)
        ],
        batch_size=2000,
    )
    ids = list(BusinessPartner.objects.values_list("pk", flat=True))
    PartnerScreening.objects.bulk_create(
        [
            PartnerScreening(partner_id=pk, threshold=88.0, status="alert" if pk % 50 else "clear")
            for pk in ids[::50]
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Inspection.objects.bulk_create(
        [
            Inspection(
                company=company,
                checklist_key="truck17",
                checklist_name="17-point",
                iit_number=f"TRLU{i:07d}",
                direction="inbound",
                inspector=people["field"],
                performed_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(inspection_count)
        ],
        batch_size=5000,
    )
    today = timezone.localdate()
    CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                company=company if i % 2 else second,
                title=f"Action {i}",
                status="open",
                due_date=today + datetime.timedelta(days=(i % 50) - 10),
            )
            for i in range(500)
        ]
    )
    seals = Seal.objects.bulk_create(
        [
            Seal(company=company, number=f"S{i:07d}", manufacturer="T", storage_location="Gate")
            for i in range(200)
        ]
    )
    SealEvent.objects.bulk_create(
        [SealEvent(seal=s, kind="received", by=people["admin"]) for s in seals]
    )
    print(
        f"data: {partner_count} partners, {inspection_count} inspections, 500 actions, "
        f"200 seals; built in {time.perf_counter() - started:.1f} s on {connection.vendor}"
    )

    worst = 0.0
    for name, user in people.items():
        client = Client()
        sign_in(client, user)
        client.get("/")  # warm
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):  # type: ignore[no-untyped-def]
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get("/")
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get("/")
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[18]
        worst = max(worst, p95)
        print(
            f"home of {name:10}: p50 {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, "
            f"{len(queries)} queries"
        )
    profile(people["admin"], company)
    print("OK" if worst <= GOAL_MS else f"SLOWER THAN GOAL ({GOAL_MS:.0f} ms)")


def profile(user: object, company: object) -> None:
    """Where the member home's time goes."""
    from core import reminders
    from portal import homes

    for label, call in (
        ("program path", lambda: homes.program_path(company)),  # type: ignore[arg-type]
        ("my tasks", lambda: reminders.tasks_for(user)),  # type: ignore[arg-type]
        ("counts", lambda: homes.open_counts(company)),  # type: ignore[arg-type]
    ):
        times = []
        for _ in range(10):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        print(f"  {label:12}: median {statistics.median(times):6.1f} ms")


if __name__ == "__main__":
    main()
