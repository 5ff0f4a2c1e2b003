"""Security-profile benchmark: the profile page and the gap report of a company with the full
MSC catalogue, every criterion answered, 2,000 evidence files and 20 past submissions.

Run from the repository root:

    uv run python bench/profile_page.py                      # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/profile_page.py

The database is a test database (created and dropped by Django's test set-up), so nothing
of yours is touched; the shipped catalogue (SHARED_DATA_DIR/msc/criteria.csv) is imported
into it. Each page is requested `--rounds` times after a warm-up; the script prints p50/p95
and the SQL query count per page, and exits 1 when a p95 is above the goal (150 ms) or a
query count differs from the one pinned in profiles/tests/test_query_counts.py.
"""

from __future__ import annotations

import argparse
import datetime
import json
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

GOAL_MS = 150.0
EVIDENCE_FILES = 2_000
SUBMISSIONS = 20
STATUSES = ("implemented", "partly", "not_implemented", "implemented", "not_applicable", "")


def build(n_files: int, n_submissions: int) -> tuple[object, object]:
    from accounts.models import User
    from companies.models import Company, Membership
    from profiles.models import Evidence, EvidenceFile, SecurityProfile, Submission
    from profiles.readiness import compute_readiness
    from profiles.snapshots import build_snapshot
    from profiles.tests.factories import load_msc

    load_msc()
    user = User.objects.create_user("bench@example.test", "bench-password-123")
    officer = User.objects.create_user("officer@example.test", "bench-password-123")
    company = Company.objects.create(
        legal_name="Bench Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=user, role="user")
    Membership.objects.create(company=company, user=officer, role="officer")
    profile = SecurityProfile.start(company)
    responses = list(profile.responses.order_by("criterion__category_number", "criterion_id"))
    for i, response in enumerate(responses):
        response.status = STATUSES[i % len(STATUSES)]
        response.na_reason = (
            "Not our business model." if response.status == "not_applicable" else ""
        )
        response.narrative = f"How we meet criterion {i}: " + "procedure text " * 40
        response.owner = user if i % 3 else officer
        response.due_date = datetime.date(2027, 1, 1) + datetime.timedelta(days=i)
        response.version = 1
    type(responses[0]).objects.bulk_update(
        responses, ["status", "na_reason", "narrative", "owner", "due_date", "version"]
    )
    # 2,000 files: one evidence document per file for half, two versions for the rest.
    documents = [
        Evidence(response=responses[i % len(responses)], title=f"Document {i}", created_by=user)
        for i in range(n_files * 3 // 4)
    ]
    Evidence.objects.bulk_create(documents, batch_size=1000)
    files = []
    for i in range(n_files):
        evidence = documents[i % len(documents)]
        files.append(
            EvidenceFile(
                evidence=evidence,
                version=1 + i // len(documents),
                file=f"evidence/bench/{i}.pdf",
                original_name=f"document-{i}.pdf",
                content_type="application/pdf",
                size=1000 + i,
                sha256=f"{i:064x}",
                uploaded_by=user,
            )
        )
    EvidenceFile.objects.bulk_create(files, batch_size=1000)
    rows = profile.rows(with_evidence=True)
    readiness = compute_readiness(rows)
    latest = {f.evidence_id: f for f in EvidenceFile.objects.order_by("version")}
    snapshot = build_snapshot(profile, rows, readiness, latest)
    start = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    Submission.objects.bulk_create(
        Submission(
            company=company,
            profile=profile,
            number=n + 1,
            submitted_by=officer,
            submitted_at=start + datetime.timedelta(days=90 * n),
            signer_name="Dana Price",
            signer_title="COO",
            attestation="I attest.",
            overall_score=readiness.overall,
            snapshot=snapshot,
        )
        for n in range(n_submissions)
    )
    return user, company


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int, float]:
    """p50 and p95 wall time (ms), query count, and the median time spent in SQL (ms;
    Django records each query's time rounded to 1 ms, so fast SQLite queries add up to 0)."""
    client.get(url)  # warm-up
    times = []
    sql = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries, statistics.median(sql)


def main() -> int:
    from profiles.tests.test_query_counts import GAP_REPORT_QUERIES, PROFILE_PAGE_QUERIES

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=EVIDENCE_FILES)
    parser.add_argument("--submissions", type=int, default=SUBMISSIONS)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    pinned = {
        "profile page": PROFILE_PAGE_QUERIES,
        "gap report": GAP_REPORT_QUERIES,
        "submission history": None,
        "one criterion": None,
    }
    # A test database of its own, so the bench can run beside a test run on the same server.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_profile"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        began = time.perf_counter()
        user, company = build(args.files, args.submissions)
        print(
            f"built the full catalogue, {args.files} evidence files and {args.submissions} "
            f"submissions in {time.perf_counter() - began:.0f} s on {connection.vendor}"
        )
        from profiles.models import Response

        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        pk = company.pk  # type: ignore[attr-defined]
        busiest = (
            Response.objects.filter(profile__company_id=pk)
            .order_by("-evidence__pk")
            .values_list("criterion_id", flat=True)
            .first()
        )
        pages = {
            "profile page": reverse("profiles:profile-detail", args=[pk]),
            "gap report": reverse("profiles:gap-report", args=[pk]),
            "submission history": reverse("profiles:submission-list", args=[pk]),
            "one criterion": reverse("profiles:response-edit", args=[pk, busiest]),
        }
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings "
            "scale with it)"
        )
        failed = False
        report = {}
        for name, url in pages.items():
            p50, p95, queries, sql_ms = measure(client, url, args.rounds)
            expected = pinned[name]
            ok = p95 <= GOAL_MS and (expected is None or queries == expected)
            failed |= not ok
            report[name] = {
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "queries": queries,
                "sql_ms": round(sql_ms, 1),
            }
            pin = f"(pinned {expected})" if expected is not None else ""
            print(
                f"{name:20} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  SQL {sql_ms:6.1f} ms  "
                f"queries {queries} {pin:12} "
                f"{'ok' if ok else 'FAIL'}"
            )
        if args.json:
            args.json.write_text(json.dumps({"database": connection.vendor, **report}, indent=2))
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
