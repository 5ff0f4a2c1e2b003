"""Crawl every URL the permission matrix knows, as the company officer of a large tenant.

The tenant (seeded, so every run builds the same data) is the permission matrix's world
(portal.testing.PersonaTestCase) with, in its company:

    50,000 business partners (each screened once)       200,000 inspections
    50,000 seals (1,000 with a discrepancy)              5,000 employees, 3 courses,
    2,000 evidence files on a submitted security profile   ~10,000 training records
    100 supply chains of three nodes in a risk assessment

Every GET case of every app's `tests/permissions.py` is requested as the officer (after
the case's own set-up, rolled back afterwards), and for list pages and API lists also
with a filter, page 2 and the last page. Each URL is requested `--rounds` times after a
warm-up; the table gives p50/p95 in ms and the query count of one request, beside a bare
signed-in view measured in the same run, then the URLs over their goal and the slowest 20.
The goal is 100 ms at p95 for every page and API answer; a file (a PDF, CSV or workbook
built in the request, a download: marked `f`) has the exports' goal, 2 s.

Run (from the repository root; a throw-away test database, SQLite in memory unless
DATABASE_URL is set):

    uv run python bench/crawl.py                  # the large tenant, 10 rounds
    uv run python bench/crawl.py --rounds 3 --only training
    uv run python bench/crawl.py --small          # query counts at two small tenants

`--small` is what core/tests/test_crawl_queries.py runs in the normal suite: each URL's
query count at a small tenant and again at a slightly larger one must be the same.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

GOAL_MS = 100.0  # every HTML page and API answer
FILE_GOAL_MS = 2000.0  # a file (PDF, CSV, workbook, download): none blocks a request longer
PAGE_TYPES = {"text/html", "application/json", "application/problem+json"}
SEED = 21


@dataclass(frozen=True)
class Sizes:
    partners: int
    inspections: int
    seals: int
    employees: int
    evidence: int
    chains: int


LARGE = Sizes(
    partners=50_000, inspections=200_000, seals=50_000, employees=5_000, evidence=2_000, chains=100
)
SMALL = Sizes(partners=3, inspections=3, seals=3, employees=3, evidence=2, chains=1)
SMALL_PLUS = Sizes(partners=7, inspections=7, seals=7, employees=7, evidence=5, chains=3)
COUNTRIES = ["MX", "US", "CN", "CA", "GT", "DE", "IN", "CO", "JP", "KR"]
ROLES = ["manufacturer", "highway_carrier", "warehouse", "customs_broker", "consolidator"]


def _world() -> Any:
    """An instance of the permission matrix's test case, its world built (class data)."""
    from portal.testing import PersonaTestCase

    class World(PersonaTestCase):
        pass

    World.setUpTestData()
    return World()


