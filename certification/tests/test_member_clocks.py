"""Every clock the member and the program office live by is on their pages and enforced
there too: the suspension response window, the appeal windows (30 / 90 days) and the
180-day decision, the annual review on the anniversary, and the self-reporting rule."""

from __future__ import annotations

import datetime

import time_machine
from django.test import override_settings
from django.urls import reverse

from certification import deadlines, workflow
from certification.choices import State
from certification.models import Appeal, Certification
from certification.reminders import KIND as CLOCKS
from certification.tests.factories import certification_in
from core import reminders
from portal.testing import PersonaTestCase

T0 = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)


def at(days: int) -> datetime.datetime:
    return T0 + datetime.timedelta(days=days)


class MemberClockTests(PersonaTestCase):
    def setUp(self) -> None:
        self.certification = certification_in(State.CERTIFIED, self.company, certified_at=T0)
        self.status = reverse("certification_member:status", args=[self.company.pk])

    def _suspend(self, why: str, day: int = 10) -> Certification:
        with time_machine.travel(at(day), tick=False):
            return workflow.perform(
                "suspend",
                self.certification,
                by=self.users["specialist"],
                reason="Seals missing at Laredo.",
                suspension_reason=why,
            )

    def test_member_answers_the_suspension_within_90_days_on_the_page(self) -> None:
        self._suspend("security_incident")
        respond = reverse("certification_member:suspension-respond", args=[self.company.pk])
        with time_machine.travel(at(20), tick=False):
            self.login("officer")
            page = self.client.get(self.status)
            self.assertContains(page, "Respond by")
            self.assertContains(page, "2026-06-10")  # suspended 2026-03-12 + 90 days
            self.login("admin")
            self.assertEqual(self.client.post(respond, {"response": "x"}).status_code, 404)
            self.login("officer")
            self.client.post(respond, {"response": "New seal procedure since 15 March."})
        self.certification.refresh_from_db()
        self.assertEqual(
            self.certification.suspension_response, "New seal procedure since 15 March."
        )

    @override_settings(CTPAT_SUSPENSION_RESPONSE_DAYS=60, CTPAT_REAPPLY_BAR_YEARS=2)
    def test_the_clocks_cbp_sets_no_figure_for_are_settings_labelled_as_ours(self) -> None:
        """CBP publishes no response window for a suspension and no re-application bar in
        days: 90 days and one year are this organisation's defaults (docs/domain-sources.md)."""
        self._suspend("security_incident")
        with time_machine.travel(at(20), tick=False):
            self.login("officer")
            page = self.client.get(self.status)
        self.assertContains(page, "2026-05-11")  # suspended 2026-03-12 + 60 days
        self.assertContains(page, 'data-testid="our-rule"')
        self.assertContains(page, "this organisation's rule; CBP sets no figure")
        with time_machine.travel(at(80), tick=False):
            deadlines.enforce(at(80).date())
        self.certification.refresh_from_db()
        self.assertEqual(self.certification.status, State.REMOVED)
        # Removed on 2026-05-21 (day 80), may reapply two years later.
        self.assertEqual(self.certification.reapply_allowed_from(), datetime.date(2028, 5, 21))

    def test_a_late_suspension_response_is_refused_and_the_system_removes(self) -> None:
        self._suspend("failed_validation")
        respond = reverse("certification_member:suspension-respond", args=[self.company.pk])
        with time_machine.travel(at(101), tick=False):
            self.login("officer")
            page = self.client.post(respond, {"response": "Too late."}, follow=True)
            self.assertContains(page, "The response window closed on 2026-06-10")
            self.assertEqual(deadlines.enforce(at(101).date()), 1)
        self.certification.refresh_from_db()
        self.assertEqual(self.certification.status, State.REMOVED)
        self.assertEqual(self.certification.reapply_allowed_from(), datetime.date(2027, 6, 11))

    def test_false_information_appeal_window_is_30_days_and_decision_180(self) -> None:
        self._suspend("false_information")
        event = self.certification.events.get(transition="suspend")
        appeal = reverse("certification_member:appeal-file", args=[self.company.pk, event.pk])
        with time_machine.travel(at(20), tick=False):
            self.login("officer")
            page = self.client.get(self.status)
            self.assertContains(page, 'data-testid="appeal-deadline">2026-04-11<')
        with time_machine.travel(at(41), tick=False):
            self.login("officer")
            page = self.client.post(appeal, {"grounds": "The figures were right."}, follow=True)
            self.assertContains(page, "The appeal window closed on 2026-04-11")
        self.assertFalse(Appeal.objects.exists())

    def test_benefit_denial_appeal_within_90_days_and_the_overdue_decision_shows(self) -> None:
        self._suspend("failed_validation")
        event = self.certification.events.get(transition="suspend")
        appeal = reverse("certification_member:appeal-file", args=[self.company.pk, event.pk])
        with time_machine.travel(at(95), tick=False):
            self.login("user")
            self.assertEqual(self.client.post(appeal, {"grounds": "x"}).status_code, 404)
            self.login("officer")
            page = self.client.get(self.status)
            self.assertContains(page, 'data-testid="appeal-deadline">2026-06-10<')
            page = self.client.post(appeal, {"grounds": "Every gap is fixed."}, follow=True)
            self.assertContains(page, "the decision is due by 2026-12-02")
        filed = Appeal.objects.get()
        self.assertEqual(filed.kind, "benefit_denial")
        with time_machine.travel(at(276), tick=False):
            self.login("supervisor")
            queue = self.client.get(reverse("certification:certification-list"))
            self.assertContains(queue, "decision overdue")
            self.login("officer")
            self.assertContains(self.client.get(self.status), "decision overdue")

    def test_annual_review_due_on_the_anniversary_is_listed_not_reminded_twice(self) -> None:
        with time_machine.travel(at(300), tick=False):
            self.login("viewer")
            page = self.client.get(self.status)
            self.assertContains(page, "Annual security profile review due")
            self.assertContains(page, "2027-03-02")
            self.assertContains(page, "open now")
            self.login("officer")
            listing = self.client.get(reverse("certification:deadline-list"))
            self.assertContains(listing, "Annual security profile review")
            made = reminders.due_today(at(300).date())
        self.assertNotIn(
            "annual_review",
            [d.task.key.split(":")[1] for d in made if d.task.kind == CLOCKS],
        )
        self.login("specialist")
        detail = self.client.get(self.certification.get_absolute_url())
        self.assertContains(detail, "Annual security profile review due")

    def test_self_reported_incident_is_not_suspended_from_the_page(self) -> None:
        self.login("specialist")
        url = reverse("certification:certification-transition", args=[self.certification.pk])
        data = {
            "transition": "suspend",
            "reason": "Narcotics found in a trailer.",
            "suspension_reason": "security_incident",
            "self_reported": "on",
        }
        self.assertContains(self.client.post(url, data), "reported this incident itself")
        self.certification.refresh_from_db()
        self.assertEqual(self.certification.status, State.CERTIFIED)
        data["joint_review_failed"] = "on"
        self.client.post(url, data)
        self.certification.refresh_from_db()
        self.assertEqual(self.certification.status, State.SUSPENDED)
