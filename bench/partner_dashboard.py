"""Benchmark: the partners dashboard and `partner_ids_with_valid_status` for a company
with 50,000 partners, each screened once, a fifth of them holding a program status
(goal: dashboard figures in at most 2 s).

Run: SECRET_KEY=x uv run python bench/partner_dashboard.py [partners]
Uses a throw-away test database (SQLite in memory unless DATABASE_URL is set).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

GOAL_SECONDS = 2.0
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO", "JP", "KR"]
PROGRAMS = [("ctpat", "US"), ("oea", "MX"), ("aeo", "DE"), ("aeo", "CN"), ("pip", "CA")]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    from django.db import connection

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from accounts.models import User
        from companies.models import Company, Membership
        from partners.dashboard import figures
        from partners.models import (
            BusinessPartner,
            PartnerScreening,
            compute_tier,
            normalise_name,
        )
        from recognition.evidence import partner_ids_with_valid_status
        from recognition.models import PartnerStatus, StatusProof

        company = Company.objects.create(
            legal_name="Bench Imports", business_type="importer", country="US"
        )
        user = User.objects.create_user("bench@bench.test", "x")
        Membership.objects.create(company=company, user=user, role="viewer")
        partners = []
        for i in range(count):
            country = COUNTRIES[i % len(COUNTRIES)]
            tier = compute_tier("manufacturer", country, (i * 7) % 1000)
            partners.append(
                BusinessPartner(
                    company=company,
                    name=f"Proveedor {i}",
                    normalised_name=normalise_name(f"Proveedor {i}"),
                    role="manufacturer",
                    country=country,
                    yearly_volume=(i * 7) % 1000,
                    computed_tier=tier,
                    tier=tier,
                )
            )
        BusinessPartner.objects.bulk_create(partners, batch_size=2000)
        ids = list(BusinessPartner.objects.values_list("pk", flat=True))
        today = datetime.date.today()
        statuses = [
            PartnerStatus(
                partner_id=pk,
                program=PROGRAMS[n % len(PROGRAMS)][0],
                country=PROGRAMS[n % len(PROGRAMS)][1],
                number=f"N{n}",
                issued_on=today - datetime.timedelta(days=400),
                expires_on=today + datetime.timedelta(days=(n * 13) % 700 - 100),
            )
            for n, pk in enumerate(ids[::5])
        ]
        PartnerStatus.objects.bulk_create(statuses, batch_size=2000)
        StatusProof.objects.bulk_create(
            [
                StatusProof(
                    status_id=pk,
                    file=f"recognition/bench/{pk}.pdf",
                    original_name="c.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                )
                for pk in PartnerStatus.objects.values_list("pk", flat=True)
            ],
            batch_size=2000,
        )
        PartnerScreening.objects.bulk_create(
            [
                PartnerScreening(
                    partner_id=pk, threshold=88.0, status="alert" if pk % 50 == 0 else "clear"
                )
                for pk in ids
            ],
            batch_size=2000,
        )
        start = time.perf_counter()
        valid = partner_ids_with_valid_status(company, today)
        ids_time = time.perf_counter() - start
        start = time.perf_counter()
        data = figures(company, user, today)
        dash_time = time.perf_counter() - start
        print(f"partners: {count}, statuses: {len(statuses)}, counting: {len(valid)}")
        print(f"partner_ids_with_valid_status: {ids_time:.3f} s")
        print(f"dashboard figures: {dash_time:.3f} s (goal <= {GOAL_SECONDS:.0f} s)")
        print(f"expiring within 60 days: {len(data['expiring'])}")
        print("OK" if dash_time <= GOAL_SECONDS else "SLOWER THAN GOAL")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
