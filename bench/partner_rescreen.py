"""Benchmark: re-screening all partners after a list update, against the changed entries
only, compared with screening them against the whole active lists.

Run: SECRET_KEY=x uv run python bench/partner_rescreen.py [partners] [changed entries]
Uses a throw-away test database (SQLite in memory unless DATABASE_URL is set) and the
shared list files as the active lists.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

ROLES = ["manufacturer", "highway_carrier", "warehouse", "customs_broker", "forwarder", "3pl"]
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO"]


def make_csv(rows: int) -> bytes:
    """The partner file of bench/partner_import.py (names that do not alert)."""
    lines = ["name,role,country"]
    for i in range(rows):
        lines.append(
            f"Proveedor {i} SA de CV,{ROLES[i % len(ROLES)]},{COUNTRIES[i % len(COUNTRIES)]}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    changed = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    from django.db import connection

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        import io

        from companies.models import Company
        from partners import importing, rescreening, workflow
        from screening.index import active_index

        company = Company.objects.create(
            legal_name="Bench Imports", business_type="importer", country="US"
        )
        result = importing.check_file(company, io.BytesIO(make_csv(rows)), "bench.csv")
        importing.write_rows(company, result.rows)
        full, _versions = active_index()  # built once per worker process; not counted
        step = max(1, len(full.entities) // changed)
        touched = full.entities[::step][:changed]

        start = time.perf_counter()
        screened, alerts = rescreening.screen_against(touched)
        partial = time.perf_counter() - start

        from partners.models import BusinessPartner

        partners = list(BusinessPartner.objects.all())
        start = time.perf_counter()
        workflow.screen_partners(partners)
        whole = time.perf_counter() - start
        print(
            f"re-screening {screened} partners against {len(touched)} changed entries: "
            f"{partial:.1f} s ({screened / partial:,.0f} partners/s, {alerts} alerts); "
            f"against all {len(full.entities):,} entries: {whole:.1f} s "
            f"({len(partners) / whole:,.0f} partners/s) on {connection.vendor}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
