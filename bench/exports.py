"""Benchmark: the export requests at a larger company, built in the request ("before",
every exporter forced in-request) and through the background jobs ("after": the request
only records the job; the worker's time and a progress poll are measured apart).

The company: PARTNERS partners each screened once with a hit, EMPLOYEES employees with
three required courses and a record each, a submitted security profile with EVIDENCE
evidence files, a risk assessment with CHAINS supply chains of three nodes.

Run: SECRET_KEY=x uv run python bench/exports.py [partners] [employees]
Uses a throw-away test database (SQLite in memory unless DATABASE_URL is set); the task
queue is the database backend, so "after" requests only queue.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

EVIDENCE = 300
CHAINS = 60
REPEAT = 3


def build(partners: int, employees: int) -> tuple[Any, Any]:
    import hashlib

    from django.utils import timezone

    from accounts.models import User
    from companies.models import Company, Membership
    from partners.models import BusinessPartner, PartnerScreening, normalise_name
    from personnel.models import Employee, SecurityRole
    from profiles.models import Evidence, EvidenceFile, SecurityProfile
    from profiles.tests.factories import make_catalogue, submit
    from risk.models import Node, SupplyChain
    from risk.tests.factories import make_assessment
    from training.models import Course, TrainingRecord

    company = Company.objects.create(
        legal_name="Bench Imports", business_type="importer", country="US"
    )
    user = User.objects.create_user("bench@bench.test", "x")
    Membership.objects.create(company=company, user=user, role="user")
    BusinessPartner.objects.bulk_create(
        [
            BusinessPartner(
                company=company,
                name=f"Proveedor {i}",
                normalised_name=normalise_name(f"Proveedor {i}"),
                role="manufacturer",
                country="MX",
            )
            for i in range(partners)
        ],
        batch_size=2000,
    )
    hit = {"list": "ofac", "entity_id": "1", "name": "Proveedor", "score": 91, "alert": False}
    PartnerScreening.objects.bulk_create(
        [
            PartnerScreening(partner_id=pk, threshold=88.0, status="clear", hits=[hit])
            for pk in BusinessPartner.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    guard = SecurityRole.objects.create(company=company, code="guard", name_en="Guard")
    courses = []
    for code in ("threat_awareness", "seals", "cyber"):
        course = Course.objects.create(
            company=company, code=code, title_en=code, criteria=["12.10"]
        )
        course.roles.set([guard])
        courses.append(course)
    Employee.objects.bulk_create(
        [
            Employee(
                company=company, first_name=f"Ana{i}", last_name="Ruiz", employee_number=f"E{i}"
            )
            for i in range(employees)
        ],
        batch_size=2000,
    )
    people = list(Employee.objects.filter(company=company).values_list("pk", flat=True))
    Employee.roles.through.objects.bulk_create(
        [Employee.roles.through(employee_id=pk, securityrole_id=guard.pk) for pk in people],
        batch_size=2000,
    )
    today = timezone.localdate()
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                company=company,
                employee_id=pk,
                course=courses[n % 3],
                completed_on=today - datetime.timedelta(days=n % 700),
            )
            for n, pk in enumerate(people)
        ],
        batch_size=2000,
    )
    make_catalogue()
    profile = SecurityProfile.start(company)
    responses = list(profile.responses.all())
    for n in range(EVIDENCE):
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
    submit(profile, user)
    assessment = make_assessment(company)
    for c in range(CHAINS):
        chain = SupplyChain.objects.create(assessment=assessment, name=f"Chain {c}")
        for k, kind in enumerate(("origin", "transit", "destination")):
            Node.objects.create(
                chain=chain, name=f"Node {c}.{k}", kind=kind, country="MX", mode="road"
            )
    return company, user


def timed(client: Any, url: str, method: str = "get", data: Any = None) -> tuple[float, int]:
    start = time.perf_counter()
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    else:
        _ = response.content
    return time.perf_counter() - start, response.status_code


def main() -> None:
    partners = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    employees = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from core import export_jobs
        from core.models import ExportJob
        from risk.models import Assessment

        started = time.perf_counter()
        company, user = build(partners, employees)
        print(
            f"built: {partners} partners, {employees} employees, {EVIDENCE} evidence, "
            f"{CHAINS} chains in {time.perf_counter() - started:.1f} s; "
            f"load {os.getloadavg()[0]:.2f}"
        )
        client = Client()
        client.force_login(user)
        pk = company.pk
        assessment = Assessment.objects.get(company=company)
        urls = {
            "partner CSV": reverse("partners:partner-export", args=[pk]),
            "screening evidence CSV": reverse("partners:screening-evidence-export", args=[pk]),
            "training matrix CSV": reverse("training:matrix-export", args=[pk]),
            "profile PDF": reverse("profiles:profile-export", args=[pk, "profile", "pdf"]),
            "risk assessment PDF": reverse("risk:assessment-pdf", args=[pk, assessment.pk]),
        }
        kinds = {
            "partner CSV": "partners.csv",
            "screening evidence CSV": "partners.screening-evidence",
            "training matrix CSV": "training.matrix",
            "profile PDF": "profiles.document",
            "risk assessment PDF": "risk.assessment-pdf",
        }
        saved = export_jobs.registered()
        rows = []
        for name, url in urls.items():
            # Before: built in the request (every threshold above the company's size).
            entry = saved[kinds[name]]
            export_jobs._REGISTRY[entry.kind] = entry.__class__(
                entry.kind, entry.title, entry.build, entry.count, 10**9, entry.action
            )
            before = [timed(client, url) for _ in range(REPEAT)]
            export_jobs._REGISTRY[entry.kind] = entry
            # After: the request records a job and redirects; the worker builds it.
            after = [timed(client, url) for _ in range(REPEAT)]
            jobs = list(ExportJob.objects.filter(kind=entry.kind, state="queued"))
            work = []
            for job in jobs:
                start = time.perf_counter()
                export_jobs.run(job.pk)
                work.append(time.perf_counter() - start)
            if not jobs:  # under the threshold: still built in the request
                rows.append(
                    (
                        name,
                        statistics.median(t for t, _s in before),
                        {s for _t, s in before},
                        statistics.median(t for t, _s in after),
                        {s for _t, s in after},
                        0.0,
                        float("nan"),
                        "in request",
                    )
                )
                continue
            job = jobs[-1]
            job.refresh_from_db()
            poll = [
                timed(client, reverse("exports:job-status", args=[pk, job.pk]))[0]
                for _ in range(REPEAT)
            ]
            rows.append(
                (
                    name,
                    statistics.median(t for t, _s in before),
                    {s for _t, s in before},
                    statistics.median(t for t, _s in after),
                    {s for _t, s in after},
                    statistics.median(work),
                    statistics.median(poll),
                    job.state,
                )
            )
        # The binder: always in the background.
        binder = reverse("binder:binder", args=[pk])
        after = [timed(client, binder, "post", {"language": "es"}) for _ in range(REPEAT)]
        jobs = list(ExportJob.objects.filter(kind="portal.binder", state="queued"))
        start = time.perf_counter()
        export_jobs.run(jobs[0].pk)
        work_binder = time.perf_counter() - start
        jobs[0].refresh_from_db()
        rows.append(
            (
                "binder PDF",
                float("nan"),
                set(),
                statistics.median(t for t, _ in after),
                {s for _t, s in after},
                work_binder,
                float("nan"),
                jobs[0].state,
            )
        )
        print(
            f"\n{'export':<24} {'before (in request)':>20} {'after: request':>16} "
            f"{'worker':>8} {'poll':>7} state"
        )
        for name, b, bs, a, as_, w, p, state in rows:
            print(
                f"{name:<24} {b:>13.3f} s {sorted(bs)!s:>5} {a:>9.3f} s {sorted(as_)!s:>5} "
                f"{w:>6.2f} s {p * 1000:>5.0f} ms {state}"
            )
        print(f"load average after: {os.getloadavg()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
