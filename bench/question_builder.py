"""Members' own question sets at their size limit: import, publish and the pages.

Run from the repository root:

    uv run python bench/question_builder.py            # SQLite (a throw-away database)

The database is a test database of its own (created and dropped here). It builds a set of
`--questions` questions (default 200, the limit of a set; every fourth one a follow-up,
types mixed), imports it from TOML, publishes it, sends it, saves an answer to every
question asked, and times `--rounds` requests of the partner's page and the builder page
after a warm-up, next to the partner's page of a shipped set (24 questions) measured in the
same run as the baseline. Prints p50/p95 wall time, query counts and the load average.
"""

from __future__ import annotations

import argparse
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

KINDS = ["single", "multiple", "date", "number"]


def set_text(n: int) -> str:
    lines = ['[template.big]\nen = "Big set"\nes = "Conjunto grande"\n']
    for i in range(n):
        # Every fourth question is a text follow-up of the yes/no question two before it.
        kind = {1: "yes_no", 3: "text"}.get(i % 4, KINDS[(i // 2) % len(KINDS)])
        lines.append(
            f'[[question]]\nid = "q{i}"\ntype = "{kind}"\n'
            f"weight = {1 + i % 3}\n"
            f'en = "Question {i} in English?"\nes = "¿Pregunta {i} en español?"\n'
        )
        if i % 4 == 3:
            lines.append(f'show_if = {{ question = "q{i - 2}", answers = ["no"] }}\n')
        if kind in ("single", "multiple"):
            for key, score in (("good", 1), ("fair", 0.5), ("no", 0)):
                lines.append(
                    f'  [[question.choice]]\n  key = "{key}"\n  score = {score}\n'
                    f'  en = "{key}"\n  es = "{key} es"\n'
                )
    return "\n".join(lines)


def timed(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print("load average:", open("/proc/loadavg").read().split()[:3])
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QUESTIONNAIRE_LINK_RATE = (1_000_000, 3600)
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_qbuilder"
    names = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from companies.models import Company, Membership
        from partners.models import BusinessPartner
        from questionnaires import builder, workflow

        user = User.objects.create_user("bench@example.test", "bench-password-123")
        company = Company.objects.create(
            legal_name="Bench Imports", business_type="importer", country="US"
        )
        Membership.objects.create(company=company, user=user, role="admin")
        partner = BusinessPartner.objects.create(
            company=company, name="Bodega", role="warehouse", country="MX"
        )
        text = set_text(args.questions)
        start = time.perf_counter()
        builder.parse_text(text, "toml")
        parse_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        question_set, _new = workflow.import_set(company.pk, text, "toml")
        import_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        workflow.publish(question_set)
        publish_ms = (time.perf_counter() - start) * 1000
        print(
            f"{args.questions} questions: parse+check {parse_ms:.0f} ms, "
            f"import {import_ms:.0f} ms, publish {publish_ms:.0f} ms"
        )
        member_q, member_token = workflow.send(
            partner, contact_email="a@x.test", question_set=question_set
        )
        questions = member_q.question_set()
        answers = {}
        for q in questions.questions:
            if q.show_if:
                continue
            answers[q.id] = {
                "single": "good",
                "multiple": "good,fair",
                "yes_no": "yes",
                "date": "2026-01-01",
                "number": "3",
            }.get(q.kind, "text")
        workflow.save_answers(member_q, "Ana", {k: (v, "") for k, v in answers.items()})
        _shipped_q, shipped_token = workflow.send(partner, contact_email="a@x.test")

        partner_client = Client()
        member = Client()
        member.force_login(user)
        rows = [
            (
                "partner page, shipped set (24 q, baseline)",
                partner_client,
                reverse("questionnaire-links:answer", args=[shipped_token]),
            ),
            (
                f"partner page, member set ({args.questions} q)",
                partner_client,
                reverse("questionnaire-links:answer", args=[member_token]),
            ),
            ("builder page (member set)", member, question_set.get_absolute_url()),
            ("questionnaire detail (member set)", member, member_q.get_absolute_url()),
        ]
        print(f"{'page':48} {'p50':>8} {'p95':>8} {'queries':>8}")
        for label, client, url in rows:
            p50, p95, count = timed(client, url, args.rounds)
            print(f"{label:48} {p50:7.0f}ms {p95:7.0f}ms {count:8}")
    finally:
        teardown_databases(names, verbosity=0)
    print("load average:", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    main()
