"""The corrective-action list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from actions.models import CorrectiveAction
from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase


class ActionListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "actions:action-list"
    filter_query = {"status": "in_progress"}
    sort = "due_date"

    def make_row(self, i: int, matching: bool) -> Any:
        return CorrectiveAction.objects.create(
            company=self.company,
            title=f"Fix gate lock {i:03d}",
            owner=self.users["user"],
            due_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=i),
            status="in_progress" if matching else "open",
        )

    def label(self, row: Any) -> str:
        return str(row.title)

    def test_the_api_keeps_its_overdue_parameter(self) -> None:
        late = self.make_row(1, True)
        late.due_date = datetime.date(2020, 1, 1)
        late.save()
        later = self.make_row(2, True)
        self.login("admin")
        url = reverse("api:correctiveaction-list")
        for value in ("true", "1"):
            titles = [
                a["title"] for a in self.client.get(url, {"overdue": value}).json()["results"]
            ]
            self.assertEqual(titles, [late.title])
        self.assertNotIn(later.title, str(titles))

    def test_a_yes_no_filter_offers_any_in_english_and_spanish(self) -> None:
        self.make_row(0, True)
        page = self.page_text()
        self.assertInHTML('<option value="" selected>Any</option>', page)
        self.assertInHTML('<option value="true">Yes</option>', page)
        self.assertNotIn(">Unknown<", page)
        url = reverse(self.list_url_name, args=self.list_args())
        spanish = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        self.assertInHTML('<option value="" selected>Cualquiera</option>', spanish)
        self.assertInHTML('<option value="true">Sí</option>', spanish)
