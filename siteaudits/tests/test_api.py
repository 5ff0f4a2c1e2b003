"""The site-audit API calls the same workflow as the pages and writes the same rows."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from actions.models import CorrectiveAction
from portal.testing import PersonaTestCase, sign_in, written
from profiles.tests.factories import make_catalogue
from siteaudits.models import AuditItem, SiteAudit
from siteaudits.tests.world import make_partner


class ApiTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.partner = make_partner(self.company)
        self.api = self.api_as("user")

    def _walk_by_api(self) -> dict[str, Any]:
        created = self.api.post(
            reverse("api:siteaudit-list"),
            {"company": self.company.pk, "partner": self.partner.pk, "planned_on": "2026-05-01"},
            format="json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        audit = SiteAudit.objects.get(pk=created.json()["id"])
        for item in audit.items.all():
            body = (
                {"result": "not_met", "severity": "minor", "notes": "Log incomplete"}
                if item.position == 1
                else {"result": "met"}
            )
            answer = self.api.patch(
                reverse("api:siteaudititem-detail", args=[item.pk]), body, format="json"
            )
            self.assertEqual(answer.status_code, 200, answer.content)
        done = self.api.post(reverse("api:siteaudit-complete", args=[audit.pk]), {}, format="json")
        self.assertEqual(done.status_code, 200, done.content)
        return dict(done.json())

    def test_the_api_and_the_pages_write_the_same(self) -> None:
        with written(SiteAudit, AuditItem, CorrectiveAction) as by_api:
            body = self._walk_by_api()
        self.assertEqual(len(body["actions"]), 1)
        self.assertIn("/sa/", body["link"])
        sign_in(self.client, self.users["user"])
        with written(SiteAudit, AuditItem, CorrectiveAction) as by_page:
            self.client.post(
                reverse("siteaudits:audit-list", args=[self.company.pk]),
                {"partner": self.partner.pk, "planned_on": "2026-05-01",
                 "auditor": self.users["user"].pk, "source": "msc", "language": "en"},
            )  # fmt: skip
            audit = SiteAudit.objects.latest("pk")
            for item in audit.items.all():
                data = (
                    {"result": "not_met", "severity": "minor", "notes": "Log incomplete"}
                    if item.position == 1
                    else {"result": "met"}
                )
                self.client.post(
                    reverse("siteaudits:item-edit", args=[self.company.pk, audit.pk, item.pk]),
                    data,
                )
            self.client.post(reverse("siteaudits:audit-complete", args=[self.company.pk, audit.pk]))
        self.assertEqual(by_api, by_page)

    def test_refusals_answer_their_codes(self) -> None:
        created = self.api.post(
            reverse("api:siteaudit-list"),
            {"company": self.company.pk, "partner": self.partner.pk, "planned_on": "2026-05-01"},
            format="json",
        )
        pk = created.json()["id"]
        unchecked = self.api.post(reverse("api:siteaudit-complete", args=[pk]), {}, format="json")
        self.assertEqual(
            (unchecked.status_code, unchecked.json()["code"]),
            (400, "site_audit_items_unchecked"),
        )
        item = AuditItem.objects.filter(audit_id=pk).first()
        assert item is not None
        vague = self.api.patch(
            reverse("api:siteaudititem-detail", args=[item.pk]),
            {"result": "not_met"},
            format="json",
        )
        self.assertEqual(vague.json()["code"], "site_audit_item_incomplete")

    def test_another_companys_partner_is_not_offered(self) -> None:
        other = make_partner(self.other_company)
        response = self.api.post(
            reverse("api:siteaudit-list"),
            {"company": self.company.pk, "partner": other.pk, "planned_on": "2026-05-01"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("partner", response.json())
