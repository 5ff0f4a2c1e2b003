"""Profile-sharing benchmark: the shared summary (page, API, PDF) of a partner that answered
the full MSC catalogue and submitted 20 times, and the sharing page and share list API of
a customer with 300 shares received and 300 given.

Run from the repository root:

    uv run python bench/sharing_summary.py                    # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/sharing_summary.py

The database is a test database (created and dropped by Django's test set-up), so nothing
of yours is touched. Each page is requested `--rounds` times after a warm-up; the script
prints p50/p95 and the SQL query count per page, and exits 1 when a p95 is above its goal
(150 ms for pages and API; 5 s for the PDF, which lays out every criterion) or a query
count differs from the one pinned in sharing/tests/test_query_counts.py.
"""

from __future__ import annotations

import argparse
import datetime
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
PDF_GOAL_MS = 5000.0
SHARES = 300
SUBMISSIONS = 20
STATUSES = ("implemented", "partly", "not_implemented", "implemented", "not_applicable", "")


def build(n_shares: int, n_submissions: int) -> tuple[object, object, object]:
    from accounts.models import User
    from certification.choices import State
    from certification.tests.factories import certification_in
    from companies.models import Company, Membership
    from profiles.models import SecurityProfile, Submission
    from profiles.readiness import compute_readiness
    from profiles.snapshots import build_snapshot
    from profiles.tests.factories import load_msc
    from sharing.models import Share

    load_msc()
    user = User.objects.create_user("bench@example.test", "bench-password-123")
    officer = User.objects.create_user("officer@example.test", "bench-password-123")
    customer = Company.objects.create(
        legal_name="Bench Imports LLC", business_type="importer", country="US"
    )
    sharer = Company.objects.create(
        legal_name="Bench Manufacturing SA", business_type="importer", country="MX"
    )
    Membership.objects.create(company=customer, user=user, role="admin")
    Membership.objects.create(company=sharer, user=officer, role="officer")
    certification_in(State.VALIDATED, sharer)
    profile = SecurityProfile.start(sharer)
    responses = list(profile.responses.order_by("criterion__category_number", "criterion_id"))
    for i, response in enumerate(responses):
        response.status = STATUSES[i % len(STATUSES)]
        response.narrative = "procedure text " * 40
    type(responses[0]).objects.bulk_update(responses, ["status", "narrative"])
    rows = profile.rows(with_evidence=True)
    snapshot = build_snapshot(profile, rows, compute_readiness(rows), {})
    start = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    Submission.objects.bulk_create(
        Submission(
            company=sharer,
            profile=profile,
            number=n + 1,
            submitted_by=officer,
            submitted_at=start + datetime.timedelta(days=90 * n),
            signer_name="Dana Price",
            signer_title="COO",
            attestation="I attest.",
            snapshot=snapshot,
        )
        for n in range(n_submissions)
    )
    others = Company.objects.bulk_create(
        Company(legal_name=f"Partner {i:04d} LLC", business_type="importer", country="US")
        for i in range(n_shares)
    )
    shares = [
        Share(
            requester=customer,
            sharer=sharer,
            requested_by=user,
            status="accepted",
            share_status=True,
            share_readiness=True,
            share_criteria=True,
            share_submitted=True,
        )
    ]
    for i, other in enumerate(others):
        shares.append(Share(requester=customer, sharer=other, requested_by=user, status="accepted"))
        shares.append(
            Share(requester=other, sharer=customer, requested_by=user, status="requested")
            if i % 2
            else Share(requester=other, sharer=customer, requested_by=user, status="rejected")
        )
    Share.objects.bulk_create(shares, batch_size=500)
    return user, customer, Share.objects.get(sharer=sharer)


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    client.get(url)  # warm-up
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
    from sharing.tests.test_query_counts import (
        SHARE_LIST_API_QUERIES,
        SHARE_LIST_QUERIES,
        SUMMARY_API_QUERIES,
        SUMMARY_PAGE_QUERIES,
    )

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shares", type=int, default=SHARES)
    parser.add_argument("--submissions", type=int, default=SUBMISSIONS)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_sharing"
    old = setup_databases(verbosity=0, interactive=False)
    failed = False
    try:
        began = time.perf_counter()
        user, customer, share = build(args.shares, args.submissions)
        print(
            f"built the full catalogue, {args.submissions} submissions and "
            f"{2 * args.shares + 1} shares in {time.perf_counter() - began:.0f} s "
            f"on {connection.vendor}; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} CPUs (timings scale with it)"
        )
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        pk = customer.pk  # type: ignore[attr-defined]
        share_pk = share.pk  # type: ignore[attr-defined]
        pages = {
            "sharing page": (reverse("sharing:share-list", args=[pk]), SHARE_LIST_QUERIES, GOAL_MS),
            "summary page": (
                reverse("sharing:summary-detail", args=[pk, share_pk]),
                SUMMARY_PAGE_QUERIES,
                GOAL_MS,
            ),
            "summary API": (
                reverse("api:share-summary", args=[share_pk]),
                SUMMARY_API_QUERIES,
                GOAL_MS,
            ),
            "share list API": (reverse("api:share-list"), SHARE_LIST_API_QUERIES, GOAL_MS),
            "summary PDF": (
                reverse("sharing:summary-pdf", args=[pk, share_pk]),
                SUMMARY_PAGE_QUERIES,
                PDF_GOAL_MS,
            ),
        }
        for name, (url, expected, goal) in pages.items():
            rounds = max(3, args.rounds // 6) if name == "summary PDF" else args.rounds
            p50, p95, queries = measure(client, url, rounds)
            ok = p95 <= goal and queries == expected
            failed |= not ok
            print(
                f"{name:15} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms (goal {goal:.0f})  "
                f"queries {queries} (pinned {expected})  {'ok' if ok else 'FAIL'}"
            )
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
