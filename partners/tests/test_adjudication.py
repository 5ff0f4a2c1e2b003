"""Adjudicating a screening alert as a compliance officer: the list entry beside the
partner in plain words, a decision that must be chosen and explained, decided alerts kept,
and the hold a confirmed match puts on the partner until an officer lifts it."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import workflow
from partners.dashboard import figures
from partners.explain import read_hit
from partners.models import BusinessPartner, PartnerScreening
from portal.testing import PersonaTestCase, written
from recognition.evidence import vetting_path
from screening_engine import Entity, ScreeningIndex

LISTED = Entity(
    list_id="ofac_sdn",
    entity_id="9001",
    type="organization",
    name="Naviera Oscura Internacional S.A.",
    aliases=("NOI Shipping",),
    countries=("PA",),
)
HASHED = Entity(
    list_id="csl",
    entity_id="4f2a9c0e1b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f",
    type="organization",
    name="Tornillos Globales",
    countries=("CN",),
)
INDEX = ScreeningIndex([LISTED, HASHED])
# Queries of the alert list page, whatever the number of alerts (bench/screening_alerts.py
# checks the same number with 500 open alerts).
ALERT_LIST_QUERIES = 9


def fake_index() -> tuple[ScreeningIndex, list[Any]]:
    return INDEX, []


@mock.patch("partners.workflow.active_index", fake_index)
class AdjudicationTests(PersonaTestCase):
    def alert(self, name: str = "Naviera Oscura Internacional", country: str = "MX") -> Any:
        partner = BusinessPartner.objects.create(
            company=self.company, name=name, role="sea_carrier", country=country,
            tax_id="RFC-NOI-991", street="Av. del Puerto 4", city="Manzanillo",
        )  # fmt: skip
        screening = workflow.screen_partners([partner])[0]
        self.assertEqual(screening.status, "alert")
        return screening

    def detail(self, s: PartnerScreening) -> str:
        return reverse("partners:alert-detail", args=[self.company.pk, s.pk])

    def decide_url(self, s: PartnerScreening) -> str:
        return reverse("partners:alert-decide", args=[self.company.pk, s.pk])

    def test_plain_words_instead_of_scoring_jargon(self) -> None:
        hit = self.alert().hits[0]
        reading = read_hit(hit, "Naviera Oscura Internacional", "MX")
        self.assertEqual(
            reading.summary,
            "Same name apart from a legal form; different country (listed: Panama).",
        )
        self.assertEqual(
            read_hit(hit, "Naviera Oscura Internacional", "PA").summary,
            "Same name apart from a legal form; same country.",
        )

    def test_alert_page_shows_the_entry_beside_the_partner_with_nothing_preselected(self) -> None:
        s = self.alert()
        self.login("user")
        page = self.client.get(self.detail(s))
        self.assertContains(page, "Same name apart from a legal form; different country")
        self.assertContains(page, "<mark>Naviera</mark>", html=False)
        self.assertContains(page, "RFC-NOI-991")  # the partner's ids beside the entry's
        self.assertContains(page, "NOI Shipping")  # aliases
        self.assertContains(page, "OFAC Specially Designated Nationals")
        self.assertContains(page, "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=9001")
        body = page.content.decode()
        # The jargon is only in the folded scoring detail, never the headline.
        self.assertLess(body.index("Why it alerted"), body.index("query coverage"))
        self.assertIn("<details><summary>Scoring detail", body)
        self.assertNotIn("checked", body.split('data-testid="decision"')[1])

    def test_a_hash_id_never_heads_the_entry(self) -> None:
        s = self.alert("Tornillos Globales", "CN")
        self.login("user")
        page = self.client.get(self.detail(s))
        self.assertContains(page, "trade.gov Consolidated Screening List")
        self.assertNotContains(page, HASHED.entity_id)

    def test_the_partner_keeps_its_latest_screening_status_for_the_dashboard(self) -> None:
        screening = self.alert()
        partner = BusinessPartner.objects.get(pk=screening.partner_id)
        self.assertEqual(partner.screening_status, "alert")
        self.assertEqual(screening.company_id, self.company.pk)  # from its partner
        stale = BusinessPartner.objects.get(pk=partner.pk)
        workflow.decide(screening, self.users["officer"], "false_positive", "Other party.")
        partner.refresh_from_db()
        self.assertEqual(partner.screening_status, "false_positive")
        stale.city = "Colima"  # an edit of a partner read before the decision
        stale.save()
        partner.refresh_from_db()
        self.assertEqual((partner.city, partner.screening_status), ("Colima", "false_positive"))
        data = figures(self.company, self.users["officer"])
        high = {r["tier"]: r["counts"] for r in data["screening_rows"]}
        # Groups: not screened, clear, open alert, true match, cleared.
        self.assertEqual(sum(c[4] for c in high.values()), 1)
        self.assertEqual((sum(c[2] for c in high.values()), data["open_alerts"]), (0, 0))
        newer = workflow.screen_partners([partner])[0]  # screened again: the newer counts
        partner.refresh_from_db()
        self.assertEqual(partner.screening_status, newer.status)

    def test_a_decision_needs_a_verdict_and_a_reason(self) -> None:
        s = self.alert()
        self.login("user")
        answer = self.client.post(self.decide_url(s), {"reason": "Same address"})
        self.assertContains(answer, "Choose a decision.", status_code=400)
        answer = self.client.post(self.decide_url(s), {"verdict": "true_match", "reason": "  "})
        self.assertContains(answer, "Write the reason for your decision.", status_code=400)
        s.refresh_from_db()
        self.assertEqual(s.status, "alert")

    def test_decided_alerts_stay_listed_under_decided_and_all(self) -> None:
        decided, still_open = self.alert(), self.alert("Tornillos Globales", "CN")
        self.login("user")
        self.client.post(self.decide_url(decided), {"verdict": "false_positive", "reason": "RFC"})
        url = reverse("partners:alert-list", args=[self.company.pk])
        self.assertNotContains(self.client.get(url), "Naviera Oscura")  # open by default
        self.assertContains(self.client.get(url), "Tornillos Globales")
        page = self.client.get(url, {"state": "decided"})
        self.assertContains(page, "Naviera Oscura")
        self.assertNotContains(page, "Tornillos Globales")
        self.assertContains(self.client.get(url, {"state": "all"}), "Tornillos Globales")
        csv = self.client.get(url, {"state": "all", "export": "csv"})
        text = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("RFC", text)
        self.assertIn("Same name apart from a legal form", text)
        self.assertContains(self.client.get(self.detail(decided)), "Decided by user@acme.test")
        self.assertEqual(still_open.status, "alert")

    def test_alerts_are_found_by_part_of_the_partner_name(self) -> None:
        self.alert(), self.alert("Tornillos Globales", "CN")
        self.login("user")
        url = reverse("partners:alert-list", args=[self.company.pk])
        page = self.client.get(url, {"q": "globales"})
        self.assertContains(page, "Tornillos Globales")
        self.assertNotContains(page, "Naviera Oscura")
        nothing = self.client.get(url, {"q": "Zapatos"})
        self.assertNotContains(nothing, "Tornillos Globales")
        api = self.client.get(reverse("api:partner-screening-list"), {"q": "oscura"}).json()
        self.assertEqual([r["partner"] for r in api["results"]], [self.alert_partner_pk()])

    def alert_partner_pk(self) -> int:
        return BusinessPartner.objects.get(name="Naviera Oscura Internacional").pk

    def test_alert_list_queries_do_not_grow_with_the_alerts(self) -> None:
        for i in range(3):
            self.alert(f"Naviera Oscura Internacional {i}", "PA")
        self.login("user")
        url = reverse("partners:alert-list", args=[self.company.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(url).status_code, 200)
        for i in range(3, 30):
            self.alert(f"Naviera Oscura Internacional {i}", "PA")
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(len(few), len(many))
        self.assertEqual(len(many), ALERT_LIST_QUERIES, [q["sql"] for q in many])


class HoldTests(PersonaTestCase):
    def setUp(self) -> None:
        patcher = mock.patch("partners.workflow.active_index", fake_index)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.partner = BusinessPartner.objects.create(
            company=self.company, name="Naviera Oscura Internacional", role="sea_carrier",
            country="PA",
        )  # fmt: skip
        self.screening = workflow.screen_partners([self.partner])[0]
        self.assertEqual(self.screening.status, "alert")
        self.login("user")
        self.client.post(
            reverse("partners:alert-decide", args=[self.company.pk, self.screening.pk]),
            {"verdict": "true_match", "reason": "Same name, country and RUC"},
        )
        self.partner.refresh_from_db()

    def test_a_confirmed_match_puts_the_partner_on_hold_everywhere(self) -> None:
        self.assertTrue(self.partner.on_hold)
        self.assertEqual(self.partner.hold_screening_id, self.screening.pk)
        self.assertContains(self.client.get(self.partner.get_absolute_url()), 'data-testid="hold"')
        directory = reverse("partners:partner-list", args=[self.company.pk])
        self.assertContains(self.client.get(directory), 'data-testid="on-hold"')
        self.assertContains(self.client.get(directory, {"on_hold": "true"}), "Naviera Oscura")
        dashboard = self.client.get(reverse("partners:partner-dashboard", args=[self.company.pk]))
        self.assertEqual(dashboard.context["on_hold"], 1)
        self.assertEqual(vetting_path(self.partner), "full")

    def test_only_a_manager_lifts_the_hold_and_only_with_a_reason(self) -> None:
        url = reverse("partners:hold-lift", args=[self.company.pk, self.partner.pk])
        page = self.client.post(url, {"reason": "Cleared by counsel"})
        self.assertContains(page, "Only a company officer or administrator", status_code=400)
        api = self.api_as("user").post(
            reverse("api:partner-lift-hold", args=[self.partner.pk]), {"reason": "x"}
        )
        self.assertEqual((api.status_code, api.json()["code"]), (409, "hold_role_required"))
        api = self.api_as("admin").post(
            reverse("api:partner-lift-hold", args=[self.partner.pk]), {"reason": ""}
        )
        self.assertEqual((api.status_code, api.json()["code"]), (400, "hold_reason_required"))
        self.login("viewer")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.partner.refresh_from_db()
        self.assertTrue(self.partner.on_hold)

    def test_lifting_by_page_and_by_api_writes_the_same(self) -> None:
        self.login("officer")
        url = reverse("partners:hold-lift", args=[self.company.pk, self.partner.pk])
        with written(BusinessPartner) as page:
            self.assertEqual(
                self.client.post(url, {"reason": "Licence OFAC-2026-1"}).status_code, 302
            )
        self.partner.refresh_from_db()
        self.assertFalse(self.partner.on_hold)
        self.assertEqual(self.partner.hold_lifted_by, self.users["officer"])
        self.assertContains(self.client.get(self.partner.get_absolute_url()), "Licence OFAC-2026-1")
        workflow.put_on_hold(self.screening)
        with written(BusinessPartner) as api:
            answer = self.api_as("admin").post(
                reverse("api:partner-lift-hold", args=[self.partner.pk]), {"reason": "Licence"}
            )
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertFalse(answer.json()["on_hold"])
        self.assertEqual(page, api)
        self.assertEqual(page.audit, {"partners.businesspartner:update": 1})
        again = self.api_as("admin").post(
            reverse("api:partner-lift-hold", args=[self.partner.pk]), {"reason": "again"}
        )
        self.assertEqual((again.status_code, again.json()["code"]), (409, "not_on_hold"))


@mock.patch("partners.workflow.active_index", fake_index)
class ImportConfirmationTests(PersonaTestCase):
    def test_the_confirmation_counts_the_alerts_and_links_to_them(self) -> None:
        from partners.models import PartnerImport

        rows = [
            {"name": "Naviera Oscura Internacional", "role": "sea_carrier", "country": "PA"},
            {"name": "Fletes Tranquilos", "role": "highway_carrier", "country": "MX"},
        ]
        batch = PartnerImport.objects.create(
            company=self.company, filename="p.csv", status="preview", rows=rows
        )
        self.login("user")
        answer = self.client.post(
            reverse("partners:import-confirm", args=[self.company.pk, batch.pk]), follow=True
        )
        self.assertContains(answer, "Screening raised 1 alert.")
        self.assertContains(answer, reverse("partners:alert-list", args=[self.company.pk]))
