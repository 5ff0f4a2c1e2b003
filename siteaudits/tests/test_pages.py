"""The site-audit pages as their users meet them: planning, the on-site form with a photo,
completing, the PDF report in English and Spanish, the partner's link, own checklists."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import BusinessPartner
from portal.testing import PersonaTestCase, sign_in
from profiles.tests.factories import PDF_BYTES, make_catalogue
from siteaudits import workflow
from siteaudits.models import ItemPhoto, OwnChecklist, PartnerReply, SiteAudit
from siteaudits.tests.world import make_partner, photo_upload, plan, record_all


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class PlanPageTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.partner = make_partner(self.company)
        sign_in(self.client, self.users["user"])
        self.url = reverse("siteaudits:audit-list", args=[self.company.pk])

    def test_planning_a_visit_freezes_the_checklist_and_opens_the_audit(self) -> None:
        response = self.client.post(
            self.url,
            {
                "partner": self.partner.pk,
                "planned_on": "2026-04-14",
                "auditor": self.users["user"].pk,
                "source": "msc",
                "language": "es",
            },
        )
        audit = SiteAudit.objects.get()
        self.assertRedirects(response, audit.get_absolute_url())
        self.assertEqual(audit.items.count(), 4)
        page = self.client.get(audit.get_absolute_url())
        self.assertContains(page, "Criterion 3.8 summary")
        self.assertContains(page, 'data-testid="save-4"')

    def test_own_checklist_without_one_chosen_is_named_on_the_form(self) -> None:
        response = self.client.post(
            self.url,
            {"partner": self.partner.pk, "planned_on": "2026-04-14",
             "auditor": self.users["user"].pk, "source": "own", "language": "en"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose which of your checklists to use.", status_code=400)
        self.assertFalse(SiteAudit.objects.exists())

    def test_a_viewer_sees_the_list_without_the_plan_form(self) -> None:
        sign_in(self.client, self.users["viewer"])
        response = self.client.get(self.url)
        self.assertNotContains(response, 'id="plan"')

    def test_the_list_shows_partners_due_with_the_organisations_rule(self) -> None:
        audit = plan(self.company, self.partner, self.users["user"])
        record_all(audit, self.users["user"], fail=0)
        workflow.complete_audit(audit, by=self.users["user"])
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="due-table"')
        self.assertContains(response, 'data-testid="our-rule"')

    def test_the_partner_to_visit_is_found_by_typing_whatever_their_number(self) -> None:
        # A company may have tens of thousands of partners: neither the plan form nor the
        # list's filters list them, so the page costs the same with 3 or 150.
        chosen = f"{self.url}?partner={self.partner.pk}"
        self.client.get(chosen)  # warm the per-process caches
        with CaptureQueriesContext(connection) as few:
            self.client.get(chosen)
        BusinessPartner.objects.bulk_create(
            BusinessPartner(
                company=self.company,
                name=f"Proveedor {n:03d}",
                normalised_name=f"proveedor {n:03d}",
                country="MX",
            )
            for n in range(150)
        )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(chosen)
        self.assertEqual(len(many), len(few))
        body = response.content.decode()
        self.assertNotIn("Proveedor 001", body)
        self.assertNotIn('<select name="partner"', body)
        lookup = reverse("partners:partner-lookup", args=[self.company.pk])
        self.assertIn(f'hx-get="{lookup}"', body)
        # The due table's link chose this partner: the box shows its name, the form its key.
        self.assertIn(f'name="partner" value="{self.partner.pk}"', body)
        self.assertIn('value="Transportes del Norte (MX)"', body)


class OnSiteTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.audit = plan(self.company, make_partner(self.company), self.users["user"])
        self.item = self.audit.items.get(position=1)
        sign_in(self.client, self.users["user"])
        self.url = reverse(
            "siteaudits:item-edit", args=[self.company.pk, self.audit.pk, self.item.pk]
        )

    def test_a_finding_with_a_photo_is_saved_together(self) -> None:
        response = self.client.post(
            self.url,
            {"result": "not_met", "severity": "major", "notes": "Fence cut",
             "photo": photo_upload()},
        )  # fmt: skip
        self.assertRedirects(response, f"{self.audit.get_absolute_url()}#item-{self.item.pk}")
        self.item.refresh_from_db()
        self.assertEqual((self.item.result, self.item.severity), ("not_met", "major"))
        photo = ItemPhoto.objects.get()
        self.assertEqual((photo.item, photo.content_type), (self.item, "image/png"))

    def test_a_document_instead_of_a_photo_is_refused_and_nothing_is_written(self) -> None:
        response = self.client.post(
            self.url,
            {"result": "met", "photo": SimpleUploadedFile("a.pdf", PDF_BYTES)},
            follow=True,
        )
        self.assertContains(response, "1. Photo:")
        self.item.refresh_from_db()
        self.assertEqual(self.item.result, "")
        self.assertFalse(ItemPhoto.objects.exists())

    def test_not_met_without_severity_says_so(self) -> None:
        response = self.client.post(self.url, {"result": "not_met", "notes": "x"}, follow=True)
        self.assertContains(response, "needs a severity")
        self.item.refresh_from_db()
        self.assertEqual(self.item.result, "")

    def test_the_form_reads_in_spanish(self) -> None:
        response = self.client.get(self.audit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
        self.client.cookies["django_language"] = "es"
        response = self.client.get(self.audit.get_absolute_url())
        self.assertContains(response, "No cumple")
        self.assertContains(response, "Gravedad")


class ReportAndLinkTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.user = self.users["user"]
        self.audit = plan(self.company, make_partner(self.company), self.user, language="es")
        item = self.audit.items.get(position=1)
        ItemPhoto.objects.create(
            item=item, file=self._stored(), original_name="cerca.png",
            content_type="image/png", size=10, sha256="0" * 64,
        )  # fmt: skip
        record_all(self.audit, self.user)
        (self.action,), self.token = workflow.complete_audit(
            self.audit, by=self.user, summary="Una brecha"
        )
        sign_in(self.client, self.users["viewer"])

    def _stored(self) -> str:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from siteaudits.tests.world import png_bytes

        return default_storage.save("siteaudits/test/cerca.png", ContentFile(png_bytes()))

    def test_the_report_is_a_pdf_in_spanish_or_english(self) -> None:
        url = reverse("siteaudits:audit-report", args=[self.company.pk, self.audit.pk])
        spanish = self.client.get(url)
        self.assertEqual(spanish["Content-Type"], "application/pdf")
        text = pdf_text(spanish.content)
        self.assertIn("Informe de auditoría", text)
        self.assertIn("Transportes del Norte", text)
        self.assertIn("No cumple", text)
        self.assertIn("Gate left open", text)
        english = pdf_text(self.client.get(url, {"lang": "en"}).content)
        self.assertIn("Supplier site audit report", english)
        self.assertIn("Not met", english)
        self.assertIn("Criterion 1.1 summary", english)

    def test_the_partner_answers_through_the_link_without_an_account(self) -> None:
        self.client.logout()
        url = reverse("siteaudit-links:reply", args=[self.token])
        page = self.client.get(url)
        self.assertContains(page, "Acciones correctivas")
        self.assertEqual(page["Cache-Control"], "no-store")
        response = self.client.post(
            url, {"action": self.action.pk, "name": "Ana Ruiz", "text": "Candado nuevo"}
        )
        self.assertRedirects(response, url)
        self.assertEqual(PartnerReply.objects.get().text, "Candado nuevo")
        empty = self.client.post(url, {"action": self.action.pk, "name": "Ana", "text": ""})
        self.assertEqual(empty.status_code, 400)
        self.assertEqual(PartnerReply.objects.count(), 1)

    def test_an_unknown_link_and_another_audits_action_get_nothing(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get("/sa/not-a-token/").status_code, 404)
        url = reverse("siteaudit-links:reply", args=[self.token])
        other = plan(self.company, make_partner(self.company, name="Otro"), self.user)
        record_all(other, self.user)
        (foreign,), _token = workflow.complete_audit(other, by=self.user)
        response = self.client.post(url, {"action": foreign.pk, "name": "Ana", "text": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(PartnerReply.objects.exists())

    def test_the_member_sees_the_partners_answer(self) -> None:
        workflow.reply(self.audit, self.action, name="Ana Ruiz", text="Candado nuevo")
        response = self.client.get(self.audit.get_absolute_url())
        self.assertContains(response, "Candado nuevo")
        self.assertContains(response, "Ana Ruiz")


class OwnChecklistPageTests(PersonaTestCase):
    def test_a_checklist_is_written_one_item_per_line_and_bad_lines_are_named(self) -> None:
        sign_in(self.client, self.users["admin"])
        url = reverse("siteaudits:checklist-list", args=[self.company.pk])
        bad = self.client.post(url, {"name": "Short", "lines": "3.5 | Visitors\n9 |  | x"})
        self.assertContains(bad, "Line 2:", status_code=400)
        self.assertFalse(OwnChecklist.objects.exists())
        good = self.client.post(
            url, {"name": "Short", "lines": "3.5 | Visitors escorted | Visitas acompañadas"}
        )
        self.assertEqual(good.status_code, 302)
        self.assertEqual(
            OwnChecklist.objects.get().items,
            [{"ref": "3.5", "text": "Visitors escorted", "text_es": "Visitas acompañadas"}],
        )


class QueryCountTests(PersonaTestCase):
    """The audit page and the PDF cost the same queries however long the checklist and
    however many photos and answers it holds."""

    def _audit(self, size: int) -> SiteAudit:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from siteaudits.tests.world import png_bytes

        own = OwnChecklist.objects.create(
            company=self.company,
            name=f"List {size}",
            items=[
                {"ref": "3.5", "text": f"Point {n}", "text_es": f"Punto {n}"} for n in range(size)
            ],
        )
        partner = make_partner(self.company, name=f"Partner {size}", role="agent")
        audit = plan(self.company, partner, self.users["user"], source="own", own_checklist=own)
        stored = default_storage.save("siteaudits/test/q.png", ContentFile(png_bytes()))
        for item in audit.items.all():
            ItemPhoto.objects.create(
                item=item, file=stored, original_name="q.png", content_type="image/png",
                size=10, sha256="0" * 64,
            )  # fmt: skip
        record_all(audit, self.users["user"], fail=size)
        _actions, token = workflow.complete_audit(audit, by=self.users["user"])
        for action in workflow.actions_of(audit):
            workflow.reply(audit, action, name="Ana", text="Hecho")
        self.tokens[audit.pk] = token
        return audit

    def test_the_query_count_does_not_grow_with_the_checklist(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        sign_in(self.client, self.users["viewer"])
        self.tokens: dict[int, str] = {}
        small, large = self._audit(2), self._audit(12)
        self.client.get(small.get_absolute_url())  # session and content types cached
        counts = []
        for audit in (small, large):
            with CaptureQueriesContext(connection) as page:
                self.client.get(audit.get_absolute_url())
            counts.append(len(page))
        self.assertEqual(counts[0], counts[1])
        with self.assertNumQueries(13):
            self.client.get(large.get_absolute_url())
        report = reverse("siteaudits:audit-report", args=[self.company.pk, large.pk])
        self.client.get(report)
        with CaptureQueriesContext(connection) as small_pdf:
            self.client.get(reverse("siteaudits:audit-report", args=[self.company.pk, small.pk]))
        with CaptureQueriesContext(connection) as large_pdf:
            self.client.get(report)
        self.assertEqual(len(small_pdf), len(large_pdf))
        links = []
        for audit in (small, large):
            url = reverse("siteaudit-links:reply", args=[self.tokens[audit.pk]])
            self.client.get(url)
            with CaptureQueriesContext(connection) as link_page:
                self.client.get(url)
            links.append(len(link_page))
        self.assertEqual(links[0], links[1])
