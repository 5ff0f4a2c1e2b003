"""Benchmark: the global search (portal/search.py) at a tenant with many partners and
inspections, against the search it replaced (full text over the 'simple' configuration
OR `UPPER(field) LIKE`), measured in the same run, with the PostgreSQL plan of the
partner source (the trigram index `partner_search_trgm` must answer it).

Partner names are drawn from word lists (so that a word is in some names, not all), a
tenth of them belong to a second company.

Run: SECRET_KEY=x DATABASE_URL=postgres://... uv run python bench/search.py [partners]
[inspections] (defaults 50,000 and 50,000). Uses a throw-away test database.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 5
QUERIES = ("zamora", "zamroa", "sporte", "trasnportes monterrey", "hernandez logistica")
FIRST = ["Transportes", "Logistica", "Almacenes", "Fletes", "Comercializadora", "Textiles",
         "Maquiladora", "Distribuidora", "Importadora", "Servicios"]  # fmt: skip
SECOND = ["Hernandez", "Garcia", "Zamora", "Villarreal", "Monterrey", "Norte", "Pacifico",
          "Bajio", "Sonora", "Laguna", "Quintero", "Ibarra", "Delgado", "Cardenas"]  # fmt: skip
THIRD = ["SA de CV", "S de RL", "SAPI de CV", "Inc", "LLC", "Ltd"]


def main() -> None:
    partners = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    inspections = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_search"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(partners, inspections)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def old_queryset(source: Any, user: Any, company: Any, query: str) -> Any:
    """The search before pg_trgm: full text over the fields OR every word in a field."""
    from django.contrib.postgres.search import SearchQuery, SearchVector
    from django.db import models

    from portal.search import _words

    queryset = source.model._default_manager.for_user(user, "view").filter(
        **{source.company_path: company}
    )
    if source.narrow is not None:
        queryset = source.narrow(queryset, company)
    like = reduce(
        lambda a, b: a & b,
        (
            reduce(or_, (models.Q(**{f"{f}__icontains": w}) for f in source.fields))
            for w in _words(query)
        ),
    )
    vector = SearchVector(*source.fields, config="simple")
    return (
        queryset.annotate(_search=vector)
        .filter(
            models.Q(_search=SearchQuery(query, config="simple", search_type="websearch")) | like
        )
        .order_by(*source.order)
    )


def timed(call: Any) -> tuple[float, float]:
    call()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def run(partner_count: int, inspection_count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from inspections.models import Inspection
    from partners.models import BusinessPartner, normalise_name
    from portal import search
    from portal.testing import add_member, make_company, make_user

    rng = random.Random(20)
    company = make_company("Bench Imports")
    other = make_company("Other Imports")
    user = make_user("viewer@bench.test")
    add_member(company, user, "viewer")
    started = time.perf_counter()
    rows = []
    for i in range(partner_count):
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {i} {rng.choice(THIRD)}"
        rows.append(
            BusinessPartner(
                company=other if i % 10 == 0 else company,
                name=name,
                normalised_name=normalise_name(name),
                city=rng.choice(SECOND),
                role="manufacturer",
                country="MX",
            )
        )
    BusinessPartner.objects.bulk_create(rows, batch_size=2000)
    now = timezone.now()
    Inspection.objects.bulk_create(
        [
            Inspection(
                company=company,
                checklist_key="truck17",
                checklist_name="17-point",
                iit_number=f"TRLU{i:07d}",
                direction="inbound",
                inspector=user,
                performed_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(inspection_count)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(
        f"data: {partner_count} partners ({partner_count // 10} of another company), "
        f"{inspection_count} inspections; built in {time.perf_counter() - started:.1f} s "
        f"on {connection.vendor}; load {open('/proc/loadavg').read().split()[:3]}"
    )
    partner_source = search.SOURCES[0]
    for query in QUERIES:
        found = search.search(user, company, query)
        hits = sum(len(f.hits) for f in found)
        new = timed(lambda q=query: search.search(user, company, q))
        line = f"{query!r:26} {hits:3} hits; trigram search p50 {new[0]:7.1f} ms max {new[1]:7.1f}"
        if connection.vendor == "postgresql":

            def before(q: str = query) -> None:
                for source in search.SOURCES:
                    list(old_queryset(source, user, company, q)[: search.LIMIT + 1])

            old = timed(before)
            old_partner_hits = len(
                list(old_queryset(partner_source, user, company, query)[: search.LIMIT + 1])
            )
            line += (
                f" | before: p50 {old[0]:7.1f} ms max {old[1]:7.1f}, partners {old_partner_hits}"
            )
        print(line)
    if connection.vendor == "postgresql":
        from core import trigram

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s ORDER BY 1",
                ["%search_trgm"],
            )
            print("trigram indexes:", [row[0] for row in cursor.fetchall()])
        with trigram.forgiving():
            for source in search.SOURCES:
                queryset = search._queryset(source, user, company, "zamroa")[: search.LIMIT + 1]
                plan = queryset.explain(analyze=True)
                scans = [line.strip()[:90] for line in plan.splitlines() if "Scan" in line]
                total = plan.splitlines()[-1]
                print(f"plan of {source.label} for 'zamroa': {scans} {total}")
                if source is partner_source:
                    print(plan)
    print(f"load {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
