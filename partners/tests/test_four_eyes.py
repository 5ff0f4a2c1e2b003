"""Four eyes on screening alerts: a second, different reviewer makes the decision final."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from partners import workflow
from partners.models import (
    BusinessPartner,
    FalsePositive,
    PartnerScreening,
    ScreeningPolicy,
    four_eyes_required,
)
from portal.testing import PersonaTestCase
from screening_engine import Entity, ScreeningIndex

LISTED = Entity(
    list_id="ofac_sdn",
    entity_id="9001",
    type="organization",
    name="Naviera Oscura Internacional",
    countries=("PA",),
)
OTHER = Entity(list_id="csl", entity_id="77", type="organization", name="Tornillos Globales")
INDEX = ScreeningIndex([LISTED, OTHER])


def fake_index() -> tuple[ScreeningIndex, list[Any]]:
    return INDEX, []


class FourEyesTests(PersonaTestCase):
    def setUp(self) -> None:
        patcher = mock.patch("partners.workflow.active_index", fake_index)
        patcher.start()
        self.addCleanup(patcher.stop)
        ScreeningPolicy.objects.create(company=self.company, four_eyes=True)
        partner = BusinessPartner.objects.create(
            company=self.company, name="Naviera Oscura Internacional", role="sea_carrier",
            country="PA",
        )  # fmt: skip
        self.screening = workflow.screen_partners([partner])[0]
        self.assertEqual(self.screening.status, "alert")
        self.url = reverse("partners:alert-decide", args=[self.company.pk, self.screening.pk])

    def decide(self, persona: str, verdict: str, reason: str) -> PartnerScreening:
        self.login(persona)
        self.client.post(self.url, {"verdict": verdict, "reason": reason})
        self.screening.refresh_from_db()
        return self.screening

    def test_first_decision_waits_and_the_same_user_cannot_confirm_it(self) -> None:
        s = self.decide("user", "false_positive", "Different RUC and address")
        self.assertEqual((s.status, s.first_reviewer), ("second_review", self.users["user"]))
        self.assertIsNone(s.decided_by)
        self.assertFalse(FalsePositive.objects.exists())  # not final yet
        queue = self.client.get(reverse("partners:alert-list", args=[self.company.pk]))
        self.assertContains(queue, "Awaiting second review")
        detail = reverse("partners:alert-detail", args=[self.company.pk, self.screening.pk])
        self.assertContains(self.client.get(detail), "Another reviewer must confirm")

        response = self.client.post(
            self.url, {"verdict": "false_positive", "reason": "Me again"}, follow=True
        )
        self.assertContains(response, "A second reviewer must decide", status_code=409)
        self.screening.refresh_from_db()
        self.assertEqual(self.screening.status, "second_review")
        self.assertFalse(FalsePositive.objects.exists())

    def test_a_second_user_confirms_and_the_false_positive_is_remembered(self) -> None:
        self.decide("user", "false_positive", "Different RUC and address")
        s = self.decide("admin", "false_positive", "Checked the RUC: a different company")
        self.assertEqual(s.status, "false_positive")
        reviewers = (s.first_reviewer, s.decided_by)
        self.assertEqual(reviewers, (self.users["user"], self.users["admin"]))
        self.assertFalse(s.overturned)
        fp = FalsePositive.objects.get()
        self.assertEqual(fp.entity_fingerprint, LISTED.fingerprint())
        page = self.client.get(s.partner.get_absolute_url())
        self.assertContains(page, "First review by user@acme.test")
        api = self.client.get(reverse("api:partner-screening-list"), {"partner": s.partner.pk})
        (row,) = api.json()["results"]
        self.assertEqual(
            (row["status"], row["first_reviewer"], row["decided_by"]),
            ("false_positive", "user@acme.test", "admin@acme.test"),
        )
        self.login("other")
        api = self.client.get(reverse("api:partner-screening-list"))
        self.assertEqual(api.json()["results"], [])

    def test_the_second_reviewer_overturns_a_false_positive(self) -> None:
        self.decide("user", "false_positive", "Looks different")
        s = self.decide("consultant", "true_match", "Same vessel operator, IMO matches")
        self.assertEqual((s.status, s.first_verdict), ("true_match", "false_positive"))
        self.assertTrue(s.overturned)
        self.assertFalse(FalsePositive.objects.exists())
        page = self.client.get(s.partner.get_absolute_url())
        self.assertContains(page, "overturned by the second reviewer")
        self.assertContains(page, "Same vessel operator, IMO matches")

    def test_a_viewer_cannot_review_and_only_managers_change_the_rule(self) -> None:
        self.decide("user", "false_positive", "Looks different")
        self.login("viewer")
        response = self.client.post(self.url, {"verdict": "true_match", "reason": "x"})
        self.assertEqual(response.status_code, 404)
        policy_url = reverse("partners:screening-policy", args=[self.company.pk])
        self.login("user")
        self.assertEqual(self.client.post(policy_url, {}).status_code, 404)
        self.assertTrue(four_eyes_required(self.company.pk))
        self.login("admin")
        self.client.post(policy_url, {})  # unticked box: four eyes off
        self.assertFalse(four_eyes_required(self.company.pk))


class SettingTests(PersonaTestCase):
    def test_site_setting_applies_without_a_company_rule(self) -> None:
        self.assertFalse(four_eyes_required(self.company.pk))
        with override_settings(SCREENING_FOUR_EYES=True):
            self.assertTrue(four_eyes_required(self.company.pk))
            ScreeningPolicy.objects.create(company=self.company, four_eyes=False)
            self.assertFalse(four_eyes_required(self.company.pk))
