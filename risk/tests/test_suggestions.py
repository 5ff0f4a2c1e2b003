"""Suggested vulnerability levels come from the evidence the portal holds, with reasons."""

from __future__ import annotations

import datetime

from django.urls import reverse

from actions.models import CorrectiveAction
from partners.models import BusinessPartner, PartnerScreening
from portal.testing import PersonaTestCase
from profiles.models import SecurityProfile
from profiles.tests.factories import answer, make_catalogue
from risk import suggestions
from risk.models import Assessment, SupplyChain, VulnerabilityRating
from risk.suggestions import CategoryFacts, Evidence, reason_text, suggest
from risk.tests.factories import make_assessment, make_chain

ROWS = [
    ("3.1", "must", ["importer"], ["importer"]),
    ("3.2", "should", ["importer"], ["importer"]),
    ("6.1", "must", ["importer"], ["importer"]),
    ("9.1", "should", ["importer"], ["importer"]),
    ("9.2", "should", ["importer"], ["importer"]),
]
TODAY = datetime.date(2026, 5, 1)


def evidence(**changes: object) -> Evidence:
    base = Evidence(
        has_profile=True,
        categories={n: CategoryFacts(100, 0, 2) for n in range(1, 13)},
        partner_names={1: "Maquila Norte", 2: "Fletes Rápidos"},
        with_status={1, 2},
        open_questionnaires=set(),
        alerts=set(),
        open_actions={},
        today=TODAY,
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def codes(reasons: list[dict[str, object]]) -> list[object]:
    return [r["code"] for r in reasons]


class SuggestionRuleTests(PersonaTestCase):
    def test_a_category_with_every_must_met_and_nothing_open_is_low(self) -> None:
        level, reasons = suggest(evidence(), {1, 2}, 7)
        self.assertEqual(level, "L")
        self.assertEqual(codes(reasons), ["profile_ok"])
        self.assertIn("100%", reason_text(reasons[0]))

    def test_an_unmet_must_makes_it_high(self) -> None:
        facts = {7: CategoryFacts(40, 2, 5)}
        level, reasons = suggest(evidence(categories=facts), set(), 7)
        self.assertEqual(level, "H")
        self.assertIn("2 Must criteria", reason_text(reasons[0]))

    def test_a_low_score_without_unmet_musts_is_medium(self) -> None:
        level, _ = suggest(evidence(categories={7: CategoryFacts(60, 0, 5)}), set(), 7)
        self.assertEqual(level, "M")

    def test_no_profile_is_high(self) -> None:
        level, reasons = suggest(evidence(has_profile=False, categories={}), set(), 1)
        self.assertEqual((level, codes(reasons)), ("H", ["no_profile"]))

    def test_open_and_overdue_actions_of_the_category(self) -> None:
        later = TODAY + datetime.timedelta(days=5)
        level, reasons = suggest(evidence(open_actions={6: [later]}), set(), 6)
        self.assertEqual((level, codes(reasons)[-1]), ("M", "actions_open"))
        earlier = TODAY - datetime.timedelta(days=5)
        level, reasons = suggest(evidence(open_actions={6: [later, earlier]}), set(), 6)
        self.assertEqual((level, codes(reasons)[-1]), ("H", "actions_overdue"))

    def test_business_partner_category_reads_alerts_status_and_questionnaires(self) -> None:
        found = evidence(alerts={2}, with_status={2}, open_questionnaires={1})
        level, reasons = suggest(found, {1, 2}, 3)
        self.assertEqual(level, "H")
        texts = [reason_text(r) for r in reasons]
        self.assertIn("Open screening alert for: Fletes Rápidos.", texts)
        self.assertIn("No valid CTPAT or AEO status proof for: Maquila Norte.", texts)
        self.assertIn("Security questionnaire not answered by: Maquila Norte.", texts)

    def test_partners_outside_the_chain_do_not_count(self) -> None:
        level, _ = suggest(evidence(alerts={2}, with_status=set()), {1}, 3)
        self.assertEqual(level, "M")  # Maquila lacks status proof; Fletes is not in this chain

    def test_a_partner_nothing_vouches_for_raises_site_categories(self) -> None:
        found = evidence(with_status=set(), open_questionnaires={1})
        level, reasons = suggest(found, {1}, 9)
        self.assertEqual((level, codes(reasons)[-1]), ("M", "partner_unknown"))
        # Status proof alone is enough evidence for the site categories.
        level, _ = suggest(evidence(open_questionnaires={1}), {1}, 9)
        self.assertEqual(level, "L")
        # The member's own corporate categories ignore partners.
        level, _ = suggest(found, {1}, 4)
        self.assertEqual(level, "L")

    def test_status_proof_not_tracked_is_not_held_against_partners(self) -> None:
        level, _ = suggest(evidence(with_status=None), {1, 2}, 3)
        self.assertEqual(level, "L")


class GatheredEvidenceTests(PersonaTestCase):
    """The suggestion on the chain page from a real profile, screening and action."""

    profile: SecurityProfile
    assessment: Assessment
    chain: SupplyChain
    partner: BusinessPartner

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue(ROWS)
        cls.profile = SecurityProfile.start(cls.company)
        cls.assessment = make_assessment(cls.company)
        cls.chain = make_chain(cls.assessment)
        partner = cls.chain.nodes.get(order=1).partner
        assert partner is not None
        cls.partner = partner

    def test_the_profile_screening_and_actions_drive_the_suggestions(self) -> None:
        answer(self.profile, "6.1", status="implemented")
        answer(self.profile, "9.1", status="implemented")
        answer(self.profile, "9.2", status="partly")
        PartnerScreening.objects.create(partner=self.partner, threshold=88, status="alert")
        CorrectiveAction.objects.create(
            company=self.company, title="Fix fence", criterion_ref="9.2"
        )
        found = suggestions.gather(self.company)
        partners = {self.partner.pk}
        self.assertEqual(suggest(found, partners, 3)[0], "H")  # 3.1 unanswered, alert
        self.assertEqual(suggest(found, partners, 6)[0], "L")
        level, reasons = suggest(found, partners, 9)
        self.assertEqual(level, "M")
        self.assertEqual(codes(reasons), ["low_score", "actions_open"])

    def test_the_chains_partners_alone_give_the_same_suggestions(self) -> None:
        other = BusinessPartner.objects.create(
            company=self.company, name="Elsewhere", country="CN", role="manufacturer"
        )
        for alerted in (self.partner, other):
            PartnerScreening.objects.create(partner=alerted, threshold=88, status="alert")
        partners = {self.partner.pk}
        everyone = suggestions.gather(self.company)
        theirs = suggestions.gather(self.company, partner_ids=partners)
        self.assertEqual(theirs.alerts, partners)
        for category in range(1, 13):
            with self.subTest(category=category):
                self.assertEqual(
                    suggest(theirs, partners, category), suggest(everyone, partners, category)
                )

    def test_an_alert_awaiting_its_second_review_still_counts_as_open(self) -> None:
        screening = PartnerScreening.objects.create(
            partner=self.partner, threshold=88, status="second_review"
        )
        self.assertEqual(suggestions.gather(self.company).alerts, {self.partner.pk})
        screening.status = "false_positive"
        screening.save()
        self.assertEqual(suggestions.gather(self.company).alerts, set())

    def test_the_assessor_must_say_why_when_overriding(self) -> None:
        self.login("user")
        url = reverse("risk:vulnerability-rate", args=[self.company.pk, self.chain.pk, 3])
        page = self.client.get(url).content.decode()
        self.assertIn("Must criteria of this category are not implemented", page)
        response = self.client.post(url, {"level": "L", "override_reason": " "})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You chose Low where the suggestion is High: say why.")
        self.assertFalse(VulnerabilityRating.objects.exists())
        self.client.post(url, {"level": "L", "override_reason": "Plant audited last week"})
        rating = VulnerabilityRating.objects.get(chain=self.chain, category=3)
        self.assertEqual((rating.suggested_level, rating.level), ("H", "L"))
        self.assertEqual(rating.override_reason, "Plant audited last week")
        self.assertIn("musts_unmet", codes(rating.reasons))

    def test_accepting_the_suggestion_needs_no_reason_and_htmx_gets_the_row(self) -> None:
        self.login("user")
        url = reverse("risk:vulnerability-rate", args=[self.company.pk, self.chain.pk, 3])
        response = self.client.post(url, {"level": "H"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="category-3"')
        self.assertContains(response, 'data-level="H"')
        self.assertEqual(VulnerabilityRating.objects.get(chain=self.chain).level, "H")
