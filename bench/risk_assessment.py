"""Benchmark: a large risk assessment.

100 supply chains of 8 nodes each (800 nodes, 700 links), every MSC category rated on
every chain (1,200 vulnerability ratings), threat ratings for the 20 countries the nodes
touch. The script times the assessment page (heat map, chains by risk), one chain page
(diagram, suggestions for 12 categories), the PDF, completing the assessment and starting
next year's review (a copy of everything); it prints p50/p95 and SQL query counts and
exits 1 when the assessment page's p95 is above 500 ms. The data is synthetic load.

Run: SECRET_KEY=x uv run python bench/risk_assessment.py
Uses a throw-away test database (SQLite in memory unless DATABASE_URL is set).
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
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

PAGE_GOAL_MS = 500.0
CHAINS, NODES = 100, 8
COUNTRIES = "MX US CA CN VN IN BD TH MY ID KR JP DE NL BR CO PE GT HN PA".split()
LEVELS = "HML"


def timed(client: object, url: str, rounds: int = 10) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # type: ignore[attr-defined]
    timings = []
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    ordered = sorted(timings)
    return statistics.median(timings), ordered[max(0, int(len(ordered) * 0.95) - 1)], len(queries)


def main() -> None:
    from django.conf import settings
    from django.db import connection

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from django.test import Client
        from django.utils import timezone

        from accounts.models import User
        from companies.models import Company, Membership
        from partners.models import BusinessPartner
        from risk import workflow
        from risk.models import Assessment, Node, SupplyChain, VulnerabilityRating
        from threats.models import ThreatRating

        company = Company.objects.create(
            legal_name="Bench Imports", business_type="importer", country="US"
        )
        user = User.objects.create_user("bench@bench.test", "bench-password-1234")
        Membership.objects.create(company=company, user=user, role="admin")
        for i, code in enumerate(COUNTRIES):
            ThreatRating.objects.create(
                company=company, country=code, category="contraband", level=LEVELS[i % 3],
                source="Benchmark load (synthetic)", rated_on=datetime.date(2026, 1, 15),
            )  # fmt: skip
        partners = [
            BusinessPartner.objects.create(
                company=company, name=f"Partner {i}", role="manufacturer", country=COUNTRIES[i % 20]
            )
            for i in range(200)
        ]
        today = timezone.localdate()
        assessment = Assessment.objects.create(
            company=company, year=today.year - 1, assessed_on=today - datetime.timedelta(days=400)
        )
        for c in range(CHAINS):
            chain = SupplyChain.objects.create(assessment=assessment, name=f"Chain {c:03d}")
            nodes = Node.objects.bulk_create(
                Node(
                    chain=chain, order=n, name=f"Stop {n}", kind="transit",
                    partner=partners[(c * NODES + n) % 200], country=COUNTRIES[(c + n) % 20],
                    mode="road", cargo_rests=n % 3 == 0, rest_hours=24 if n % 3 == 0 else None,
                )
                for n in range(NODES)
            )  # fmt: skip
            through = Node.next_nodes.through
            through.objects.bulk_create(
                through(from_node_id=a.pk, to_node_id=b.pk)
                for a, b in zip(nodes, nodes[1:], strict=False)
            )
            VulnerabilityRating.objects.bulk_create(
                VulnerabilityRating(
                    chain=chain, category=k, suggested_level=LEVELS[(c + k) % 3],
                    level=LEVELS[(c + k) % 3],
                )
                for k in range(1, 13)
            )  # fmt: skip

        client = Client()
        client.force_login(user)
        detail = timed(client, assessment.get_absolute_url())
        first = assessment.chains.order_by("name").first()
        assert first is not None
        chain_page = timed(client, first.get_absolute_url())
        t0 = time.perf_counter()
        response = client.get(f"/companies/{company.pk}/risk/{assessment.pk}/assessment.pdf")
        pdf_s = time.perf_counter() - t0
        assert response.status_code == 200
        t0 = time.perf_counter()
        workflow.complete_assessment(assessment, user)
        complete_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        copy = workflow.start_assessment(company)
        copy_s = time.perf_counter() - t0
        assert copy.chains.count() == CHAINS
        print(
            f"risk assessment on {connection.vendor}: {CHAINS} chains, {CHAINS * NODES} nodes, "
            f"{CHAINS * 12} vulnerability ratings; assessment page p50 {detail[0]:.0f} ms, "
            f"p95 {detail[1]:.0f} ms (goal ≤ {PAGE_GOAL_MS:.0f} ms), {detail[2]} queries; "
            f"chain page p50 {chain_page[0]:.0f} ms, p95 {chain_page[1]:.0f} ms, "
            f"{chain_page[2]} queries; PDF {pdf_s:.1f} s ({len(response.content) // 1024} KiB); "
            f"complete {complete_ms:.0f} ms; next year's copy {copy_s:.1f} s"
        )
        if detail[1] > PAGE_GOAL_MS:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
