"""The screening list and the sensitive-access log as lists: FilterSet (the screening one
shared with the API), sorting, CSV of the filtered rows, empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from core.listchecks import ListPageChecks
from personnel.models import Employee, Screening, SensitiveAccessLog
from portal.testing import PersonaTestCase


def _employee(company: Any, i: int) -> Employee:
    return Employee.objects.create(
        company=company, first_name="Ana", last_name=f"Ruiz {i:03d}", employee_number=f"E-{i:03d}"
    )


class ScreeningListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "personnel:screening-list"
    filter_query = {"outcome": "adverse"}
    sort = "checked_on"

    def make_row(self, i: int, matching: bool) -> Any:
        return Screening.objects.create(
            company=self.company,
            employee=_employee(self.company, i),
            kind="background",
            checked_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            outcome="adverse" if matching else "clear",
            notes="private note",
        )

    def label(self, row: Any) -> str:
        return str(row.employee.full_name)

    def test_the_csv_never_carries_the_sensitive_fields(self) -> None:
        self.make_row(0, True)
        self.login("admin")
        url = reverse(self.list_url_name, args=[self.company.pk])
        response: Any = self.client.get(url, {"export": "csv"})
        body = b"".join(response.streaming_content).decode()
        self.assertIn("E-000,Ana Ruiz 000", body)
        self.assertNotIn("private note", body)

    def test_the_api_filters_with_the_same_filterset(self) -> None:
        adverse = self.make_row(0, True)
        self.make_row(1, False)
        answer = self.api_as("admin").get(
            reverse("api:personnel-screening-list"), {"outcome": "adverse", "q": "E-000"}
        )
        self.assertEqual([r["id"] for r in answer.json()["results"]], [adverse.pk])


class AccessLogListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "personnel:access-log"
    filter_query = {"channel": "page"}
    sort = "user_email"

    def make_row(self, i: int, matching: bool) -> Any:
        return SensitiveAccessLog.objects.create(
            company=self.company,
            employee=_employee(self.company, i),
            user=self.users["admin"],
            user_email=f"viewer{i:03d}@acme.test",
            channel="page" if matching else "api",
            path="/x/",
        )

    def label(self, row: Any) -> str:
        return str(row.user_email)

    def test_the_employee_page_link_still_narrows_to_one_person(self) -> None:
        mine, other = self.make_row(0, True), self.make_row(1, True)
        text = self.page_text({"employee": str(mine.employee_id)})
        self.assertIn(mine.user_email, text)
        self.assertNotIn(other.user_email, text)
