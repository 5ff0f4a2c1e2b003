"""Benchmark: a member that rated every country and many regions.

Every ISO country gets all seven threat categories and 400 subdivisions get two each
(about 2,500 ratings, far more than a real member keeps). The script times the CSV check
and write (every row audited), `country_threats` for 1,000 places (what a risk
assessment reads), and the first page of the ratings grid (100 places). It prints the
numbers, the grid's CPU time (steadier than wall time on a shared machine) and its SQL
query count, and exits 1 when the grid's p95 is above 300 ms or the import above 30 s.
The ratings are synthetic load, labelled as such in their source, never shipped.

Run: SECRET_KEY=x uv run python bench/threat_ratings.py
Uses a throw-away test database (SQLite in memory unless DATABASE_URL is set).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

GRID_GOAL_MS = 300.0
IMPORT_GOAL_S = 30.0
LEVELS = "HML"


def make_csv() -> tuple[bytes, list[tuple[str, str]]]:
    import pycountry

    from threats.models import Category

    lines = ["country,region,category,level,source,source_url,rated_on"]
    places: list[tuple[str, str]] = []
    for i, country in enumerate(pycountry.countries):
        code = country.alpha_2
        places.append((code, ""))
        for j, category in enumerate(Category.values):
            level = LEVELS[(i + j) % 3]
            lines.append(f"{code},,{category},{level},Benchmark load (synthetic),,2026-01-15")
    subdivisions = list(pycountry.subdivisions)[:400]
    for k, sub in enumerate(subdivisions):
        places.append((sub.country_code, sub.code))
        for category in ("theft", "organized_crime"):
            lines.append(
                f"{sub.country_code},{sub.code},{category},{LEVELS[k % 3]},"
                "Benchmark load (synthetic),,2025-01-15"
            )
    return ("\n".join(lines) + "\n").encode(), places


def main() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from accounts.models import User
        from companies.models import Company, Membership
        from threats import importing
        from threats.models import ThreatRating
        from threats.services import country_threats

        company = Company.objects.create(
            legal_name="Bench Imports", business_type="importer", country="US"
        )
        user = User.objects.create_user("bench@bench.test", "bench-password-1234")
        Membership.objects.create(company=company, user=user, role="user")
        data, places = make_csv()
        start = time.perf_counter()
        result = importing.check_file(company, io.BytesIO(data))
        checked = time.perf_counter()
        assert not result.errors, result.errors[:5]
        added, replaced = importing.write_rows(company, result.rows, user)
        written = time.perf_counter()
        count = ThreatRating.objects.filter(company=company).count()
        assert count == added == len(result.rows), (count, added)

        wanted = (places * 3)[:1000]
        t0 = time.perf_counter()
        answer = country_threats(company, wanted)
        threats_ms = (time.perf_counter() - t0) * 1000
        assert len(answer) == len(set(wanted))

        client = Client()
        client.force_login(user)
        url = f"/companies/{company.pk}/threats/"
        client.get(url)  # warm-up
        timings, cpu = [], []
        for _round in range(10):
            with CaptureQueriesContext(connection) as queries:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, response.status_code
        p50 = statistics.median(timings)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        import_s = written - start
        print(
            f"threat ratings on {connection.vendor}: {count} ratings, {len(places)} places; "
            f"import check {checked - start:.2f} s, write {written - checked:.2f} s "
            f"(goal ≤ {IMPORT_GOAL_S:.0f} s); country_threats for {len(wanted)} places "
            f"{threats_ms:.0f} ms; grid p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"(goal ≤ {GRID_GOAL_MS:.0f} ms; CPU p50 {statistics.median(cpu):.0f} ms), "
            f"{len(queries)} queries; load average {os.getloadavg()[0]:.1f}"
        )
        if p95 > GRID_GOAL_MS or import_s > IMPORT_GOAL_S:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
