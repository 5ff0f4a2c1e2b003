"""A partner that is itself an OpenCTPAT member: found only when it consents, its status
read live from its certification, counting only while certified or validated."""

from __future__ import annotations

import datetime

from django.urls import reverse

from certification.choices import State
from certification.tests.factories import certification_in
from portal.testing import PersonaTestCase, make_company, make_user
from recognition.evidence import partner_ids_with_valid_status, vetting_path
from recognition.models import MemberLink
from recognition.tests.factories import partner
from verification.models import Consent
from verification.tests.factories import participating

TODAY = datetime.date(2026, 11, 22)


class MemberLinkTests(PersonaTestCase):
    def setUp(self) -> None:
        signer = make_user("officer@pacific.test")
        self.member = make_company("Pacific Carriers Inc", business_type="sea_carrier")
        participating(self.member, signer)
        # Certified but never consented: must stay invisible.
        self.hidden = make_company("Pacific Hidden Freight LLC", business_type="sea_carrier")
        certification_in(State.CERTIFIED, self.hidden)
        self.partner = partner(self.company, "Pacific Carriers", role="sea_carrier", country="US")
        self.url = reverse("recognition:member-link", args=[self.company.pk, self.partner.pk])

    def test_search_finds_only_consenting_members(self) -> None:
        self.login("user")
        response = self.client.get(self.url, {"q": "Pacific"})
        self.assertContains(response, "Pacific Carriers Inc")
        self.assertContains(response, self.member.account_number)
        self.assertNotContains(response, "Pacific Hidden Freight")
        self.assertNotContains(response, self.hidden.account_number)

    def test_linking_a_non_consenting_member_is_refused_like_an_unknown_id(self) -> None:
        self.login("user")
        hidden = self.client.post(self.url, {"member": self.hidden.pk}, follow=True)
        unknown = self.client.post(self.url, {"member": 999999}, follow=True)
        self.assertFalse(MemberLink.objects.exists())
        for response in (hidden, unknown):
            self.assertContains(response, "No participating member with that id.")
            self.assertNotContains(response, "Pacific Hidden Freight")

    def test_certified_member_counts_live_and_stops_counting_when_suspended(self) -> None:
        self.login("user")
        self.client.post(self.url, {"member": self.member.pk})
        self.assertTrue(MemberLink.objects.filter(partner=self.partner).exists())
        self.assertEqual(vetting_path(self.partner, TODAY), "short")
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY), {self.partner.pk})
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, "Pacific Carriers Inc")
        self.assertContains(page, "tier 1")
        self.assertContains(page, "counts as meeting the status requirement")

        certification_in(State.SUSPENDED, self.member)
        self.assertEqual(vetting_path(self.partner, TODAY), "full")
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY), set())
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, "does not count while suspended")

        certification_in(State.VALIDATED, self.member)
        self.assertEqual(vetting_path(self.partner, TODAY), "short")

    def test_a_member_that_withdraws_consent_disappears_without_a_reason(self) -> None:
        MemberLink.objects.create(partner=self.partner, member=self.member)
        Consent.objects.filter(company=self.member).delete()
        self.assertEqual(vetting_path(self.partner, TODAY), "full")
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY), set())
        self.login("viewer")
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, "can no longer be verified")
        self.assertNotContains(page, "Pacific Carriers Inc")  # no live data any more

    def test_unlink(self) -> None:
        MemberLink.objects.create(partner=self.partner, member=self.member)
        self.login("user")
        self.client.post(
            reverse("recognition:member-unlink", args=[self.company.pk, self.partner.pk])
        )
        self.assertFalse(MemberLink.objects.exists())
        self.assertEqual(vetting_path(self.partner, TODAY), "full")
