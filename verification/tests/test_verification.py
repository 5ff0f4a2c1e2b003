"""Status verification: consent, search, monitoring with notices, the signed certificate
link, and the public look-up that never reveals a non-participating account."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from certification.choices import State
from certification.models import Certification
from certification.tests.factories import certification_in
from certification.workflow import perform
from portal.testing import PersonaTestCase, make_company, written
from verification import workflow
from verification.models import Consent, MonitoringRequest, StatusNotice
from verification.tests.factories import participating


class LookupTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def _get(self, account: str) -> Any:
        return self.client.get(reverse("api:status-lookup", args=[account]))

    def test_a_consenting_member_is_shown(self) -> None:
        participating(self.company, self.users["officer"], State.VALIDATED)
        body = self._get(self.company.account_number).json()
        self.assertEqual(
            (body["legal_name"], body["status"], body["tier"]), ("Acme Imports LLC", "validated", 2)
        )

    def test_non_consenting_removed_never_certified_and_unknown_answer_alike(self) -> None:
        certified_only = make_company("Quiet Corp")
        Certification.objects.create(company=certified_only, status=State.CERTIFIED, tier=1)
        participating(self.company, self.users["officer"], State.REMOVED)
        participating(self.other_company, self.users["other"], State.UNDER_REVIEW)
        answers = [
            self._get(account)
            for account in (
                certified_only.account_number,
                self.company.account_number,
                self.other_company.account_number,
                "CT9999999",
            )
        ]
        shapes = {(a.status_code, a.content, a.get("Content-Type")) for a in answers}
        self.assertEqual(len(shapes), 1, shapes)
        self.assertEqual(answers[0].status_code, 404)

    def test_a_status_change_shows_at_once_despite_the_cached_card(self) -> None:
        consent = participating(self.company, self.users["officer"], State.CERTIFIED)
        account = self.company.account_number
        self.assertEqual(self._get(account).json()["status"], "certified")
        with self.captureOnCommitCallbacks(execute=True):
            perform(
                "suspend",
                self.company.certification,
                by=self.users["specialist"],
                reason="Seizure.",
                suspension_reason="security_incident",
            )
        self.assertEqual(self._get(account).json()["status"], "suspended")
        self.company.dba = "Acme Direct"
        self.company.save()
        self.assertEqual(self._get(account).json()["dba"], "Acme Direct")
        consent.delete()
        self.assertEqual(self._get(account).status_code, 404)

    def test_another_process_answers_a_change_within_its_memory_time(self) -> None:
        participating(self.company, self.users["officer"], State.CERTIFIED)
        account = self.company.account_number
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.assertEqual(self._get(account).json()["status"], "certified")
            # Another process suspends the member: the rows change and the shared cache
            # forgets the card, but this process's memory still holds it.
            Certification.objects.filter(company=self.company).update(status=State.SUSPENDED)
            cache.delete(f"verification:card:{self.company.pk}")
            self.assertEqual(self._get(account).json()["status"], "certified")
            clock.shift(datetime.timedelta(seconds=workflow.CARD_MEMORY_SECONDS + 1))
            self.assertEqual(self._get(account).json()["status"], "suspended")

    def test_a_member_who_consents_later_is_shown_at_once(self) -> None:
        certification_in(State.CERTIFIED, self.company)
        account = self.company.account_number
        self.assertEqual(self._get(account).status_code, 404)
        Consent.objects.create(
            company=self.company,
            signed_by=self.users["officer"],
            signer_name="Bo Li",
            signer_title="CEO",
            signed_at=timezone.now(),
        )
        self.assertEqual(self._get(account).status_code, 200)

    @override_settings(STATUS_LOOKUP_RATE="3/min")
    def test_rate_limited_per_client(self) -> None:
        codes = [self._get("CT9999999").status_code for _ in range(4)]
        self.assertEqual(codes, [404, 404, 404, 429])
        other = self.client.get(
            reverse("api:status-lookup", args=["CT9999999"]), REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(other.status_code, 404)


class MonitoringTests(PersonaTestCase):
    def test_search_shows_only_participating_members(self) -> None:
        participating(self.company, self.users["officer"])
        participating(self.other_company, self.users["other"])
        hidden = make_company("Transportes Ocultos SA")
        Certification.objects.create(company=hidden, status=State.CERTIFIED, tier=1)
        self.login("user")
        response = self.client.get(
            reverse("verification:company-detail", args=[self.company.pk]), {"q": "transportes"}
        )
        self.assertContains(response, "Transportes del Norte")
        self.assertNotContains(response, "Ocultos")

    def test_request_accept_and_notice_on_status_change(self) -> None:
        participating(self.company, self.users["officer"])
        participating(self.other_company, self.users["other"])
        self.login("admin")
        self.client.post(
            reverse("verification:request-create", args=[self.company.pk]),
            {"partner": self.other_company.pk},
        )
        request = MonitoringRequest.objects.get()
        self.assertEqual(request.status, MonitoringRequest.Status.REQUESTED)
        self.login("other")
        self.client.post(
            reverse("verification:request-decide", args=[self.other_company.pk, request.pk]),
            {"accept": "1"},
        )
        request.refresh_from_db()
        self.assertEqual(request.status, MonitoringRequest.Status.ACCEPTED)
        with self.captureOnCommitCallbacks(execute=True):
            perform(
                "suspend",
                self.other_company.certification,
                by=self.users["specialist"],
                reason="Seizure.",
                suspension_reason="security_incident",
            )
        notice = StatusNotice.objects.get()
        self.assertEqual((notice.company, notice.status), (self.company, State.SUSPENDED))
        # One e-mail to the monitoring member; the suspended member hears of it by its own
        # notice (notices), not by the monitoring e-mail.
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["admin@acme.test", "admin@norte.test"]
        )
        [own] = [m for m in mail.outbox if m.to == ["admin@norte.test"]]
        self.assertIn("suspendidos", own.subject)  # the member's language: Spanish

    def test_auto_accept_setting(self) -> None:
        participating(self.company, self.users["officer"])
        participating(self.other_company, self.users["other"], auto_accept=True)
        request = workflow.request_monitoring(
            self.company, self.other_company.pk, by=self.users["admin"]
        )
        self.assertEqual(request.status, MonitoringRequest.Status.ACCEPTED)

    def test_the_auto_accept_setting_is_saved_with_an_audit_entry(self) -> None:
        participating(self.company, self.users["officer"])
        self.login("admin")
        url = reverse("verification:consent-settings", args=[self.company.pk])
        with written(Consent) as changed:
            self.client.post(url, {"auto_accept": "on"})
        self.assertEqual(changed.audit, {"verification.consent:update": 1})
        self.assertTrue(Consent.objects.get(company=self.company).auto_accept)
        with written(Consent) as unchanged:
            self.client.post(url, {"auto_accept": "on"})
        self.assertFalse(unchanged)

    def test_requests_need_our_consent_and_a_participating_partner(self) -> None:
        participating(self.other_company, self.users["other"])
        with self.assertRaisesMessage(workflow.VerificationRefused, "Join status verification"):
            workflow.request_monitoring(self.company, self.other_company.pk, by=self.users["admin"])
        participating(self.company, self.users["officer"])
        hidden = make_company("Quiet Corp")
        with self.assertRaisesMessage(workflow.VerificationRefused, "partner"):
            workflow.request_monitoring(self.company, hidden.pk, by=self.users["admin"])


class CertificateTests(PersonaTestCase):
    def test_signed_link_verifies_then_expires(self) -> None:
        participating(self.company, self.users["officer"])
        start = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
        self.login("user")
        with time_machine.travel(start, tick=False):
            self.client.post(
                reverse("verification:certificate-email", args=[self.company.pk]),
                {"email": "buyer@example.com"},
            )
        self.assertEqual(mail.outbox[0].to, ["buyer@example.com"])
        link = next(w for w in mail.outbox[0].body.split() if "/verification/check/" in w)
        path = link[link.index("/verification/") :]
        self.client.logout()
        with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
            self.assertContains(self.client.get(path), "Acme Imports LLC")
        with time_machine.travel(start + datetime.timedelta(days=31), tick=False):
            self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.get(path[:-3] + "abc/").status_code, 404)

    def test_only_participating_members_send_certificates(self) -> None:
        with self.assertRaises(workflow.VerificationRefused):
            workflow.send_certificate(
                self.company, by=self.users["user"], email="a@example.com", base_url=""
            )
