"""Open screening alerts in the task list (`partners/reminders.py`): one task per company
however many alerts, for its officers and administrators only, linked to the open
alerts; gone once every alert is decided; one e-mail when the oldest has waited a week."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Company
from core.reminders import send_reminders, tasks_for
from partners import workflow
from partners.models import BusinessPartner, PartnerScreening
from partners.reminders import DECIDE_DAYS, KIND
from portal.testing import PersonaTestCase


def alerts_of(user: object) -> list[tuple[str, str]]:
    return [(str(t.title), str(t.url)) for t in tasks_for(user) if t.kind == KIND]  # type: ignore[arg-type]


class ScreeningAlertTaskTests(PersonaTestCase):
    def alert(self, company: Company, name: str, status: str = "alert") -> PartnerScreening:
        partner = BusinessPartner.objects.create(
            company=company, name=name, role="sea_carrier", country="PA"
        )
        return PartnerScreening.objects.create(
            partner=partner,
            threshold=88.0,
            status=status,
            hits=[{"alert": True, "list": "ofac_sdn", "entity_id": name, "score": 95.0}],
        )

    def test_open_alerts_are_one_task_per_company_for_its_managers(self) -> None:
        first = self.alert(self.company, "Naviera Oscura")
        self.alert(self.company, "Fletes Grises", status="second_review")
        self.alert(self.company, "Bodega Clara", status="clear")
        self.alert(self.company, "Tornillos Globales", status="false_positive")
        self.alert(self.other_company, "Naviera del Norte")
        url = reverse("partners:alert-list", args=[self.company.pk]) + "?state=open"
        for persona in ("officer", "admin"):
            self.assertEqual(alerts_of(self.users[persona]), [("2 open screening alerts", url)])
        for persona in ("user", "viewer", "consultant"):
            self.assertEqual(alerts_of(self.users[persona]), [], persona)
        [norte] = alerts_of(self.users["other"])
        self.assertEqual(norte[0], "1 open screening alert")
        [task] = [t for t in tasks_for(self.users["officer"]) if t.kind == KIND]
        oldest = timezone.localdate(first.screened_at)
        self.assertEqual(task.due, oldest + datetime.timedelta(days=DECIDE_DAYS))
        with translation.override("es"):  # translated when shown, not when listed
            self.assertEqual(str(task.title), "2 alertas de verificación abiertas")

    def test_deciding_every_alert_ends_the_task(self) -> None:
        screening = self.alert(self.company, "Naviera Oscura")
        workflow.decide(screening, self.users["admin"], "false_positive", "Another company")
        self.assertEqual(alerts_of(self.users["officer"]), [])

    def test_the_count_costs_the_same_query_however_many_alerts(self) -> None:
        self.alert(self.company, "Naviera 0")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                tasks_for(self.users["officer"])
            return len(captured)

        few = count()
        for i in range(1, 8):
            self.alert(self.company, f"Naviera {i}")
        self.assertEqual(count(), few)
        self.assertEqual(alerts_of(self.users["officer"])[0][0], "8 open screening alerts")

    def test_one_reminder_a_week_after_the_oldest_alert_never_twice(self) -> None:
        old = self.alert(self.company, "Naviera Oscura")
        PartnerScreening.objects.filter(pk=old.pk).update(
            screened_at=timezone.now() - datetime.timedelta(days=DECIDE_DAYS + 1)
        )
        self.alert(self.company, "Fletes Grises")
        with self.captureOnCommitCallbacks(execute=True):
            made = [d for d in send_reminders() if d.task.kind == KIND]
            again = [d for d in send_reminders() if d.task.kind == KIND]
        self.assertEqual(
            sorted((d.stage, d.task.email) for d in made),
            [("overdue", "admin@acme.test"), ("overdue", "officer@acme.test")],
        )
        self.assertEqual(again, [])
