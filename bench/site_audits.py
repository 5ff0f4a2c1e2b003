"""Supplier site-audit benchmark: the member's list, an audit of a factory on the shipped
MSC (every criterion for a foreign manufacturer, a photo on ten items), its PDF report in
Spanish, and the partner's link page, beside a baseline page measured in the same run (the
corrective-action list, whose speed is already known).

Run from the repository root:

    uv run python bench/site_audits.py               # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/site_audits.py

The database is a test database of its own (created and dropped here). It builds
`--audits` completed audits (default 300) over 100 partners, then requests each page
`--rounds` times after a warm-up and prints p50/p95 wall time and the SQL query count, with
the load average (timings scale with the machine's load). It exits 1 when a page's p95 is
above its goal (pages 150 ms, the PDF 3 s).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

PAGE_GOAL_MS = 150.0
PDF_GOAL_MS = 3000.0


def build(n_audits: int) -> tuple[object, object, object, str]:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from accounts.models import User
    from companies.models import Company, Membership
    from partners.models import BusinessPartner
    from profiles.tests.factories import load_msc
    from siteaudits import workflow
    from siteaudits.models import AuditItem, ItemPhoto, SiteAudit

    load_msc()
    user = User.objects.create_user("bench@example.test", "bench-password-123")
    company = Company.objects.create(
        legal_name="Bench Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=user, role="user")
    roles = ["manufacturer", "highway_carrier", "3pl", "customs_broker"]
    partners = [
        BusinessPartner.objects.create(
            company=company, name=f"Socio {i}", role=roles[i % 4], country="MX",
            contact_email=f"s{i}@example.test", yearly_volume=i * 10,
        )
        for i in range(100)
    ]  # fmt: skip
    audits = []
    for i in range(n_audits):
        audit = workflow.plan_audit(
            SiteAudit(
                company=company, partner=partners[i % 100], planned_on="2026-01-05",
                auditor=user, language="es",
            ),
            by=user,
        )  # fmt: skip
        audits.append(audit)
    factory = next(a for a in audits if a.partner.role == "manufacturer")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buffer, "JPEG")
    stored = default_storage.save("bench/photo.jpg", ContentFile(buffer.getvalue()))
    items = list(factory.items.all())
    for n, item in enumerate(items):
        failed = n % 10 == 0
        AuditItem.objects.filter(pk=item.pk).update(
            result="not_met" if failed else "met",
            severity="major" if failed else "",
            notes="Puerta abierta" if failed else "",
        )
        if n < 10:
            ItemPhoto.objects.create(
                item=item, file=stored, original_name="foto.jpg", content_type="image/jpeg",
                size=len(buffer.getvalue()), sha256="0" * 64,
            )  # fmt: skip
    _actions, token = workflow.complete_audit(factory, by=user, summary="Bench")
    return company, user, factory, token


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(queries), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audits", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        company, user, factory, token = build(args.audits)
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        pk = company.pk  # type: ignore[attr-defined]
        audit_pk = factory.pk  # type: ignore[attr-defined]
        pages = [
            ("baseline: corrective actions", reverse("actions:action-list", args=[pk]),
             PAGE_GOAL_MS),
            ("site-audit list", reverse("siteaudits:audit-list", args=[pk]), PAGE_GOAL_MS),
            ("factory audit page", reverse("siteaudits:audit-detail", args=[pk, audit_pk]),
             PAGE_GOAL_MS),
            ("partner link page", reverse("siteaudit-links:reply", args=[token]), PAGE_GOAL_MS),
            ("PDF report (es)", reverse("siteaudits:audit-report", args=[pk, audit_pk]),
             PDF_GOAL_MS),
        ]  # fmt: skip
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        items = factory.items.count()  # type: ignore[attr-defined]
        print(f"{args.audits} audits; factory checklist: {items} items")
        failed = False
        for name, url, goal in pages:
            rounds = max(3, args.rounds // 5) if "PDF" in name else args.rounds
            p50, p95, queries, size = measure(client, url, rounds)
            flag = "" if p95 <= goal else "  ABOVE GOAL"
            failed |= p95 > goal and not name.startswith("baseline")
            timing = f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
            print(f"{name:30} {timing}  {queries:3} queries  {size:>8} B{flag}")
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        return 1 if failed else 0
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
