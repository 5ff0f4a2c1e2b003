"""Which partner statuses meet the status requirement of MSC 3.4, and the vetting path
that follows from it."""

from __future__ import annotations

import datetime

from django.test import override_settings

from portal.testing import PersonaTestCase
from profiles.tests.factories import MEDIA_ROOT
from recognition.evidence import partner_ids_with_valid_status, vetting_path
from recognition.tests.factories import partner, status

TODAY = datetime.date(2026, 11, 22)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class StatusRuleTests(PersonaTestCase):
    """The MRA logic table: one partner per row, and whether its status counts."""

    def test_logic_table(self) -> None:
        rows = [
            # (program, issuing country, extra fields, counts?)
            ("ctpat", "US", {}, True),
            ("aeo", "DE", {}, True),  # EU arrangement covers Germany
            ("aeo", "JP", {}, True),
            ("pip", "CA", {}, True),
            ("oea", "MX", {}, True),
            ("aeo", "CN", {}, False),  # no arrangement with China
            ("aeo", "CH", {}, False),  # Switzerland is not in the EU arrangement
            ("pip", "MX", {}, False),  # right program, wrong country
            ("other", "US", {"program_name": "Local scheme"}, False),
            ("ctpat", "US", {"expires_on": TODAY - datetime.timedelta(days=1)}, False),
            ("aeo", "FR", {"expires_on": TODAY - datetime.timedelta(days=30)}, False),
            ("aeo", "FR", {"expires_on": TODAY}, True),  # valid through its last day
            ("ctpat", "US", {"revoked_on": TODAY, "revoked_reason": "Suspended"}, False),
            ("ctpat", "US", {"issued_on": TODAY + datetime.timedelta(days=3)}, False),
            ("ctpat", "US", {"proof": False}, False),
        ]
        expected = set()
        for number, (program, country, fields, counts) in enumerate(rows):
            p = partner(self.company, f"Partner {number}")
            status(p, program, country, **fields)  # type: ignore[arg-type]
            if counts:
                expected.add(p.pk)
            with self.subTest(row=number, program=program, country=country, fields=fields):
                self.assertEqual(vetting_path(p, TODAY), "short" if counts else "full")
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY), expected)

    def test_one_counting_status_is_enough(self) -> None:
        p = partner(self.company)
        status(p, "aeo", "CN")
        status(p, "ctpat", "US", expires_on=TODAY - datetime.timedelta(days=1))
        self.assertEqual(vetting_path(p, TODAY), "full")
        status(p, "oea", "MX")
        self.assertEqual(vetting_path(p, TODAY), "short")

    def test_another_companys_partners_are_not_listed(self) -> None:
        mine = partner(self.company)
        theirs = partner(self.other_company)
        status(mine)
        status(theirs)
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY), {mine.pk})
        self.assertEqual(
            partner_ids_with_valid_status(self.company, TODAY, among=[mine.pk, theirs.pk]),
            {mine.pk},
        )

    def test_asked_about_some_partners_it_answers_for_those(self) -> None:
        one, two, three = (partner(self.company, f"Partner {n}") for n in range(3))
        status(one)
        status(two)
        self.assertEqual(
            partner_ids_with_valid_status(self.company, TODAY, among=[two.pk, three.pk]),
            {two.pk},
        )
        self.assertEqual(partner_ids_with_valid_status(self.company, TODAY, among=[]), set())
