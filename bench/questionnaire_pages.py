"""Partner-questionnaire benchmark: the partner's page (opened by link) and the member's
pages for a company with many partners and questionnaires.

Run from the repository root:

    uv run python bench/questionnaire_pages.py        # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python bench/questionnaire_pages.py

The database is a test database of its own (created and dropped here), so nothing of yours
is touched. It builds `--partners` partners (default 2,000), each with one submitted
questionnaire (every question answered, one file per answer) and half of them with a
second questionnaire in progress, then requests each page `--rounds` times after a warm-up
and prints p50/p95 wall time and the SQL query count, then times `dashboard.counts` and
`evidence.partner_ids_with_open_questionnaires`. It exits 1 when a p95 is above the goal
(150 ms) or a page needs more than 15 queries (the counts do not grow with the number of
questions, answers or files). Timings scale with the machine's load, which is printed.
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
from django.utils import timezone  # noqa: E402

GOAL_MS = 150.0


def build(n_partners: int) -> tuple[object, object, object, str]:
    from accounts.models import User
    from companies.models import Company, Membership
    from partners.models import BusinessPartner, compute_tier, normalise_name
    from questionnaires.models import Answer, AnswerEvidence, Questionnaire, Status, hash_token
    from questionnaires.question_sets import bank

    user = User.objects.create_user("bench@example.test", "bench-password-123")
    company = Company.objects.create(
        legal_name="Bench Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=user, role="viewer")
    roles = ["manufacturer", "highway_carrier", "warehouse", "3pl", "customs_broker"]
    partners = []
    for i in range(n_partners):
        role = roles[i % len(roles)]
        tier = compute_tier(role, "MX", (i * 7) % 1000)
        partners.append(
            BusinessPartner(
                company=company,
                name=f"Socio {i}",
                normalised_name=normalise_name(f"Socio {i}"),
                role=role,
                country="MX",
                computed_tier=tier,
                tier=tier,
            )
        )
    BusinessPartner.objects.bulk_create(partners, batch_size=2000)
    now = timezone.now()
    questionnaires = []
    for n, partner in enumerate(BusinessPartner.objects.filter(company=company)):
        key = bank().for_role(partner.role).key
        questionnaires.append(
            Questionnaire(
                company=company,
                partner=partner,
                template_key=key,
                template_version="b",
                contact_email="x@example.test",
                token_hash=hash_token(f"old-{n}"),
                status=Status.SUBMITTED,
                sent_at=now - datetime.timedelta(days=400),
                expires_at=now - datetime.timedelta(days=370),
                submitted_at=now - datetime.timedelta(days=380),
                score=90,
                band="strong",
            )  # fmt: skip
        )
        if n % 2:
            questionnaires.append(
                Questionnaire(
                    company=company,
                    partner=partner,
                    template_key=key,
                    template_version="b",
                    contact_email="x@example.test",
                    token_hash=hash_token(f"new-{n}"),
                    status=Status.IN_PROGRESS,
                    sent_at=now,
                    expires_at=now + datetime.timedelta(days=30),
                )  # fmt: skip
            )
    Questionnaire.objects.bulk_create(questionnaires, batch_size=2000)
    answers = []
    for q in Questionnaire.objects.filter(company=company):
        for question in bank().sets[q.template_key].questions:
            answers.append(
                Answer(
                    questionnaire=q,
                    question_id=question.id,
                    criterion_ref=question.criterion,
                    option="yes",
                    answered_by="Ana",
                    comment="Procedimiento vigente",
                )  # fmt: skip
            )
    Answer.objects.bulk_create(answers, batch_size=5000)
    AnswerEvidence.objects.bulk_create(
        [
            AnswerEvidence(
                answer_id=pk,
                uploaded_by_name="Ana",
                file=f"questionnaires/b/{pk}.pdf",
                original_name=f"evidencia-{pk}.pdf",
                content_type="application/pdf",
                size=100,
                sha256="0" * 64,
            )  # fmt: skip
            for pk in Answer.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    # The page under test: a manufacturer (the longest set) in progress.
    busiest = Questionnaire.objects.filter(
        company=company, status=Status.IN_PROGRESS, template_key="manufacturer"
    ).first()
    assert busiest is not None
    busiest.token_hash = hash_token("bench-token")
    busiest.save()
    return user, company, busiest, "bench-token"


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--partners", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QUESTIONNAIRE_LINK_RATE = (1_000_000, 3600)
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_quest"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        began = time.perf_counter()
        user, company, busiest, token = build(args.partners)
        from questionnaires.models import Answer, Questionnaire

        print(
            f"built {args.partners} partners, {Questionnaire.objects.count()} questionnaires, "
            f"{Answer.objects.count()} answers with a file each in "
            f"{time.perf_counter() - began:.0f} s on {connection.vendor}; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        member = Client()
        member.force_login(user)  # type: ignore[arg-type]
        pk = company.pk  # type: ignore[attr-defined]
        q = busiest
        pages = {
            "partner page (link)": (Client(), reverse("questionnaire-links:answer", args=[token])),
            "questionnaire list": (
                member,
                reverse("questionnaires:questionnaire-list", args=[pk]),
            ),
            "questionnaire detail": (member, q.get_absolute_url()),  # type: ignore[attr-defined]
            "partner questionnaires": (
                member,
                reverse(
                    "questionnaires:partner-questionnaires",
                    args=[pk, q.partner_id],  # type: ignore[attr-defined]
                ),
            ),
        }
        failed = False
        for name, (client, url) in pages.items():
            p50, p95, queries = measure(client, url, args.rounds)
            ok = p95 <= GOAL_MS and queries <= 15
            failed |= not ok
            print(
                f"{name:24} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  queries {queries:3}  "
                f"{'ok' if ok else 'FAIL'}"
            )
        from questionnaires.dashboard import counts
        from questionnaires.evidence import partner_ids_with_open_questionnaires

        began = time.perf_counter()
        figures = counts(company)  # type: ignore[arg-type]
        middle = time.perf_counter()
        open_ids = partner_ids_with_open_questionnaires(company)  # type: ignore[arg-type]
        end = time.perf_counter()
        print(f"dashboard.counts: {(middle - began) * 1000:.1f} ms {figures}")
        print(
            f"evidence.partner_ids_with_open_questionnaires: {(end - middle) * 1000:.1f} ms "
            f"({len(open_ids)} partners)"
        )
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
