"""The upgrade to the one sent-log keeps what the three old logs had sent: after the data
migrations, the daily run sends none of those reminders again."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from actions.models import CorrectiveAction
from certification.choices import State
from certification.tests.factories import certification_in
from core.models import SentReminder
from core.reminders import due_today
from portal.testing import add_member, make_company, make_user
from training.matrix import add_months
from training.tests import factories as f

BEFORE = [
    ("profiles", "0001_initial"),
    ("training", "0002_random_upload_names"),
    ("certification", "0006_vetting_list_screening"),
]
AFTER = [
    ("profiles", "0002_reminders_move_to_core"),
    ("training", "0003_reminders_move_to_core"),
    ("certification", "0007_reminders_move_to_core"),
]


class SentLogMigrationTests(TransactionTestCase):
    def test_reminders_sent_before_the_upgrade_are_not_sent_again(self) -> None:
        today = timezone.localdate()
        company = make_company()
        officer = make_user("officer@acme.test")
        add_member(company, officer, "officer")
        action = CorrectiveAction.objects.create(
            company=company, title="Fix", owner=officer, due_date=today + datetime.timedelta(5)
        )
        guard = f.role(company)
        course = f.course(company, roles=[guard], refresher_months=12)
        ana = f.employee(company, roles=[guard], manager_email="Boss@Acme.test")
        f.record(ana, course, today - datetime.timedelta(days=350))
        certification = certification_in(
            State.CERTIFIED, company, certified_at=timezone.now() - datetime.timedelta(days=340)
        )
        before = {(d.task.kind, d.stage, d.task.email) for d in due_today(today)}
        self.assertLessEqual(
            {
                ("corrective_action", "7", "officer@acme.test"),
                ("training_course", "30", "boss@acme.test"),
                ("certification_deadline", "30", "officer@acme.test"),
            },
            before,
        )

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        due = add_months(today - datetime.timedelta(days=350), 12)
        old.get_model("profiles", "SentReminder").objects.create(
            company_id=company.pk,
            topic="corrective_action",
            key=f"{action.pk}:{action.due_date}",
            stage="7",
            recipients=["Officer@Acme.test"],
            subject="Corrective action due in 7 days: Fix",
            body="",
            sent_at=timezone.now(),
        )
        old.get_model("training", "ReminderLog").objects.create(
            company_id=company.pk,
            employee_id=ana.pk,
            course_id=course.pk,
            kind="before",
            due_on=due,
            key=due.isoformat(),
            recipients="boss@acme.test",
            sent_at=timezone.now(),
        )
        validation_due = certification.validation_due()
        assert validation_due is not None
        old.get_model("certification", "DeadlineReminder").objects.create(
            certification_id=certification.pk,
            kind="validation",
            due_date=validation_due,
            stage="30",
            recipients=["officer@acme.test"],
            subject="Validation due",
            body="",
            sent_at=timezone.now(),
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        # Then on to the newest schema, which the reminder providers below read.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        self.assertEqual(SentReminder.objects.count(), 3)
        self.assertTrue(all(SentReminder.objects.values_list("sent_at", flat=True)))
        after = {(d.task.kind, d.stage, d.task.email) for d in due_today(today)}
        self.assertEqual(
            after,
            before
            - {
                ("corrective_action", "7", "officer@acme.test"),
                ("training_course", "30", "boss@acme.test"),
                ("certification_deadline", "30", "officer@acme.test"),
            },
        )
