"""The assessment: risk on the company's scale, the mapped flow, the annual review, the
PDF record and the evidence it gives the security profile."""

from __future__ import annotations

import datetime
import io
import json
from unittest import mock

import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import CorrectiveAction
from companies.models import Company
from core import export_jobs
from core.models import ExportJob
from incidents.models import Incident
from portal.testing import PersonaTestCase
from profiles.linked import linked_records
from risk import workflow
from risk.flow import find_cycle, mermaid_flowchart
from risk.models import (
    Assessment,
    Node,
    RiskSettings,
    SupplyChain,
    VulnerabilityRating,
    next_review_due,
)
from risk.scoring import chain_risks, heat_map
from risk.tests.factories import make_assessment, make_chain
from threats.models import ThreatRating


def rate_threat(company: Company, country: str, level: str, region: str = "") -> ThreatRating:
    return ThreatRating.objects.create(
        company=company,
        country=country,
        region=region,
        category="contraband",
        level=level,
        source="State Department travel advisory",
        rated_on=datetime.date(2026, 1, 10),
    )


def rate(chain: SupplyChain, category: int, level: str) -> VulnerabilityRating:
    return VulnerabilityRating.objects.create(
        chain=chain, category=category, suggested_level=level, level=level
    )


class ScaleTests(PersonaTestCase):
    def test_default_scale_is_5_3_1_with_high_from_15_and_medium_from_5(self) -> None:
        s = RiskSettings(company=self.company)
        self.assertEqual(s.score("H", "H"), 25)
        self.assertEqual(s.risk_level(s.score("H", "M")), "H")  # 15
        self.assertEqual(s.risk_level(s.score("M", "M")), "M")  # 9
        self.assertEqual(s.risk_level(s.score("H", "L")), "M")  # 5
        self.assertEqual(s.risk_level(s.score("M", "L")), "L")  # 3
        self.assertIsNone(s.score(None, "H"))
        self.assertIsNone(s.risk_level(None))

    def test_a_company_scale_changes_the_level(self) -> None:
        s = RiskSettings(company=self.company, high_value=9, medium_value=4, low_value=1)
        s.high_threshold, s.medium_threshold = 36, 9
        s.full_clean()
        self.assertEqual(s.risk_level(s.score("H", "M")), "H")  # 36
        self.assertEqual(s.risk_level(s.score("M", "M")), "M")  # 16

    def test_a_scale_that_does_not_rise_or_cannot_reach_high_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            RiskSettings(company=self.company, high_value=3, medium_value=3).full_clean()
        self.assertIn("medium_value", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            RiskSettings(company=self.company, high_threshold=30).full_clean()
        self.assertIn("at most 25", caught.exception.message_dict["high_threshold"][0])

    def test_the_settings_page_saves_the_scale(self) -> None:
        self.login("admin")
        url = reverse("risk:settings-edit", args=[self.company.pk])
        data = {"high_value": 4, "medium_value": 2, "low_value": 1}
        response = self.client.post(url, {**data, "high_threshold": 17, "medium_threshold": 4})
        self.assertContains(response, "at most 16")
        self.client.post(url, {**data, "high_threshold": 8, "medium_threshold": 4})
        self.assertEqual(RiskSettings.objects.get(company=self.company).high_threshold, 8)


class RiskTests(PersonaTestCase):
    assessment: Assessment
    chain: SupplyChain
    other: SupplyChain

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.assessment = make_assessment(cls.company)
        cls.chain = make_chain(cls.assessment)
        cls.other = SupplyChain.objects.create(assessment=cls.assessment, name="Toronto to Buffalo")
        Node.objects.create(
            chain=cls.other, name="Toronto plant", kind="origin", country="CA", mode="road"
        )

    def test_threat_is_the_highest_across_the_nodes_and_unrated_stays_unrated(self) -> None:
        rate_threat(self.company, "MX", "M")
        rate_threat(self.company, "MX", "H", region="MX-NLE")  # the plant's state
        rate_threat(self.company, "US", "L")
        rate(self.chain, 3, "M")
        rate(self.chain, 9, "L")
        risks = chain_risks(self.assessment, RiskSettings.for_company(self.company))
        first, second = risks
        self.assertEqual(first.chain, self.chain)
        self.assertEqual(
            (first.threat, first.vulnerability, first.score, first.level), ("H", "M", 15, "H")
        )
        self.assertEqual((second.threat, second.score, second.level), (None, None, None))
        grid = heat_map(risks, RiskSettings.for_company(self.company))
        self.assertEqual(
            grid[0][1]["chains"], [self.chain]
        )  # threat High row, vulnerability Medium
        self.assertEqual(grid[0][1]["level"], "H")
        self.assertEqual(grid[2][0]["level"], "L")

    def test_the_page_lists_high_risk_first_and_prompts_threats_first(self) -> None:
        rate_threat(self.company, "MX", "H")
        rate(self.chain, 3, "H")
        self.login("viewer")
        response = self.client.get(self.assessment.get_absolute_url())
        html = response.content.decode()
        self.assertLess(
            html.index('data-chain="Monterrey to Dallas"'),
            html.index('data-chain="Toronto to Buffalo"'),
        )
        self.assertIn("Assess threats first.", html)
        self.assertIn(reverse("threats:rating-grid", args=[self.company.pk]), html)
        self.assertIn('data-testid="heat-map"', html)


class FlowTests(PersonaTestCase):
    assessment: Assessment
    chain: SupplyChain

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.assessment = make_assessment(cls.company)
        cls.chain = make_chain(cls.assessment)

    def test_find_cycle_names_the_loop(self) -> None:
        self.assertIsNone(find_cycle({1: {2}, 2: {3}}))
        self.assertEqual(find_cycle({1: {2}, 2: {3}, 3: {1}}), [1, 2, 3, 1])

    def test_a_link_that_closes_a_loop_is_refused_with_the_loop_spelled_out(self) -> None:
        self.login("user")
        origin, dc = self.chain.nodes.order_by("order")
        url = reverse("risk:node-edit", args=[self.company.pk, self.chain.pk, dc.pk])
        response = self.client.post(
            url,
            {"name": "Dallas DC", "kind": "destination", "country": "US", "mode": "road",
             "order": 2, "goes_to": [origin.pk], "comes_from": [origin.pk]},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Cargo cannot flow in a circle (")
        self.assertContains(response, "Maquila Norte plant → Dallas DC → Maquila Norte plant")
        self.assertEqual(list(dc.next_nodes.all()), [])

    def test_a_node_without_a_country_is_refused(self) -> None:
        self.login("user")
        url = reverse("risk:node-create", args=[self.company.pk, self.chain.pk])
        response = self.client.post(
            url, {"name": "Somewhere", "kind": "transit", "mode": "road", "order": 3}
        )
        self.assertContains(response, "Every node needs a country")
        self.assertEqual(self.chain.nodes.count(), 2)

    def test_the_api_refuses_a_loop_and_a_missing_country(self) -> None:
        self.login("user")
        origin, dc = self.chain.nodes.order_by("order")
        url = reverse("api:supply-chain-node-detail", args=[dc.pk])
        response = self.client.patch(
            url, json.dumps({"next_nodes": [origin.pk]}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("circle", json.dumps(response.json(), ensure_ascii=False))
        response = self.client.post(
            reverse("api:supply-chain-node-list"),
            json.dumps({"chain": self.chain.pk, "name": "X", "kind": "transit", "mode": "road"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("country", response.json())

    def test_the_diagram_escapes_labels(self) -> None:
        node = Node(pk=7, name='Plant "A"]; click x', kind="origin", country="MX", mode="road")
        text = mermaid_flowchart([node], {})
        self.assertIn('n7["Plant #34;A#34;#93;#59; click x<br/>', text)
        self.assertNotIn('"A"', text)

    def test_the_chain_page_draws_the_flow(self) -> None:
        self.login("viewer")
        html = self.client.get(self.chain.get_absolute_url()).content.decode()
        self.assertIn('<pre class="mermaid">flowchart LR', html)
        self.assertIn("vendor/mermaid/mermaid.min.js", html)
        self.assertIn("--&gt;", html)


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
class AnnualReviewTests(PersonaTestCase):
    last: Assessment
    chain: SupplyChain

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.last = make_assessment(cls.company, 2025)
        cls.chain = make_chain(cls.last)
        rate(cls.chain, 3, "M")
        rate_threat(cls.company, "MX", "M")
        with time_machine.travel(datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC)):
            workflow.complete_assessment(cls.last, cls.users["admin"])

    def test_the_review_is_due_a_year_after_the_last_completion_and_flagged_when_late(self) -> None:
        self.assertEqual(next_review_due(self.company), datetime.date(2026, 3, 10))
        self.login("viewer")
        url = reverse("risk:assessment-list", args=[self.company.pk])
        self.assertNotContains(self.client.get(url), "Overdue")
        with time_machine.travel(datetime.datetime(2026, 3, 11, 12, tzinfo=datetime.UTC)):
            self.login("viewer")
            self.assertContains(self.client.get(url), "Overdue")

    def test_starting_this_years_review_copies_the_last_one(self) -> None:
        self.login("user")
        response = self.client.post(reverse("risk:assessment-start", args=[self.company.pk]))
        new = Assessment.objects.get(company=self.company, year=2026)
        self.assertRedirects(response, new.get_absolute_url())
        self.assertEqual(new.copied_from, self.last)
        chain = new.chains.get()
        self.assertEqual(chain.nodes.count(), 2)
        origin = chain.nodes.get(order=1)
        self.assertEqual([n.name for n in origin.next_nodes.all()], ["Dallas DC"])
        self.assertEqual(chain.vulnerabilities.get().level, "M")
        # The record of last year is untouched, and a second click opens the same review.
        self.assertEqual(self.chain.nodes.count(), 2)
        self.client.post(reverse("risk:assessment-start", args=[self.company.pk]))
        self.assertEqual(Assessment.objects.filter(company=self.company).count(), 2)

    def test_a_completed_assessment_is_frozen_and_read_only(self) -> None:
        self.chain.refresh_from_db()
        self.assertEqual(
            (self.chain.threat_level, self.chain.risk_score, self.chain.risk_level), ("M", 9, "M")
        )
        ThreatRating.objects.filter(company=self.company).update(level="H")
        record = Assessment.objects.get(pk=self.last.pk)
        risk = chain_risks(record, RiskSettings.for_company(self.company))[0]
        self.assertEqual(risk.threat, "M")  # the record keeps what was decided
        self.login("user")
        url = reverse("risk:node-create", args=[self.company.pk, self.chain.pk])
        response = self.client.post(
            url, {"name": "X", "kind": "transit", "country": "US", "mode": "road", "order": 3}
        )
        self.assertRedirects(response, self.chain.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(self.chain.nodes.count(), 2)

    def test_what_changed_lists_the_ratings_and_risks_that_moved(self) -> None:
        new = workflow.start_assessment(self.company)
        chain = new.chains.get()
        VulnerabilityRating.objects.filter(chain=chain).update(level="H", suggested_level="H")
        ThreatRating.objects.filter(company=self.company).update(level="H")
        SupplyChain.objects.create(assessment=new, name="Shenzhen to Long Beach")
        self.login("viewer")
        response = self.client.get(
            reverse("risk:assessment-compare", args=[self.company.pk, new.pk])
        )
        rows = {
            (r["name"], m["what"], m["before"], m["after"])
            for r in response.context["rows"]
            for m in r["moved"]
        }
        self.assertIn(("Monterrey to Dallas", "Threat", "M", "H"), rows)
        self.assertIn(("Monterrey to Dallas", "Risk", "M", "H"), rows)
        self.assertIn(("Monterrey to Dallas", "3. Business Partners", "M", "H"), rows)
        self.assertContains(response, "New supply chain")

    def test_the_profile_shows_the_completed_assessment_on_msc_2(self) -> None:
        records = linked_records(self.company, "2.1")
        self.assertEqual(records[0].label, "Risk assessment 2025")
        self.assertEqual(records[0].value, "completed on March 10, 2025")
        self.assertEqual(records[0].url, self.last.get_absolute_url())
        due = [r for r in linked_records(self.company, "2.3") if r.label == "Next review due"]
        self.assertEqual(due[0].value, "March 10, 2026")
        self.assertEqual(linked_records(self.company, "3.1"), [])


class RecordTests(PersonaTestCase):
    assessment: Assessment
    chain: SupplyChain
    rating: VulnerabilityRating

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.assessment = make_assessment(cls.company)
        cls.chain = make_chain(cls.assessment)
        cls.rating = rate(cls.chain, 6, "H")
        rate_threat(cls.company, "MX", "H")
        Incident.objects.create(
            company=cls.company,
            kind="other",
            title="Seal tampered at Nuevo Laredo",
            description="Seal number did not match.",
            lessons_learned="Verify seals at the last stop before the border.",
            occurred_at=timezone.now() - datetime.timedelta(days=30),
        )
        Incident.objects.create(
            company=cls.company,
            kind="other",
            title="Old theft",
            description="-",
            lessons_learned="Too old to list.",
            occurred_at=timezone.now() - datetime.timedelta(days=500),
        )

    def test_an_action_of_the_plan_points_at_the_rating(self) -> None:
        self.login("user")
        url = reverse("risk:action-create", args=[self.company.pk, self.assessment.pk])
        page = self.client.get(url, {"rating": self.rating.pk})
        self.assertEqual(page.context["form"].initial["criterion_ref"], "6")
        self.client.post(
            url,
            {"title": "Seal audit at the maquila", "criterion_ref": "6.1", "rating": self.rating.pk,
             "owner": self.users["user"].pk, "due_date": "2026-09-30"},
        )  # fmt: skip
        action = CorrectiveAction.objects.get(title="Seal audit at the maquila")
        self.assertEqual(action.source, self.rating)
        html = self.client.get(self.assessment.get_absolute_url()).content.decode()
        self.assertIn("Seal audit at the maquila", html)
        self.assertIn("Verify seals at the last stop before the border.", html)
        self.assertNotIn("Too old to list.", html)

    def test_the_pdf_holds_chains_ratings_risk_actions_and_method(self) -> None:
        CorrectiveAction.objects.create(
            company=self.company, title="Seal audit at the maquila", criterion_ref="6.1",
            source=self.rating,
        )  # fmt: skip
        Assessment.objects.filter(pk=self.assessment.pk).update(method="We assess every March.")
        self.login("specialist")
        # Always in the background: the request queues a job and lands on its page (the
        # suite's task backend runs the job at once), which offers the download.
        response = self.client.get(
            reverse("risk:assessment-pdf", args=[self.company.pk, self.assessment.pk])
        )
        job = ExportJob.objects.get(kind="risk.assessment-pdf")
        self.assertRedirects(response, reverse("exports:job", args=[self.company.pk, job.pk]))
        self.assertEqual(
            (job.state, job.done, job.total, job.requested_by, job.parameters),
            ("done", 2, 2, self.users["specialist"], {"assessment": self.assessment.pk}),
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "Your file is ready.")
        download = self.client.get(reverse("exports:job-download", args=[self.company.pk, job.pk]))
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertIn(
            f"risk-assessment-{self.assessment.year}.pdf", download["Content-Disposition"]
        )
        body = b"".join(getattr(download, "streaming_content"))  # noqa: B009  # a file answer
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        text = " ".join(text.split())
        for expected in (
            "Monterrey to Dallas",
            "Maquila Norte plant",
            "6. Seal Security",
            "6 H",  # the rating of the seal category
            "High",
            "25",  # H × H
            "Seal audit at the maquila",
            "We assess every March.",
            "Verify seals at the last stop before the border.",
        ):
            self.assertIn(expected, text)

    def test_the_pdf_waits_for_a_worker_shows_progress_then_the_download(self) -> None:
        self.login("user")
        url = reverse("risk:assessment-pdf", args=[self.company.pk, self.assessment.pk])
        with mock.patch("core.export_tasks.run_export"):  # queued, no worker has taken it
            response = self.client.get(url)
        job = ExportJob.objects.get(kind="risk.assessment-pdf")
        status = reverse("exports:job-status", args=[self.company.pk, job.pk])
        self.assertEqual(job.state, "queued")
        self.assertContains(self.client.get(response["Location"]), "Waiting for a background")
        ExportJob.objects.filter(pk=job.pk).update(state="running", done=1, total=2)
        self.assertContains(self.client.get(status), "Building: 1 of 2 (50 %).")
        ExportJob.objects.filter(pk=job.pk).update(state="queued", done=0, total=0)
        self.assertEqual(export_jobs.run(job.pk), "done")  # what the worker runs
        fragment = self.client.get(status)
        self.assertContains(fragment, "Your file is ready.")
        self.assertContains(fragment, f"risk-assessment-{self.assessment.year}.pdf")
        download = self.client.get(reverse("exports:job-download", args=[self.company.pk, job.pk]))
        body = b"".join(getattr(download, "streaming_content"))  # noqa: B009  # a file answer
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertIn("Monterrey to Dallas", PdfReader(io.BytesIO(body)).pages[0].extract_text())

    def test_the_method_is_generated_from_the_settings_and_editable(self) -> None:
        RiskSettings.objects.create(company=self.company, assessors="Rosa Soto, security manager")
        self.login("user")
        url = reverse("risk:assessment-edit", args=[self.company.pk, self.assessment.pk])
        self.client.post(url, {"assessed_on": "2026-03-01", "method": "", "regenerate": "1"})
        self.assessment.refresh_from_db()
        self.assertIn("Who: Rosa Soto, security manager.", self.assessment.method)
        self.assertIn("High = 5, Medium = 3, Low = 1", self.assessment.method)
        self.client.post(url, {"assessed_on": "2026-03-01", "method": "Our own words."})
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.method, "Our own words.")


class QueryCountTests(PersonaTestCase):
    """The pages cost a fixed number of queries however many chains and nodes there are."""

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_assessment_and_chain_pages_do_not_grow_with_the_map(self) -> None:
        assessment = make_assessment(self.company)
        first = make_chain(assessment, "Chain 0")
        rate_threat(self.company, "MX", "H")
        self.login("user")
        detail, chain_page = assessment.get_absolute_url(), first.get_absolute_url()
        self.count(detail)  # warm the content-type cache
        small = (self.count(detail), self.count(chain_page))
        for i in range(1, 6):
            chain = make_chain(assessment, f"Chain {i}")
            rate(chain, 3, "M")
            rate(chain, 9, "H")
        for n in range(3, 9):
            Node.objects.create(
                chain=first, order=n, name=f"Stop {n}", kind="transit", country="MX", mode="road"
            )
        self.assertEqual((self.count(detail), self.count(chain_page)), small)
