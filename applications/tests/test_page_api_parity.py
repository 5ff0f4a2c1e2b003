"""Signing the partner agreement once through the page and once through the API writes the
same rows and audit entries: both call `applications.workflow.sign_and_submit` (one
signature, one event, the application submitted), and a second signature is refused on
both sides without writing anything."""

from __future__ import annotations

import json
import time

import time_machine
from django.urls import reverse

from applications.models import AgreementSignature, Application, ApplicationEvent, current_agreement
from applications.tests.factories import (
    complete_company,
    current_code,
    eligibility,
    reauthenticate_with_mfa,
)
from portal.testing import PersonaTestCase, add_member, make_company, written

TABLES = (Application, AgreementSignature, ApplicationEvent)


class SignParityTests(PersonaTestCase):
    def setUp(self) -> None:
        # The officer signs for two complete companies: one on the page, one by the API.
        complete_company(self.company)
        second = complete_company(make_company("Beta Imports LLC"))
        add_member(second, self.users["officer"], "officer")
        self.by_api = Application.start(second)
        patch = eligibility(True)
        patch.__enter__()
        self.addCleanup(patch.__exit__, None, None, None)

    def agreement(self) -> dict[str, object]:
        agreement = current_agreement("en")
        return {
            "full_name": "Dana Price",
            "title": "Chief Operating Officer",
            "attest": True,
            "agreement_version": agreement.version,
            "language": agreement.language,
            "agreement_sha256": agreement.sha256,
        }

    def sign_by_api(self) -> object:
        return self.client.post(
            reverse("api:application-sign", args=[self.by_api.pk]),
            json.dumps({**self.agreement(), "otp_code": current_code(self.users["officer"])}),
            content_type="application/json",
        )

    def test_signing_writes_the_same_from_the_page_and_the_api(self) -> None:
        officer = self.users["officer"]
        self.login("officer")
        page_url = reverse("applications:application-sign", args=[self.company.pk])
        with written(*TABLES) as api:
            answer = self.sign_by_api()
            self.assertEqual(answer.status_code, 200, answer.content)  # type: ignore[attr-defined]
        # A code is accepted once: the page's MFA check uses the next one.
        with time_machine.travel(time.time() + 60):
            reauthenticate_with_mfa(self.client, officer)
            Application.start(self.company)  # the draft the page shows before signing
            with written(*TABLES) as page:
                self.client.post(page_url, {**self.agreement(), "attest": "on"})
        self.assertEqual(page.rows["applications.AgreementSignature"], 1)
        self.assertGreater(page.rows["applications.ApplicationEvent"], 0)
        self.assertEqual(page, api)
        self.assertEqual(set(Application.objects.values_list("status", flat=True)), {"submitted"})

        with time_machine.travel(time.time() + 120):
            with written(*TABLES) as page_again:
                shown = self.client.post(page_url, {**self.agreement(), "attest": "on"})
            with written(*TABLES) as api_again:
                answer = self.sign_by_api()
        self.assertRedirects(
            shown,
            reverse("applications:application-detail", args=[self.company.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(answer.status_code, 409)  # type: ignore[attr-defined]
        self.assertFalse(page_again)
        self.assertFalse(api_again)
