"""The inspection API: recording with point results under the page's rules, resends that
do not duplicate, filters, and the OpenAPI schema of the field-operations endpoints."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import Inspection
from portal.testing import PersonaTestCase

POINTS = [
    "front_wall",
    "left_side",
    "right_side",
    "floor",
    "ceiling_roof",
    "doors",
    "undercarriage",
]


def api_payload(company_pk: int, **extra: Any) -> dict[str, Any]:
    """A complete container inspection with every point passed, as the API takes it."""
    data: dict[str, Any] = {
        "company": company_pk,
        "checklist": "container",
        "client_key": str(uuid.uuid4()),
        "iit_number": "MSCU1234565",
        "direction": "outbound",
        "performed_at": "2026-03-02T10:30:00Z",
        "pest_checked": True,
        "seal_number": "MX0000001",
        "vvtt_view": True,
        "vvtt_verify": True,
        "vvtt_tug": True,
        "vvtt_twist": True,
        "results": [{"key": key, "result": "pass"} for key in POINTS],
    }
    data.update(extra)
    return data


class InspectionApiTests(PersonaTestCase):
    client_class = APIClient

    def payload(self, **extra: Any) -> dict[str, Any]:
        return api_payload(self.company.pk, **extra)

    def post(self, data: dict[str, Any], **headers: Any) -> Any:
        return self.client.post(reverse("api:inspection-list"), data, format="json", **headers)

    def test_an_inspection_is_recorded_with_every_point(self) -> None:
        self.login("user")
        response = self.post(self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual([r["key"] for r in body["results"]], POINTS)
        self.assertTrue(body["complete"])
        self.assertTrue(body["passed"])
        inspection = Inspection.objects.get()
        self.assertEqual(
            (inspection.inspector, inspection.company), (self.users["user"], self.company)
        )
        detail = self.client.get(reverse("api:inspection-detail", args=[inspection.pk])).json()
        self.assertEqual(detail["iit_number"], "MSCU1234565")

    def test_points_left_out_are_not_checked(self) -> None:
        self.login("user")
        body = self.post(self.payload(results=[{"key": "floor", "result": "na"}])).json()
        self.assertEqual(body["points_open"], 6)
        self.assertFalse(body["complete"])

    def test_a_resend_returns_the_first_record(self) -> None:
        self.login("user")
        data = self.payload()
        first = self.post(data)
        again = self.post(data)
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json()["id"], again.json()["id"])
        key = str(uuid.uuid4())
        data.pop("client_key")
        by_header = [self.post(data, HTTP_IDEMPOTENCY_KEY=key).status_code for _ in range(2)]
        self.assertEqual(by_header, [201, 201])  # the header's retry replays the first answer
        self.assertEqual(Inspection.objects.count(), 2)
        self.assertEqual(
            str(Inspection.objects.get(pk=Inspection.objects.latest("pk").pk).client_key), key
        )

    def test_the_page_rules_apply(self) -> None:
        self.login("user")
        failed = self.post(self.payload(results=[{"key": "floor", "result": "fail"}]))
        self.assertEqual(failed.status_code, 400)
        self.assertIn("Say what failed at “Floor”", failed.json()["results"]["floor"])
        unknown = self.post(self.payload(results=[{"key": "fan_housing", "result": "pass"}]))
        self.assertIn("front_wall", unknown.json()["results"]["fan_housing"])
        pests = self.post(self.payload(pest_found=True))
        self.assertEqual(set(pests.json()), {"pest_description", "cleaning"})
        checklist = self.post(self.payload(checklist="flatbed"))
        self.assertIn("flatbed", checklist.json()["checklist"][0])
        vvtt = self.post(self.payload(seal_number=""))
        self.assertIn("seal_number", vvtt.json())
        self.assertFalse(Inspection.objects.exists())

    def test_a_viewer_and_another_company_cannot_record(self) -> None:
        self.login("viewer")
        self.assertEqual(self.post(self.payload()).status_code, 404)
        self.login("other")
        self.assertEqual(self.post(self.payload()).status_code, 404)
        self.login("specialist")
        self.assertEqual(self.post(self.payload()).status_code, 404)
        self.assertFalse(Inspection.objects.exists())

    def test_records_cannot_be_changed_or_deleted(self) -> None:
        self.login("admin")
        pk = self.post(self.payload()).json()["id"]
        url = reverse("api:inspection-detail", args=[pk])
        self.assertEqual(
            self.client.patch(url, {"iit_number": "X"}, format="json").status_code, 405
        )
        self.assertEqual(self.client.delete(url).status_code, 405)

    def test_filters(self) -> None:
        self.login("user")
        self.post(self.payload())
        self.post(
            self.payload(
                iit_number="TGHU7654321",
                performed_at="2026-03-05T08:00:00Z",
                results=[{"key": "floor", "result": "fail", "note": "New boards"}],
            )
        )
        self.login("other")
        self.client.post(
            reverse("api:inspection-list"),
            self.payload(company=self.other_company.pk),
            format="json",
        )
        self.login("viewer")

        def ids(**params: Any) -> list[str]:
            body = self.client.get(reverse("api:inspection-list"), params).json()
            return [row["iit_number"] for row in body["results"]]

        self.assertEqual(ids(), ["TGHU7654321", "MSCU1234565"])
        self.assertEqual(ids(iit_number="tghu7654321"), ["TGHU7654321"])
        self.assertEqual(ids(status="failed"), ["TGHU7654321"])
        self.assertEqual(ids(status="passed"), ["MSCU1234565"])
        self.assertEqual(ids(status="unsigned"), ["TGHU7654321", "MSCU1234565"])
        self.assertEqual(ids(date_from="2026-03-03"), ["TGHU7654321"])
        self.assertEqual(ids(date_to="2026-03-02"), ["MSCU1234565"])
        self.assertEqual(
            ids(date_from="2026-03-02", date_to="2026-03-05"), ["TGHU7654321", "MSCU1234565"]
        )
        bad = self.client.get(reverse("api:inspection-list"), {"date_from": "March"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("date_from", bad.json())


class SchemaTests(PersonaTestCase):
    def test_the_openapi_schema_describes_field_operations(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("api:schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in (
            "/api/v1/inspections/",
            "/api/v1/inspections/{id}/",
            "/api/v1/seals/",
            "/api/v1/seals/{id}/verify/",
            "/api/v1/incidents/",
            "/api/v1/incidents/{id}/",
        ):
            self.assertIn(path, paths)
        self.assertIn("post", paths["/api/v1/inspections/"])
        self.assertNotIn("post", paths["/api/v1/seals/"])
        # The anonymous report (MSC 7.25) is a page only.
        incident_paths = [p for p in paths if p.startswith("/api/v1/incidents/")]
        self.assertEqual(
            incident_paths,
            ["/api/v1/incidents/", "/api/v1/incidents/{id}/", "/api/v1/incidents/{id}/actions/"],
        )
        params = {p["name"] for p in paths["/api/v1/inspections/"]["get"]["parameters"]}
        self.assertTrue({"date_from", "date_to", "iit_number", "status"} <= params)
        self.assertEqual(self.client.get(reverse("api:docs")).status_code, 200)
