"""Daily digest benchmark: the digest for 1,000 people (goal ≤ 30 s), then the inbox and
task list pages of one of them.

1,000 people in 200 companies (officer, admin, user, viewer, consultant each), 2,000
corrective actions (a third overdue), 5,000 notices (half never e-mailed: those people
turned the per-event e-mail off), a fifth of the people reading Spanish. The digest is
built and "sent" through Django's in-memory mail backend, so what is timed is the
database and the rendering, not an SMTP server.

Run from the repository root:

    uv run python bench/notice_digest.py                   # SQLite (a throw-away file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/notice_digest.py

The database is a test database (created and dropped by Django's test set-up). Exits 1
when the digest takes over 30 s, fewer digests went than people with something to hear
of, or a page's query count differs from the one pinned in notices/tests/test_notices.py.
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

GOAL_SECONDS = 30.0
ROLES = ("officer", "admin", "user", "viewer", "consultant")


def build(people: int) -> object:
    from django.utils import timezone

    from accounts.models import User
    from actions.models import CorrectiveAction
    from companies.models import Company, Membership
    from notices.models import Notice, NoticeSettings

    today = timezone.localdate()
    companies = Company.objects.bulk_create(
        Company(
            legal_name=f"Bench Company {n:04d}",
            business_type="importer",
            country="MX" if n % 5 == 0 else "US",
            language="es" if n % 5 == 0 else "en",
        )
        for n in range(max(1, people // len(ROLES)))
    )
    users = User.objects.bulk_create(
        User(email=f"person{n:05d}@bench.test", password="!") for n in range(people)
    )
    members = []
    for n, user in enumerate(users):
        members.append(
            Membership(
                company=companies[n // len(ROLES) % len(companies)],
                user=user,
                role=ROLES[n % len(ROLES)],
            )
        )
    Membership.objects.bulk_create(members)
    actions = []
    for n in range(2 * people):
        company = companies[n % len(companies)]
        owner = users[(n * 7) % len(users)]
        due = today + datetime.timedelta(days=(n % 30) - 10)
        actions.append(
            CorrectiveAction(company=company, title=f"Bench action {n}", owner=owner, due_date=due)
        )
    CorrectiveAction.objects.bulk_create(actions)
    NoticeSettings.objects.bulk_create(
        NoticeSettings(user=u, email=False, language="es" if n % 5 == 0 else "")
        for n, u in enumerate(users)
        if n % 2 == 0
    )
    now = timezone.now()
    Notice.objects.bulk_create(
        Notice(
            user=users[n % len(users)],
            kind="bench",
            key=str(n),
            company=companies[(n % len(users)) // len(ROLES) % len(companies)],
            title=f"Criterion 3.{n % 9} of your security profile was rejected",
            body="The specialist's comment: say how often.",
            url="/companies/1/certification/profile-review/",
            emailed_at=None if (n % len(users)) % 2 == 0 else now,
        )
        for n in range(5 * people)
    )
    return users[1]  # an administrator (an officer would be sent to set up TOTP first)


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries)


def main() -> int:
    from notices.digest import send_digest
    from notices.tests.test_notices import INBOX_QUERIES

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_ctpat_bench_digest"
    old = setup_databases(verbosity=0, interactive=False)
    failed = False
    try:
        from django.core import mail

        mail.outbox = []
        began = time.perf_counter()
        user = build(args.people)
        print(
            f"built {args.people} people, {2 * args.people} actions and {5 * args.people} "
            f"notices in {time.perf_counter() - began:.0f} s on {connection.vendor}; load "
            f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings scale with it)"
        )
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            sent = send_digest()
            seconds = time.perf_counter() - began
        ok = seconds <= GOAL_SECONDS and sent == len(mail.outbox) and sent >= args.people * 0.9
        failed |= not ok
        print(
            f"digest: {sent} e-mails to {args.people} people in {seconds:.1f} s "
            f"({len(queries)} queries; goal ≤ {GOAL_SECONDS:.0f} s) {'ok' if ok else 'FAILED'}"
        )
        began = time.perf_counter()
        again = send_digest()
        print(f"second run the same day: {again} e-mails in {time.perf_counter() - began:.1f} s")
        failed |= again != 0
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        for name, url, expected in (
            ("inbox page", reverse("notices:inbox"), INBOX_QUERIES),
            ("task list page", reverse("notices:task-list"), None),
        ):
            p50, p95, count = measure(client, url, args.rounds)
            good = expected is None or count == expected
            failed |= not good
            pinned = "" if expected is None else f" (pinned {expected})"
            print(
                f"{name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, {count} queries{pinned} "
                f"{'ok' if good else 'FAILED'}"
            )
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
