"""Signing the partner agreement on the page: officer only, MFA re-check, the exact text's
hash, a frozen snapshot, one signature and one event whatever the number of clicks."""

from __future__ import annotations

import hashlib
import html
import re
import time

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from applications.models import (
    AgreementSignature,
    Application,
    ApplicationEvent,
    ImmutableRecordError,
    current_agreement,
)
from applications.tests.factories import (
    complete_company,
    current_code,
    eligibility,
    reauthenticate_with_mfa,
)
from companies.models import Address
from portal.testing import PersonaTestCase


def shown_text(response: object) -> str:
    body = response.content.decode()  # type: ignore[attr-defined]
    match = re.search(r'<pre[^>]*data-testid="agreement-source"[^>]*>(.*?)</pre>', body, re.S)
    assert match, "the agreement text is not on the page"
    return html.unescape(match[1])


class SigningPageTests(PersonaTestCase):
    def setUp(self) -> None:
        complete_company(self.company)
        self.sign_url = reverse("applications:application-sign", args=[self.company.pk])
        self.detail_url = reverse("applications:application-detail", args=[self.company.pk])
        self.officer = self.users["officer"]
        self.patch = eligibility(True)
        self.patch.__enter__()
        self.addCleanup(self.patch.__exit__, None, None, None)

    def form_data(self, **changes: object) -> dict[str, object]:
        agreement = current_agreement("en")
        data: dict[str, object] = {
            "full_name": "Dana  Price",
            "title": "Chief Operating Officer",
            "attest": "on",
            "agreement_version": agreement.version,
            "language": agreement.language,
            "agreement_sha256": agreement.sha256,
        }
        data.update(changes)
        return data

    def sign_in_with_mfa(self) -> None:
        self.login("officer")
        reauthenticate_with_mfa(self.client, self.officer)

    def test_other_roles_do_not_find_the_signing_page(self) -> None:
        for persona in ("viewer", "user", "admin", "consultant", "specialist", "other"):
            with self.subTest(persona=persona):
                self.login(persona)
                self.assertEqual(self.client.get(self.sign_url).status_code, 404)
                self.assertEqual(self.client.post(self.sign_url, self.form_data()).status_code, 404)
        self.assertFalse(AgreementSignature.objects.exists())

    def test_the_officer_must_confirm_with_the_authenticator_first(self) -> None:
        self.login("officer")
        response = self.client.get(self.sign_url)
        self.assertRedirects(
            response,
            f"{reverse('mfa_reauthenticate')}?next={self.sign_url}",
            fetch_redirect_response=False,
        )
        response = self.client.post(self.sign_url, self.form_data())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("mfa_reauthenticate")))
        self.assertFalse(AgreementSignature.objects.exists())

    def test_the_sign_in_code_alone_does_not_count_as_the_re_check(self) -> None:
        self.login("officer")
        for record, status in (
            ({"method": "mfa", "type": "totp"}, 302),  # the code typed at sign-in
            ({"method": "password", "reauthenticated": True}, 302),  # a password re-check
            ({"method": "mfa", "type": "totp", "reauthenticated": True}, 200),
        ):
            with self.subTest(record=record):
                session = self.client.session
                # The session keeps the code typed at sign-in: without it the session
                # would be signed out, whatever the re-check.
                signed_in = {"method": "mfa", "type": "totp", "at": time.time()}
                session["account_authentication_methods"] = [
                    signed_in,
                    {**record, "at": time.time()},
                ]
                session["account_authentication_methods_user"] = str(self.officer.pk)
                session.save()
                self.assertEqual(self.client.get(self.sign_url).status_code, status)

    def test_the_re_check_expires(self) -> None:
        self.sign_in_with_mfa()
        self.assertEqual(self.client.get(self.sign_url).status_code, 200)
        with time_machine.travel(time.time() + 301, tick=False):
            self.assertEqual(self.client.get(self.sign_url).status_code, 302)

    def test_a_post_interrupted_by_the_re_check_is_signed_after_it(self) -> None:
        self.login("officer")
        response = self.client.post(self.sign_url, self.form_data())
        response = self.client.post(
            response["Location"], {"code": current_code(self.officer)}, follow=False
        )
        self.assertRedirects(response, self.detail_url, fetch_redirect_response=False)
        self.assertEqual(AgreementSignature.objects.get().full_name, "Dana Price")

    def test_signing_stores_the_hash_of_the_text_shown(self) -> None:
        self.sign_in_with_mfa()
        page = self.client.get(self.sign_url)
        text = shown_text(page)
        self.assertIn("Minimum Security Criteria", text)
        response = self.client.post(self.sign_url, self.form_data(), REMOTE_ADDR="203.0.113.7")
        self.assertRedirects(response, self.detail_url, fetch_redirect_response=False)
        signature = AgreementSignature.objects.get()
        self.assertEqual(signature.text_sha256, hashlib.sha256(text.encode()).hexdigest())
        self.assertEqual(
            (
                signature.signer,
                signature.full_name,
                signature.title,
                signature.ip_address,
                signature.agreement_version,
                signature.language,
            ),
            (self.officer, "Dana Price", "Chief Operating Officer", "203.0.113.7", 1, "en"),
        )

    def test_the_agreement_reads_as_a_document_not_as_markdown(self) -> None:
        self.sign_in_with_mfa()
        page = self.client.get(self.sign_url).content.decode()
        rendered = re.search(
            r'<article[^>]*data-testid="agreement-text"[^>]*>(.*?)</article>', page, re.S
        )
        assert rendered, "the rendered agreement is not on the page"
        self.assertIn("<h1>CTPAT Partner Agreement", rendered[1])
        self.assertIn("<h2>1. Purpose</h2>", rendered[1])
        self.assertIn("<ol>", rendered[1])
        self.assertNotIn("## ", rendered[1])

    def test_the_submitted_application_reads_with_labels_not_codes(self) -> None:
        self.company.transport_modes = ["ocean", "air"]
        self.company.save()
        self.sign_in_with_mfa()
        self.client.post(self.sign_url, self.form_data())
        page = self.client.get(self.detail_url).content.decode()
        snapshot = re.search(r'data-testid="snapshot">(.*?)<details>', page, re.S)
        assert snapshot
        self.assertIn("Ocean, Air", snapshot[1])
        self.assertIn("Headquarters", snapshot[1])
        self.assertIn("United States", snapshot[1])
        self.assertIn("Importer", snapshot[1])
        self.assertNotIn("headquarters:", snapshot[1])
        events = re.search(r'data-testid="events">(.*?)</table>', page, re.S)
        assert events
        self.assertIn("Draft → Submitted", events[1])
        self.assertNotIn("None", events[1])

    def test_signing_submits_the_application_and_writes_the_event(self) -> None:
        self.sign_in_with_mfa()
        self.client.post(self.sign_url, self.form_data())
        application = Application.objects.get(company=self.company)
        self.assertEqual(application.status, "submitted")
        self.assertIsNotNone(application.submitted_at)
        event = ApplicationEvent.objects.get()
        self.assertEqual(
            (event.from_status, event.to_status, event.event, event.actor),
            ("draft", "submitted", "submit", self.officer),
        )
        page = self.client.get(self.detail_url)
        self.assertContains(page, "Dana Price, Chief Operating Officer")
        self.assertContains(page, application.signature.text_sha256)
        self.assertContains(page, 'data-testid="snapshot"')

    def test_a_spanish_speaking_officer_signs_the_spanish_text(self) -> None:
        self.sign_in_with_mfa()
        with translation.override("es"):
            text = shown_text(self.client.get(self.sign_url, HTTP_ACCEPT_LANGUAGE="es"))
        self.assertIn("Criterios Mínimos de Seguridad", text)
        spanish = current_agreement("es")
        self.client.post(
            self.sign_url,
            self.form_data(language="es", agreement_sha256=spanish.sha256),
        )
        signature = AgreementSignature.objects.get()
        self.assertEqual(signature.language, "es")
        self.assertEqual(signature.text_sha256, hashlib.sha256(text.encode()).hexdigest())

    def test_the_snapshot_does_not_follow_later_edits(self) -> None:
        self.sign_in_with_mfa()
        self.client.post(self.sign_url, self.form_data())
        self.company.legal_name = "Acme Global Holdings"
        self.company.save()
        Address.objects.create(
            company=self.company, kind="warehouse", street="9 Dock Rd", city="Reno", country="US"
        )
        snapshot = Application.objects.get(company=self.company).snapshot
        assert snapshot is not None
        self.assertEqual(snapshot["legal_name"], "Acme Imports LLC")
        self.assertEqual([a["kind"] for a in snapshot["addresses"]], ["headquarters"])
        self.assertEqual(snapshot["identifiers"][0], {"kind": "bond", "value": "123456789"})

    def test_a_double_click_signs_once(self) -> None:
        self.sign_in_with_mfa()
        first = self.client.post(self.sign_url, self.form_data())
        second = self.client.post(self.sign_url, self.form_data())
        self.assertRedirects(first, self.detail_url, fetch_redirect_response=False)
        self.assertRedirects(second, self.detail_url, fetch_redirect_response=False)
        self.assertEqual(AgreementSignature.objects.count(), 1)
        self.assertEqual(ApplicationEvent.objects.count(), 1)

    def test_an_incomplete_application_cannot_be_signed(self) -> None:
        Address.objects.filter(company=self.company).delete()
        self.sign_in_with_mfa()
        page = self.client.get(self.sign_url)
        self.assertContains(page, 'data-testid="missing"')
        self.assertContains(page, "Headquarters address")
        self.assertNotContains(page, 'name="full_name"')
        response = self.client.post(self.sign_url, self.form_data(), follow=True)
        self.assertContains(response, "can be signed once the application is complete")
        self.assertContains(response, "Headquarters address")
        self.assertFalse(AgreementSignature.objects.exists())
        self.assertEqual(Application.objects.get(company=self.company).status, "draft")

    def test_the_attestation_is_required(self) -> None:
        self.sign_in_with_mfa()
        data = self.form_data()
        del data["attest"]
        response = self.client.post(self.sign_url, data)
        self.assertContains(response, "Tick this box to sign")
        self.assertFalse(AgreementSignature.objects.exists())

    def test_a_text_other_than_the_published_one_is_refused(self) -> None:
        self.sign_in_with_mfa()
        response = self.client.post(self.sign_url, self.form_data(agreement_sha256="0" * 64))
        self.assertContains(response, "The agreement text changed after it was shown")
        self.assertFalse(AgreementSignature.objects.exists())
        # The page shows the published text again, with its own fingerprint, to sign.
        self.assertContains(response, current_agreement("en").sha256)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_the_address_it_saw_is_recorded(self) -> None:
        self.sign_in_with_mfa()
        self.client.post(
            self.sign_url,
            self.form_data(),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
        )
        self.assertEqual(AgreementSignature.objects.get().ip_address, "203.0.113.9")

    def test_without_the_proxy_setting_a_forwarded_address_is_ignored(self) -> None:
        self.sign_in_with_mfa()
        self.client.post(
            self.sign_url,
            self.form_data(),
            REMOTE_ADDR="192.0.2.5",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        self.assertEqual(AgreementSignature.objects.get().ip_address, "192.0.2.5")

    def test_a_signature_cannot_be_changed_or_deleted(self) -> None:
        self.sign_in_with_mfa()
        self.client.post(self.sign_url, self.form_data())
        signature = AgreementSignature.objects.get()
        signature.full_name = "Someone Else"
        with self.assertRaises(ImmutableRecordError):
            signature.save()
        with self.assertRaises(ImmutableRecordError):
            signature.delete()
        self.assertEqual(AgreementSignature.objects.get().full_name, "Dana Price")
