"""The partners dashboard: its figures from seeded partners, statuses, alerts and
questionnaires."""

from __future__ import annotations

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.dashboard import figures
from partners.models import PartnerScreening, note_latest_screenings
from portal.testing import PersonaTestCase
from questionnaires.models import Questionnaire
from recognition.tests.factories import partner, status


class DashboardTests(PersonaTestCase):
    def setUp(self) -> None:
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=20)
        later = today + datetime.timedelta(days=200)
        # Tiers: a manufacturer with high volume in MX is high; a broker in CA is low.
        self.a = partner(self.company, "Maquila Alfa", country="MX", yearly_volume=900)
        self.b = partner(self.company, "Maquila Beta", country="MX", yearly_volume=900)
        self.c = partner(self.company, "Maple Brokers", role="customs_broker", country="CA")
        self.d = partner(self.company, "Rhein Logistik", role="forwarder", country="DE")
        status(self.a, "oea", "MX", expires_on=soon, number="OEA-SOON")  # short, expiring
        status(self.c, "pip", "CA", expires_on=later)  # short, not expiring
        status(self.d, "aeo", "CN", expires_on=soon, number="CN-AEO")  # not counting, expiring
        status(self.b, "ctpat", "US", expires_on=today - datetime.timedelta(days=1))  # expired
        partner(self.other_company, "Not Ours", country="MX", yearly_volume=900)
        for p, state in (
            (self.a, "alert"),
            (self.b, "alert"),
            (self.b, "clear"),
            (self.c, "alert"),
        ):
            PartnerScreening.objects.create(partner=p, threshold=88.0, status=state)
        # What the screening workflows do after writing screenings.
        note_latest_screenings([self.a.pk, self.b.pk, self.c.pk])
        for n, (state, expires) in enumerate(
            (("sent", 5), ("sent", -3), ("in_progress", -1), ("submitted", -9))
        ):
            Questionnaire.objects.create(
                company=self.company,
                partner=self.b,
                template_key="manufacturer",
                template_version="1",
                contact_email="q@maquila.test",
                status=state,
                token_hash=f"{n:064d}",
                expires_at=timezone.now() + datetime.timedelta(days=expires),
            )

    def test_figures(self) -> None:
        data = figures(self.company, self.users["viewer"])
        rows = {r["tier"]: r for r in data["path_rows"]}
        self.assertEqual((rows["High"]["short"], rows["High"]["full"]), (1, 1))  # a, b
        self.assertEqual(data["totals"], {"short": 2, "full": 2, "total": 4})
        self.assertEqual(sum(r["short"] for r in data["path_rows"]), 2)
        self.assertEqual(data["open_alerts"], 3)  # b's earlier alert is still undecided
        self.assertEqual([s.number for s in data["expiring"]], ["OEA-SOON", "CN-AEO"])
        self.assertEqual([s.partner for s in data["lapsed"]], [self.b])  # CTPAT ran out
        screening = {r["tier"]: r["counts"] for r in data["screening_rows"]}
        # Groups: not screened, clear, open alert, true match, cleared.
        self.assertEqual(screening["High"], [0, 1, 1, 0, 0])  # b clear, a alert
        self.assertEqual(screening["Low"], [1, 0, 1, 0, 0])  # d never screened, c alert
        self.assertEqual(data["questionnaires"], {"sent": 3, "overdue": 2, "submitted": 1})
        chart = data["chart"]
        self.assertEqual(chart["labels"][0], "Mexico")
        high = next(d for d in chart["datasets"] if d["tier"] == "high")
        self.assertEqual(high["data"][chart["labels"].index("Mexico")], 2)

    def test_page_shows_the_figures_and_chart_data(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("partners:partner-dashboard", args=[self.company.pk]))
        self.assertContains(response, "chart.umd.min.js")
        self.assertContains(response, "Maquila Alfa")  # expiring list
        self.assertNotContains(response, "Not Ours")
        self.assertNotContains(response, "Review the alerts")  # viewers do not decide
        content = response.content.decode()
        start = content.index('<script id="portfolio-data" type="application/json">')
        payload = content[start:].split(">", 1)[1].split("</script>", 1)[0]
        chart = json.loads(payload)
        self.assertEqual(sum(sum(d["data"]) for d in chart["datasets"]), 4)

    def test_the_page_costs_the_same_queries_with_many_more_partners(self) -> None:
        self.login("viewer")
        url = reverse("partners:partner-dashboard", args=[self.company.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(30):
            extra = partner(self.company, f"Proveedor {n:02d}", country=("MX", "GT", "CN")[n % 3])
            PartnerScreening.objects.create(partner=extra, threshold=88.0, status="clear")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(url)
        self.assertEqual(len(few.captured_queries), 16)  # grouped counts, not one per partner
        self.assertEqual(response.status_code, 200)

    def test_partner_list_links_to_the_dashboard(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("partners:partner-list", args=[self.company.pk]))
        self.assertContains(response, reverse("partners:partner-dashboard", args=[self.company.pk]))
