"""The one reminder registry across apps: every kind registered, a person's task list
across apps and companies (overdue first, queries that do not grow with the rows), and no
import cycle between the apps' reminder modules."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from actions.models import CorrectiveAction
from applications.models import Application
from certification.choices import State
from certification.tests.factories import certification_in
from companies.models import Company
from core import reminders
from personnel.models import Employee
from portal.testing import add_member, make_company, make_user
from profiles.models import SecurityProfile
from profiles.tests.factories import add_evidence, answer, make_catalogue
from training.models import Course
from training.tests import factories as f

ROOT = Path(settings.BASE_DIR)
KINDS = [
    "annual_review",
    "certification_deadline",
    "corrective_action",
    "criteria_unanswered",
    "criterion_answer",
    "criterion_rejected",
    "evidence_expiry",
    "partner_questionnaire",
    "screening_alerts",
    "site_audit_due",
    "site_audit_visit",
    "trade_compliance_anl",
    "training_course",
]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class RegistryTests(TestCase):
    def test_every_reminder_of_every_app_is_one_registered_kind(self) -> None:
        self.assertEqual([k.name for k in reminders.kinds()], KINDS)

    def test_no_reminder_module_imports_another_app_or_core_an_app(self) -> None:
        """The old cycle was actions/reminders.py <-> profiles/reminders.py: each app's
        reminders module now imports only its own app, the apps below it and core."""
        apps = {p.parent.name for p in ROOT.glob("*/apps.py")}

        def imported(path: Path) -> set[str]:
            tree = ast.parse(path.read_text())
            names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {
                n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
            }
            return {name.split(".")[0] for name in names} & apps

        for module in ("reminders.py", "reminder_mail.py", "reminder_migrations.py"):
            self.assertLessEqual(imported(ROOT / "core" / module), {"core"}, module)
        owners = {p.parent.name: imported(p) for p in ROOT.glob("*/reminders.py")}
        self.assertEqual(
            sorted(owners),
            [
                "actions",
                "certification",
                "core",
                "partners",
                "profiles",
                "questionnaires",
                "siteaudits",
                "tradecompliance",
                "training",
            ],
        )
        for app, uses in owners.items():
            reminder_apps = {a for a in uses if a in owners and a not in (app, "core")}
            for other in reminder_apps:
                self.assertNotIn(app, owners[other], f"{app}/reminders.py <-> {other}")
        self.assertNotIn("profiles", owners["actions"])


class TasksForTests(TestCase):
    """One person who is officer of one company and administrator of another."""

    person: User
    colleague: User
    acme: Company
    maple: Company
    stranger: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.person = make_user("pat@acme.test")
        cls.acme = make_company("Acme Imports LLC")
        cls.maple = make_company("Maple Brokers Inc")
        add_member(cls.acme, cls.person, "officer")
        add_member(cls.maple, cls.person, "admin")
        cls.colleague = make_user("lee@acme.test")
        add_member(cls.acme, cls.colleague, "user")
        cls.stranger = make_company("Transportes del Norte")
        make_catalogue()

    def add_rows(self, n: int) -> None:
        """n of each kind of task in both companies (and some for other people)."""
        for company in (self.acme, self.maple):
            for i in range(n):
                CorrectiveAction.objects.create(
                    company=company, title=f"Fix {i}", owner=self.person, due_date=days(i - 3)
                )
            guard = f.role(company, f"guard{n}")
            course = f.course(company, f"seal{n}", roles=[guard], refresher_months=12)
            for i in range(n):
                person = f.employee(company, f"E{i}", f"N{n}", roles=[guard])
                f.record(person, course, days(-365 + 10 + i))
        CorrectiveAction.objects.create(
            company=self.stranger, title="Not theirs", due_date=days(-30)
        )
        CorrectiveAction.objects.create(
            company=self.acme, title="Lee's", owner=self.colleague, due_date=days(-30)
        )

    def test_everything_waiting_on_a_person_overdue_first(self) -> None:
        Application.objects.create(
            company=self.acme,
            status="submitted",
            submitted_at=timezone.now() - datetime.timedelta(days=300),
        )
        profile = SecurityProfile.start(self.acme)
        response = answer(profile, "3.1", owner=self.person)
        add_evidence(response, "Partner certificate", expires_on=days(20))
        add_evidence(answer(profile, "4.1", owner=self.colleague), "Not mine", expires_on=days(5))
        CorrectiveAction.objects.create(
            company=self.acme, title="Fix the fence", owner=self.person, due_date=days(-10)
        )
        CorrectiveAction.objects.create(company=self.maple, title="Unowned", due_date=days(5))
        CorrectiveAction.objects.create(company=self.stranger, title="Theirs", due_date=days(-9))
        guard = f.role(self.maple)
        f.employee(self.maple, "Eva", "Luna", roles=[guard])
        f.course(self.maple, roles=[guard], title_en="Seal handling")  # never taken
        certification_in(
            State.CERTIFIED,
            self.maple,
            certified_at=timezone.now() - datetime.timedelta(days=365 - 12),
        )

        tasks = reminders.tasks_for(self.person)

        self.assertEqual(
            [(t.kind, str(t.title), t.due) for t in tasks],
            [
                # Eva has no manager: she counts in the course's one task for pat.
                ("training_course", "Training: Seal handling — 1 person due or overdue", None),
                ("corrective_action", "Corrective action: Fix the fence", days(-10)),
                ("corrective_action", "Corrective action: Unowned", days(5)),
                ("annual_review", "Annual security profile review: Maple Brokers Inc", days(12)),
                ("certification_deadline", "Validation: Maple Brokers Inc", days(12)),
                ("evidence_expiry", "Evidence to renew: Partner certificate", days(20)),
                ("annual_review", "Annual security profile review: Acme Imports LLC", days(65)),
                # Criteria nobody dated come last, never overdue: 3.1 is pat's own, the
                # three nobody owns wait on pat as officer (4.1 is lee's).
                ("criteria_unanswered", "Answer 3 criteria", None),
                ("criterion_answer", "Answer criterion: 3.1", None),
            ],
        )
        today = timezone.localdate()
        self.assertEqual([t.overdue(today) for t in tasks][:3], [True, True, False])
        self.assertFalse(tasks[-1].overdue(today))
        unowned = CorrectiveAction.objects.get(title="Unowned")
        self.assertEqual(tasks[2].url, unowned.get_absolute_url())
        self.assertEqual({t.email for t in tasks}, {"pat@acme.test"})

    def test_the_program_office_sees_the_clocks_assigned_to_it(self) -> None:
        specialist = make_user("spec@cbp.test", program_role="specialist")
        certification_in(
            State.UNDER_REVIEW,
            self.maple,
            applied_at=timezone.now() - datetime.timedelta(days=95),
            assigned_to=specialist,
        )
        self.assertEqual(
            [(t.kind, t.key.split(":")[1]) for t in reminders.tasks_for(specialist)],
            [("certification_deadline", "certification_sla")],
        )
        self.assertNotIn("certification_sla", [t.key for t in reminders.tasks_for(self.person)])

    def test_a_persons_list_is_everyones_list_narrowed_to_them(self) -> None:
        """The providers ask the database for the person's rows only: the answer must be
        what the whole registry gives for their companies, kept to their address."""
        self.add_rows(3)
        profile = SecurityProfile.start(self.acme)
        add_evidence(answer(profile, "3.1"), "Unowned certificate", expires_on=days(3))
        add_evidence(answer(profile, "4.1", owner=self.colleague), "Lee's", expires_on=days(4))
        dock, gate = f.role(self.acme, "dock"), f.role(self.maple, "gate")
        f.course(self.acme, "dock_safety", roles=[dock])
        f.course(self.maple, "gate_safety", roles=[gate])
        f.employee(self.acme, "Ana", "Unmanaged", roles=[dock])  # waits on pat, as officer
        f.employee(self.maple, "Bo", "Lees", roles=[gate], manager_email="LEE@acme.test")
        certification_in(
            State.CERTIFIED, self.acme, certified_at=timezone.now() - datetime.timedelta(days=300)
        )
        today = timezone.localdate()
        everyone = reminders.tasks(
            reminders.Scope(today, frozenset({self.acme.pk, self.maple.pk}), self.person)
        )

        def seen(tasks: list[reminders.Task]) -> list[tuple[str, str, str, str]]:
            return [(t.kind, t.key, t.email, str(t.url)) for t in tasks]

        mine_tasks = [t for t in everyone if t.email == "pat@acme.test"]
        # Except that the training of the people nobody manages, one task a person in the
        # daily run, is one task per course in the person's own list: how many, and the
        # earliest due date (none when someone never took it).
        unmanaged = set(Employee.objects.filter(manager_email="").values_list("pk", flat=True))

        def nobodys(task: reminders.Task) -> bool:
            return task.kind == "training_course" and int(task.key.split(":")[0]) in unmanaged

        grouped: dict[int, list[datetime.date | None]] = {}
        for task in filter(nobodys, mine_tasks):
            grouped.setdefault(int(task.key.split(":")[1]), []).append(task.due)
        mine = seen([t for t in mine_tasks if not nobodys(t)])
        personal = reminders.tasks_for(self.person, today)
        self.assertEqual(seen([t for t in personal if not t.key.startswith("course:")]), mine)
        courses = {c.pk: c for c in Course.objects.filter(pk__in=grouped)}
        self.assertEqual(
            sorted((t.key, t.due, str(t.title)) for t in personal if t.key.startswith("course:")),
            sorted(
                (
                    f"course:{pk}:{min(dues) if None not in dues else 'never'}",  # type: ignore[type-var]
                    None if None in dues else min(dues),  # type: ignore[type-var]
                    f"Training: {courses[pk]} — {len(dues)} "
                    f"{'person' if len(dues) == 1 else 'people'} due or overdue",
                )
                for pk, dues in grouped.items()
            ),
        )
        self.assertGreater(len(grouped), 2)  # seal2 of each company, and Ana's dock safety
        self.assertGreater(len(everyone), len(mine))  # others' tasks were there to leave out
        self.assertIn("Evidence to renew: Unowned certificate", [str(t.title) for t in mine_tasks])

    def test_a_limit_and_a_company_keep_the_earliest_of_that_company(self) -> None:
        self.add_rows(4)
        full = reminders.tasks_for(self.person)
        limited = reminders.tasks_for(self.person, limit=3)
        self.assertEqual([(t.kind, t.key) for t in limited], [(t.kind, t.key) for t in full[:3]])
        maple = reminders.tasks_for(self.person, companies=[self.maple.pk], limit=2)
        expected = [t for t in full if t.company_id == self.maple.pk][:2]
        self.assertEqual([(t.kind, t.key) for t in maple], [(t.kind, t.key) for t in expected])
        # A company of someone else's asked for gives nothing of it.
        self.assertEqual(reminders.tasks_for(self.person, companies=[self.stranger.pk]), [])

    def queries(self) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            tasks = reminders.tasks_for(self.person)
        return len(captured), len(tasks)

    def test_the_number_of_queries_does_not_grow_with_the_rows(self) -> None:
        certification_in(State.UNDER_REVIEW, self.maple)
        self.add_rows(2)
        few, small = self.queries()
        self.add_rows(6)
        many, large = self.queries()
        self.assertGreater(large, small)
        self.assertEqual(few, many)
        # memberships 1, annual review 2, evidence 1, actions 1, training 5 (courses, their
        # roles, the kept counts of the people nobody manages — the companies' versions
        # and the counts, counted by the call above —, the roles of those pat manages:
        # none, so no records), certification 4,
        # trade compliance letters 1, site audits 2 (partners due, planned visits), criteria
        # 3 (owned, unowned, rejected), questionnaires 1, screening alerts 1; a person's own
        # list needs no look-up of each company's managers
        with self.assertNumQueries(22):
            reminders.tasks_for(self.person)