def grow(world: Any, sizes: Sizes, seed: int = SEED, start: int = 0) -> None:
    """Add `sizes` of data to the world's company, numbered from `start` (call again with
    a larger `start` to grow the same tenant)."""
    import hashlib
    import uuid

    from django.utils import timezone

    from inspections.models import Inspection
    from partners.models import (
        BusinessPartner,
        PartnerScreening,
        compute_tier,
        normalise_name,
    )
    from personnel.models import Employee, SecurityRole
    from profiles.models import Evidence, EvidenceFile, SecurityProfile
    from profiles.tests.factories import make_catalogue, submit
    from risk.models import Assessment, Node, SupplyChain
    from seals.choices import EventKind
    from seals.models import Seal, SealEvent
    from training.models import Course, TrainingRecord

    rng = random.Random(seed + start)
    company = world.company
    officer = world.users["officer"]
    today = timezone.localdate()
    now = timezone.now()

    partners = []
    screened = []  # each partner's one screening status, chosen before the partner is made
    for i in range(start, start + sizes.partners):
        role, country, volume = rng.choice(ROLES), rng.choice(COUNTRIES), rng.randrange(1000)
        screened.append("alert" if rng.random() < 0.02 else "clear")
        tier = compute_tier(role, country, volume)
        name = f"Proveedor {i:06d}"
        partners.append(
            BusinessPartner(
                company=company,
                name=name,
                normalised_name=normalise_name(name),
                role=role,
                country=country,
                yearly_volume=volume,
                computed_tier=tier,
                tier=tier,
                # What `note_latest_screenings` would copy from the screening below.
                screening_status=screened[i - start],
            )
        )
    made = BusinessPartner.objects.bulk_create(partners, batch_size=2000)
    new_ids = (
        [p.pk for p in made]
        or list(
            reversed(  # in the order they were made, as `screened`
                BusinessPartner.objects.filter(company=company)
                .order_by("-pk")
                .values_list("pk", flat=True)[: sizes.partners]
            )
        )
    )
    hit = {"list": "ofac_sdn", "entity_id": "1", "name": "Proveedor", "score": 91, "alert": False}
    PartnerScreening.objects.bulk_create(
        [
            PartnerScreening(
                partner_id=pk, company=company, threshold=88.0, status=status, hits=[hit]
            )
            for pk, status in zip(new_ids, screened, strict=True)
        ],
        batch_size=2000,
    )

    step = datetime.timedelta(minutes=3)
    began = now - (start + sizes.inspections) * step
    batch: list[Inspection] = []
    for i in range(start, start + sizes.inspections):
        batch.append(
            Inspection(
                company=company,
                client_key=uuid.UUID(int=rng.getrandbits(128)),
                checklist_key="container",
                checklist_name="Container (7-point)",
                iit_number=f"MSCU{i:07d}",
                direction=("outbound", "inbound", "yard")[i % 3],
                performed_at=began + (i - start) * step,
                inspector=officer,
                pest_checked=True,
                pest_found=i % 97 == 0,
                pest_description="x" if i % 97 == 0 else "",
                cleaning="washed" if i % 97 == 0 else "",
                seal_number="S",
                vvtt_done=i % 10 != 0,
                signed_late=i % 29 == 0,
                signed_off_at=None if i % 13 == 0 else began + (i - start) * step + step * 20,
            )
        )
        if len(batch) == 5000:
            Inspection.objects.bulk_create(batch)
            batch = []
    Inspection.objects.bulk_create(batch)

    seals = Seal.objects.bulk_create(
        [
            Seal(
                company=company,
                number=f"MX{i:08d}",
                manufacturer="Bench",
                certificate_ref="C",
                storage_location="Safe",
                status="in_stock" if i % 4 else "affixed",
            )
            for i in range(start, start + sizes.seals)
        ],
        batch_size=5000,
    )
    SealEvent.objects.bulk_create(
        [
            SealEvent(seal=s, kind=EventKind.DISCREPANCY, by=officer, at=now)
            for s in seals[:: max(1, 50)]
            if s.pk
        ],
        batch_size=1000,
    )

    # Codes of their own, so the permission cases' set-ups (which add "guard" and the
    # standard courses) do not clash with the tenant's.
    guard, _ = SecurityRole.objects.get_or_create(
        company=company,
        code="yard_guard",
        defaults={"name_en": "Yard guard", "name_es": "Guardia de patio"},
    )
    courses = []
    for code in ("yard_threats", "yard_seals", "yard_cyber"):
        course, created = Course.objects.get_or_create(
            company=company,
            code=code,
            defaults={"title_en": code, "title_es": code, "criteria": ["12.10"]},
        )
        if created:
            course.roles.set([guard])
        courses.append(course)
    Employee.objects.bulk_create(
        [
            Employee(
                company=company,
                first_name=f"Ana{i}",
                last_name=rng.choice(["Ruiz", "Soto", "Pérez", "Lee"]),
                employee_number=f"E{i:06d}",
            )
            for i in range(start, start + sizes.employees)
        ],
        batch_size=2000,
    )
    people = list(
        Employee.objects.filter(company=company, employee_number__gte=f"E{start:06d}")
        .exclude(employee_number__gte=f"E{start + sizes.employees:06d}")
        .values_list("pk", flat=True)
    )
    Employee.roles.through.objects.bulk_create(
        [Employee.roles.through(employee_id=pk, securityrole_id=guard.pk) for pk in people],
        batch_size=2000,
    )
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                company=company,
                employee_id=pk,
                course=course,
                completed_on=today - datetime.timedelta(days=rng.randrange(900)),
            )
            for pk in people
            for course in courses
            if rng.random() < 0.7
        ],
        batch_size=2000,
    )

    profile = SecurityProfile.objects.filter(company=company).first()
    if profile is None:
        make_catalogue(version="crawl-1")  # not the permission cases' "test-1"
        profile = SecurityProfile.start(company)
    responses = list(profile.responses.all())
    for n in range(start, start + sizes.evidence):
        evidence = Evidence.objects.create(response=responses[n % len(responses)], title=f"Doc {n}")
        EvidenceFile.objects.create(
            evidence=evidence,
            version=1,
            file=f"evidence/bench/{n}.pdf",
            original_name=f"doc-{n}.pdf",
            content_type="application/pdf",
            size=1,
            sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        )
    submit(profile, officer)

    # 2024: the permission cases' set-ups add assessments of 2025 and 2026.
    assessment, _ = Assessment.objects.get_or_create(
        company=company, year=2024, defaults={"assessed_on": datetime.date(2024, 3, 1)}
    )
    for c in range(start, start + sizes.chains):
        chain = SupplyChain.objects.create(assessment=assessment, name=f"Chain {c}")
        for k, kind in enumerate(("origin", "transit", "destination")):
            Node.objects.create(
                chain=chain,
                order=k + 1,
                name=f"Node {c}.{k}",
                kind=kind,
                country="MX",
                mode="road",
                partner_id=new_ids[(c * 3 + k) % len(new_ids)] if new_ids else None,
            )


