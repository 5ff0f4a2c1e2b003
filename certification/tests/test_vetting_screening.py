"""List screening in vetting: the company's legal name, DBA and officers go through the
screening engine against the active list version (the shipped BIS Denied Persons List);
hits, explanations and the list version are stored on the check; the specialist records
the outcome, which needs the screening to have run."""

from __future__ import annotations

from django.urls import reverse

from certification import workflow
from certification.choices import State
from certification.models import VettingCheck
from certification.tests.factories import certification_in, load_real_dpl
from certification.workflow import TransitionNotAllowed
from companies.models import Contact
from portal.testing import PersonaTestCase
from screening.models import ListVersion


class VettingScreeningTests(PersonaTestCase):
    def setUp(self) -> None:
        load_real_dpl()
        self.version = ListVersion.objects.get(active=True)
        self.certification = certification_in(State.UNDER_REVIEW, self.company)
        self.company.dba = "Acme Logistics"
        self.company.save()
        for kind, name in (("officer", "Aaron Abraham Villa"), ("security", "Ana Lopez")):
            Contact.objects.create(
                company=self.company, kind=kind, name=name, email=f"{kind}@acme.test"
            )

    def test_names_are_screened_and_hits_with_explanations_are_stored(self) -> None:
        self.login("specialist")
        response = self.client.post(
            reverse("certification:vettingcheck-screen", args=[self.certification.pk]),
            follow=True,
        )
        self.assertContains(response, "1 of 3 names have a hit to review")
        check = VettingCheck.objects.get(certification=self.certification, item="list_screening")
        self.assertEqual(
            [(r["role"], r["name"]) for r in check.screening_results],
            [
                ("Legal name", "Acme Imports LLC"),
                ("Doing business as", "Acme Logistics"),
                ("Company officer", "Aaron Abraham Villa"),  # the security contact is not
            ],
        )
        officer = check.screening_results[2]["hits"][0]
        self.assertTrue(officer["alert"])
        self.assertEqual((officer["list"], officer["name"]), ("bis_dpl", "AARON ABRAHAM VILLA"))
        self.assertTrue(officer["explanation"]["summary"])
        self.assertFalse(any(h["alert"] for h in check.screening_results[0]["hits"]))
        self.assertEqual(
            [(v["id"], v["source"], v["list_date"]) for v in check.list_versions],
            [(self.version.pk, "bis_dpl", "2022-09-07")],
        )
        self.assertEqual(check.outcome, "pending")  # the specialist decides
        self.assertContains(response, "AARON ABRAHAM VILLA")
        self.assertContains(response, officer["explanation"]["summary"])
        self.assertContains(response, "bis_dpl 2022-09-07")

    def test_outcome_needs_the_screening_and_a_failure_blocks_certification(self) -> None:
        specialist = self.users["specialist"]
        with self.assertRaisesMessage(TransitionNotAllowed, "Run the list screening first"):
            workflow.record_vetting(self.certification, "list_screening", "passed", by=specialist)
        workflow.screen_for_vetting(self.certification, by=specialist)
        for item in ("identifiers", "bonds", "unpaid_debt", "open_source"):
            workflow.record_vetting(self.certification, item, "passed", by=specialist)
        workflow.record_vetting(
            self.certification,
            "list_screening",
            "failed",
            by=specialist,
            note="The officer is on the Denied Persons List.",
        )
        with self.assertRaisesMessage(TransitionNotAllowed, "screening"):
            workflow.perform("certify", self.certification, by=specialist)

    def test_members_cannot_run_the_screening(self) -> None:
        self.login("officer")
        url = reverse("certification:vettingcheck-screen", args=[self.certification.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        with self.assertRaises(TransitionNotAllowed):
            workflow.screen_for_vetting(self.certification, by=self.users["officer"])
