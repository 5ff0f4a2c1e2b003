"""Case workspace benchmark: the program office's case page (each tab) and the validation
worksheet of a member with the full MSC catalogue, every criterion answered and reviewed,
200 evidence files and a worksheet row per criterion, against a bare view (a signed-in
page rendering the portal's base template and nothing else) measured in the same run.

Run from the repository root:

    uv run python bench/case_workspace.py                     # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/case_workspace.py

The database is a test database (created and dropped by Django's test set-up). Each page
is requested `--rounds` times after a warm-up; the script prints p50/p95 and the SQL query
count per page and exits 1 when a p95 is above the goal (100 ms) or a query count differs
from the one pinned in certification/tests/test_dashboard.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import types
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
from django.urls import clear_url_caches, include, path, reverse  # noqa: E402

GOAL_MS = 100.0
EVIDENCE_FILES = 200
STATUSES = ("implemented", "partly", "not_implemented", "implemented", "not_applicable")


def _bare_urls() -> None:
    """The portal's URLs plus /bench/bare/: a signed-in view rendering base.html only."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    @login_required
    def bare(request):  # type: ignore[no-untyped-def]
        return render(request, "base.html", {})

    module = types.ModuleType("bench_case_urls")
    module.urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]  # type: ignore[attr-defined]
    sys.modules["bench_case_urls"] = module
    settings.ROOT_URLCONF = "bench_case_urls"
    clear_url_caches()


def build(n_files: int) -> tuple[object, object, object]:
    from django.utils import timezone

    from accounts.models import User
    from certification.models import (
        Certification,
        CertificationEvent,
        CriterionReview,
        ValidationReport,
        WorksheetEntry,
    )
    from companies.models import Company
    from profiles.models import Evidence, EvidenceFile, SecurityProfile
    from profiles.tests.factories import load_msc

    load_msc()
    from portal.testing import make_user

    specialist = make_user("specialist@cbp.test", program_role="specialist", mfa=True)
    assert isinstance(specialist, User)
    company = Company.objects.create(
        legal_name="Bench Imports LLC", business_type="importer", country="US"
    )
    profile = SecurityProfile.start(company)
    responses = list(profile.responses.order_by("criterion__category_number", "criterion_id"))
    for i, response in enumerate(responses):
        response.status = STATUSES[i % len(STATUSES)]
        response.narrative = f"How we meet criterion {i}: " + "procedure text " * 40
        response.version = 1
    type(responses[0]).objects.bulk_update(responses, ["status", "narrative", "version"])
    documents = Evidence.objects.bulk_create(
        Evidence(response=responses[i % len(responses)], title=f"Document {i}")
        for i in range(n_files // 2)
    )
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            evidence=documents[i % len(documents)],
            version=1 + i // len(documents),
            file=f"evidence/bench/{i}.pdf",
            original_name=f"document-{i}.pdf",
            content_type="application/pdf",
            size=1000 + i,
            sha256=f"{i:064x}",
        )
        for i in range(n_files)
    )
    now = timezone.now()
    certification = Certification.objects.create(
        company=company,
        status="certified",
        tier=1,
        applied_at=now,
        certified_at=now,
        assigned_to=specialist,
    )
    for before, after, name in [
        ("draft", "applied", "apply"),
        ("applied", "under_review", "start_review"),
        ("under_review", "certified", "certify"),
    ]:
        CertificationEvent.objects.create(
            certification=certification,
            transition=name,
            from_status=before,
            to_status=after,
            actor=specialist,
            actor_role="specialist",
        )
    CriterionReview.objects.bulk_create(
        CriterionReview(
            certification=certification,
            criterion_id=r.criterion_id,
            accepted=i % 7 != 0,
            comment="" if i % 7 else "Say how often.",
            reviewer=specialist,
            reviewed_at=now,
        )
        for i, r in enumerate(responses)
    )
    report = ValidationReport.objects.create(
        certification=certification, summary="Visit.", tier_outcome=2, drafted_by=specialist
    )
    WorksheetEntry.objects.bulk_create(
        WorksheetEntry(
            report=report,
            criterion_id=r.criterion_id,
            observation="observed",
            finding="recommendation" if i % 9 == 0 else "none",
            note="Seen on site." if i % 9 == 0 else "",
            recorded_by=specialist,
        )
        for i, r in enumerate(responses)
    )
    return specialist, certification, report


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, float, int]:
    """p50 and p95 wall time, p95 CPU time of this process (the page's own Python work,
    and SQLite's, without the time spent waiting for a CPU on a loaded machine; a
    PostgreSQL server's work is not in it), and the query count."""
    client.get(url)  # warm-up
    times = []
    cpu = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), _p95(times), _p95(cpu), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=EVIDENCE_FILES)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_case"
    _bare_urls()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        began = time.perf_counter()
        specialist, certification, report = build(args.files)
        print(
            f"built the full catalogue, {args.files} evidence files, 96 reviews and worksheet "
            f"rows in {time.perf_counter() - began:.0f} s on {connection.vendor}"
        )
        from portal.testing import sign_in

        client = Client()
        sign_in(client, specialist)  # type: ignore[arg-type]  # with the second factor
        case = certification.get_absolute_url()  # type: ignore[attr-defined]
        # Pinned in certification/tests/test_dashboard.py (one session, user and case).
        pages: dict[str, tuple[str, int | None]] = {
            "bare view (baseline)": ("/bench/bare/", None),
            "case: validation tab": (f"{case}?tab=validation", 8),
            "case: profile review": (f"{case}?tab=review", 14),
            "case: application": (f"{case}?tab=application", 10),
            "case: history": (f"{case}?tab=history", 8),
            "worksheet": (
                reverse("certification:validationreport-worksheet", args=[report.pk]),  # type: ignore[attr-defined]
                11,
            ),
        }
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        failed = False
        result = {}
        for name, (url, pinned) in pages.items():
            p50, p95, cpu95, queries = measure(client, url, args.rounds)
            ok = name.startswith("bare") or (
                p95 <= GOAL_MS and (pinned is None or queries == pinned)
            )
            failed |= not ok
            result[name] = {
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "cpu_p95_ms": round(cpu95, 1),
                "queries": queries,
            }
            pin = f"(pinned {pinned})" if pinned is not None else ""
            print(
                f"{name:22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  cpu p95 {cpu95:6.1f} ms  "
                f"queries {queries:3} {pin:12} "
                f"{'ok' if ok else 'FAIL'}"
            )
        if args.json:
            args.json.write_text(json.dumps({"database": connection.vendor, **result}, indent=2))
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