def build(sizes: Sizes, seed: int = SEED) -> Any:
    from django.db import connection

    world = _world()
    grow(world, sizes, seed)
    if connection.vendor == "postgresql":
        # Production's autovacuum would have gathered the planner's statistics of tables
        # this size; a server running without it (as a bench machine may) has none for
        # rows loaded a minute ago.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world


# --- the URLs -------------------------------------------------------------------------


def get_cases(only: str = "") -> list[tuple[str, Any]]:
    """(app, case) for every GET case the permission matrix walks that the officer may
    open."""
    from core.tests.test_permission_matrix import OUR_APPS, cases_of

    found = []
    for app in OUR_APPS:
        for case in cases_of(app):
            if case.method != "get" or "officer" not in case.allow:
                continue
            if only and not any(part in case.name or part == app for part in only.split(",")):
                continue
            found.append((app, case))
    return found


GET_FORM = re.compile(r"<form([^>]*method=\"get\"[^>]*)>(.*?)</form>", re.S | re.I)
PAGE_LINK = re.compile(r"[?&]page=(\d+)")
SELECT = re.compile(r"<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r"<option[^>]*value=\"([^\"]+)\"")
TEXT_Q = re.compile(r"<input[^>]*name=\"(q|search|name)\"")


def variants(url: str, response: Any) -> list[tuple[str, str]]:
    """(label, url) for the filter, page 2 and last page of a list, found in the first
    answer (the page's pagination links and filter form, or the API's `count`)."""
    found: list[tuple[str, str]] = []
    join = "&" if "?" in url else "?"
    content_type = response.get("Content-Type", "")
    if response.status_code != 200 or getattr(response, "streaming", False):
        return found
    if content_type.startswith("application/json"):
        try:
            body = response.json()
        except ValueError:
            return found
        if isinstance(body, dict) and "count" in body and isinstance(body.get("results"), list):
            size = max(1, len(body["results"]))
            last = max(1, -(-int(body["count"]) // size))
            if last >= 2:
                found.append(("page 2", f"{url}{join}page=2"))
            if last > 2:
                found.append(("last page", f"{url}{join}page={last}"))
        return found
    if not content_type.startswith("text/html"):
        return found
    html = response.content.decode("utf-8", "replace")
    path = url.split("?")[0]
    forms = [
        body
        for attrs, body in GET_FORM.findall(html)
        # The page's own filters: no action, or its own path (not the site search).
        if 'action="' not in attrs or f'action="{path}"' in attrs or 'action=""' in attrs
    ]
    params: dict[str, str] = {}
    for form in forms:
        text = TEXT_Q.search(form)
        if text:
            params[text.group(1)] = "Proveedor 0001"
            break
        for name, options in SELECT.findall(form):
            values = [v for v in OPTION.findall(options) if v]
            if values and name not in {"sort", "page", "language"}:
                params[name] = values[0]
                break
        if params:
            break
    if params:
        found.append(("filter", f"{url}{join}{urlencode(params)}"))
    pages = [int(n) for n in PAGE_LINK.findall(html)]
    if pages and max(pages) >= 2:
        found.append(("page 2", f"{url}{join}page=2"))
        if max(pages) > 2:
            found.append(("last page", f"{url}{join}page={max(pages)}"))
    return found


@dataclass
class Row:
    app: str
    name: str
    label: str
    url: str
    m: harness.Measurement | None
    note: str = ""
    file: bool = False  # the answer is a file (a PDF, a CSV...), not a page or an API answer
    select: tuple[str, int] = ("", 0)  # the page's longest <select>: its name, its options


@dataclass
class Crawl:
    rows: list[Row]
    bare: harness.Measurement


def _client(world: Any) -> Any:
    from django.test import Client

    from portal.testing import sign_in

    client = Client()
    sign_in(client, world.users["officer"])
    return client


def _api_client(world: Any) -> Any:
    from rest_framework.test import APIClient

    from accounts.tokens import issue_token

    client = APIClient()
    token = issue_token(world.users["officer"], name="crawl")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def walk(
    world: Any,
    rounds: int,
    only: str = "",
    progress: Callable[[Row], None] | None = None,
) -> Iterator[Row]:
    """Measure every case (and its list variants); `rounds=0` only counts queries."""
    from django.db import transaction

    page, api = _client(world), _api_client(world)
    for app, case in get_cases(only):
        client = api if case.api else page
        # Whatever a case's set-up (or a request) writes is rolled back afterwards, so
        # every case sees the same tenant.
        with transaction.atomic():
            yield from _walk_case(app, case, client, world, rounds, progress)
            transaction.set_rollback(True)


def _walk_case(
    app: str,
    case: Any,
    client: Any,
    world: Any,
    rounds: int,
    progress: Callable[[Row], None] | None,
) -> Iterator[Row]:
    from django.db import transaction

    try:
        with transaction.atomic():  # a failed set-up must not spoil the outer block
            if case.setup:
                case.setup(world)
            url = case.url(world)
    except Exception as error:  # noqa: BLE001  # a case whose set-up clashes
        row = Row(app, case.name, "", "", None, f"set-up failed: {error!r:.80}")
        if progress:
            progress(row)
        yield row
        return
    queries, first = harness.count_queries(client, url)
    for label, target in [("", url), *variants(url, first)]:
        answer = first
        if rounds:
            m = harness.measure(client, target, rounds)
        else:
            if target != url:
                queries, answer = harness.count_queries(client, target)
            m = harness.Measurement(target, 0.0, 0.0, queries, answer.status_code)
        row = Row(
            app, case.name, label, target, m, file=_is_file(first), select=longest_select(answer)
        )
        if progress:
            progress(row)
        yield row


@dataclass(frozen=True)
class Survey:
    queries: int  # of one request
    options: int  # of the page's longest <select>


def survey(world: Any, only: str = "") -> dict[tuple[str, str], Survey]:
    """(case name, variant) → its query count and longest select, one request each; every
    case, rounds=0. When a case has several GET entries the last one wins (they differ by
    set-up only)."""
    found: dict[tuple[str, str], Survey] = {}
    for row in walk(world, 0, only):
        if row.m is not None and row.m.status < 400:
            found[(row.name + _shape(row.url), row.label)] = Survey(row.m.queries, row.select[1])
    return found


def query_counts(world: Any, only: str = "") -> dict[tuple[str, str], int]:
    """(case name, variant) → query count of one request (`survey`)."""
    return {key: found.queries for key, found in survey(world, only).items()}


def longest_select(response: Any) -> tuple[str, int]:
    """The name and option count of the longest <select> of an HTML answer: large sets
    (partners, people) are chosen by searching, so no list of them is written out."""
    if "html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return ("", 0)
    html = response.content.decode(errors="replace")
    sizes = [(name, len(OPTION.findall(body))) for name, body in SELECT.findall(html)]
    return max(sizes, key=lambda size: size[1], default=("", 0))


def _is_file(response: Any) -> bool:
    """A successful answer that is neither a page nor JSON: a download, measured against
    the 2 s goal of exports (a redirect to the exports page is a page)."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    return response.status_code < 300 and kind not in PAGE_TYPES


def _shape(url: str) -> str:
    """The URL with numbers masked, so two tenants' URLs for one case compare equal."""
    return " " + re.sub(r"\d+", "N", url.split("?")[0])


def print_report(rows: list[Row], bare: harness.Measurement, load: str, title: str) -> None:
    measured = [r for r in rows if r.m is not None]
    print(f"\n{title}  (load average {load})")
    print(f"bare signed-in view: p50 {bare.p50:.1f} ms, p95 {bare.p95:.1f} ms, {bare.queries} q")
    print(f"{'p50 ms':>8} {'p95 ms':>8} {'q':>5}  status  url")
    for r in measured:
        assert r.m is not None
        print(
            f"{r.m.cells}  {r.m.status:>5}{'f' if r.file else ' '} {r.url}  "
            f"[{r.name}{' ' + r.label if r.label else ''}]"
        )
    for r in rows:
        if r.m is None:
            print(f"{'':>24}  skip   {r.name}: {r.note}")
    pages = [r for r in measured if not r.file]
    files = [r for r in measured if r.file]
    over = [r for r in pages if r.m and r.m.p95 > GOAL_MS]
    files_over = [r for r in files if r.m and r.m.p95 > FILE_GOAL_MS]
    p50s = sorted(r.m.p50 for r in measured if r.m)
    median = p50s[len(p50s) // 2] if p50s else 0.0
    print(
        f"\n{len(over)} of {len(pages)} pages and API answers over {GOAL_MS:.0f} ms at p95; "
        f"{len(files_over)} of {len(files)} files over {FILE_GOAL_MS:.0f} ms; "
        f"median p50 {median:.1f} ms; bare view p50 {bare.p50:.1f} ms"
    )
    for r in over + files_over:
        assert r.m is not None
        print(f"  over: {r.m.cells}  {r.url}  [{r.name}{' ' + r.label if r.label else ''}]")
    wide = sorted({(r.select[1], r.select[0], r.name) for r in measured if r.select[1] > 100})
    print(f"{len({name for _, _, name in wide})} pages with a select of over 100 options")
    for options, field, name in wide:
        print(f"  {options:6d} options  {field}  [{name}]")
    print("slowest 20 (p95):")
    for r in sorted(measured, key=lambda r: -(r.m.p95 if r.m else 0))[:20]:
        assert r.m is not None
        print(f"{r.m.cells}  {r.url}  [{r.name}{' ' + r.label if r.label else ''}]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--only", default="", help="app labels or parts of URL names, separated by commas"
    )
    parser.add_argument("--small", action="store_true", help="query counts at two small tenants")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the large sizes")
    args = parser.parse_args()
    harness.setup_django()
    from django.db import connection

    with harness.throwaway_database():
        harness.install_bare_view()
        if args.small:
            world = build(SMALL)
            before = survey(world, args.only)
            grow(world, SMALL_PLUS, start=1000)
            after = survey(world, args.only)
            grown = {k: (before[k], after[k]) for k in before if k in after}
            more = {
                k: (a.queries, b.queries) for k, (a, b) in grown.items() if b.queries > a.queries
            }
            wider = {
                k: (a.options, b.options) for k, (a, b) in grown.items() if b.options > a.options
            }
            for (name, label), (a, b) in sorted(more.items()):
                print(f"{a:4d} -> {b:4d} queries  {name} {label}")
            for (name, label), (a, b) in sorted(wider.items()):
                print(f"{a:4d} -> {b:4d} options  {name} {label}")
            print(f"{len(more)} of {len(before)} URLs issue more queries with more data")
            print(f"{len(wider)} of {len(before)} URLs list more options with more data")
            return 1 if more or wider else 0
        sizes = Sizes(*(max(1, int(v * args.scale)) for v in vars(LARGE).values()))
        began = time.perf_counter()
        world = build(sizes)
        print(f"built {sizes} on {connection.vendor} in {time.perf_counter() - began:.0f} s")
        from portal.startup import start

        # As a web process does before its first request (portal/wsgi.py); the crawl
        # waits for the screening index, which a web process loads while it serves.
        warming = start()
        if warming is not None:
            warming.join()
        client = _client(world)
        bare = harness.measure(client, harness.BARE_URL, args.rounds)
        load = harness.loadavg()
        rows = list(
            walk(
                world,
                args.rounds,
                args.only,
                progress=lambda r: print(
                    f"  {r.m.cells if r.m else ''}  {r.url or r.name}  {r.note}",
                    file=sys.stderr,
                    flush=True,
                ),
            )
        )
        bare_after = harness.measure(client, harness.BARE_URL, args.rounds)
        bare.p50, bare.p95 = min(bare.p50, bare_after.p50), max(bare.p95, bare_after.p95)
        print_report(rows, bare, f"{load} -> {harness.loadavg()}", f"crawl on {connection.vendor}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
