"""The seal log linked to the field: a seal written on an inspection is checked against the
log, seals and inspections are picked by number as the inspector types, an incident is
raised from a failed point, and guards receive seals while managers audit them."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from inspections.checklists import builtin
from inspections.models import Inspection
from inspections.workflow import PointAnswer, record_inspection
from portal.testing import PersonaTestCase
from seals import workflow
from seals.models import Seal

VVTT = {"vvtt_view": True, "vvtt_verify": True, "vvtt_tug": True, "vvtt_twist": True}


class FieldLinkCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        workflow.receive_range(
            cls.company,
            numbers=workflow.range_numbers("TFB", 1, 25, 7),
            manufacturer="TydenBrooks",
            iso_class="H",
            certificate_ref="CERT-778",
            storage_location="Safe 1",
            by=cls.users["admin"],
        )

    def seal(self, number: str = "TFB0000001") -> Seal:
        return Seal.objects.get(company=self.company, number=number)

    def inspect(self, seal_number: str, iit: str = "TRLU7788990", **extra: Any) -> Inspection:
        container = builtin()["container"]
        answers = {p.key: PointAnswer(result="pass") for p in container.points}
        answers.update(extra.pop("answers", {}))
        return record_inspection(
            self.company,
            container,
            client_key=uuid.uuid4(),
            fields={
                "iit_number": iit,
                "direction": "outbound",
                "performed_at": timezone.now(),
                "seal_number": seal_number,
                **(VVTT if seal_number else {}),
                **extra,
            },
            answers=answers,
            inspector=self.users["user"],
        ).inspection


class InspectionSealTests(FieldLinkCase):
    def test_an_issued_seal_is_affixed_to_the_inspected_container(self) -> None:
        workflow.issue(self.seal(), to="Luis Pérez", by=self.users["admin"])
        self.inspect("tfb0000001")
        seal = self.seal()
        self.assertEqual((seal.status, seal.iit_number), ("affixed", "TRLU7788990"))
        self.assertFalse(Incident.objects.exists())

    def test_a_number_the_log_does_not_have_is_a_discrepancy(self) -> None:
        inspection = self.inspect("TFB9999999")
        incident = Incident.objects.get()
        self.assertEqual(incident.kind, "seal_discrepancy")
        self.assertEqual(incident.inspection, inspection)
        self.assertIsNone(incident.seal)
        self.assertIn("TFB9999999", incident.description)

    def test_a_seal_on_another_container_is_a_discrepancy(self) -> None:
        workflow.issue(self.seal(), to="Luis Pérez", by=self.users["admin"])
        self.inspect("TFB0000001", iit="MSCU1234565")
        self.inspect("TFB0000001", iit="TRLU7788990")
        incident = Incident.objects.get()
        self.assertEqual(incident.seal, self.seal())
        self.assertIn("MSCU1234565", incident.description)
        self.assertEqual(self.seal().status, "discrepancy")
        self.assertTrue(self.seal().events.filter(kind="discrepancy", incident=incident).exists())

    def test_a_seal_never_issued_is_a_discrepancy(self) -> None:
        self.inspect("TFB0000002")
        incident = Incident.objects.get()
        self.assertEqual(incident.seal, self.seal("TFB0000002"))
        self.assertEqual(self.seal("TFB0000002").status, "discrepancy")

    def test_a_company_without_a_seal_log_is_not_checked(self) -> None:
        Seal.objects.filter(company=self.company).update(company=self.other_company)
        self.inspect("TFB0000001")
        self.assertFalse(Incident.objects.exists())


class LookupTests(FieldLinkCase):
    def test_seals_are_found_by_part_of_their_number_at_most_twenty(self) -> None:
        self.login("user")
        url = reverse("seals:seal-lookup", args=[self.company.pk])
        page = self.client.get(url, {"q": "tfb00000"}).content.decode()
        self.assertEqual(page.count("data-combo-value="), 20)
        page = self.client.get(url, {"q": "0000012"}).content.decode()
        self.assertIn('data-combo-value="TFB0000012"', page)
        self.assertEqual(page.count("data-combo-value="), 1)

    def test_another_companys_seals_are_not_found(self) -> None:
        self.login("other")
        url = reverse("seals:seal-lookup", args=[self.other_company.pk])
        page = self.client.get(url, {"q": "TFB"}).content.decode()
        self.assertNotIn("TFB0000001", page)

    def test_inspections_are_found_by_container_number(self) -> None:
        inspection = self.inspect("")
        self.login("user")
        url = reverse("inspections:inspection-lookup", args=[self.company.pk])
        page = self.client.get(url, {"q": "7788"}).content.decode()
        self.assertIn(f'data-combo-value="{inspection.number}"', page)


class IncidentByNumberTests(FieldLinkCase):
    def url(self, query: str = "") -> str:
        return reverse("incidents:incident-create", args=[self.company.pk]) + query

    def post(self, **data: Any) -> Any:
        fields = {
            "submission_key": str(uuid.uuid4()),
            "kind": "tampering",
            "title": "Loose floor boards",
            "description": "Found at the inspection",
            "occurred_at": "2026-03-02T10:30",
            **data,
        }
        return self.client.post(self.url(), fields)

    def test_a_failed_point_raises_a_prefilled_incident(self) -> None:
        workflow.issue(self.seal(), to="Luis Pérez", by=self.users["admin"])
        inspection = self.inspect(
            "TFB0000001", answers={"floor": PointAnswer(result="fail", note="Loose boards")}
        )
        self.login("user")
        detail = self.client.get(inspection.get_absolute_url()).content.decode()
        link = f"?inspection={inspection.pk}&amp;point=floor"
        self.assertIn(link, detail)
        form = self.client.get(self.url(link.replace("&amp;", "&"))).context["form"]
        self.assertEqual(form.initial["inspection"], inspection.number)
        self.assertEqual(form.initial["seal"], "TFB0000001")
        self.assertEqual(form.initial["description"], "Loose boards")
        self.assertIn("TRLU7788990", form.initial["title"])

    def test_the_inspection_and_seal_are_picked_by_number(self) -> None:
        inspection = self.inspect("")
        self.login("user")
        response = self.post(inspection=inspection.number, seal="tfb0000003")
        self.assertEqual(response.status_code, 302)
        incident = Incident.objects.get()
        self.assertEqual(
            (incident.inspection, incident.seal), (inspection, self.seal("TFB0000003"))
        )

    def test_a_seal_number_not_in_the_log_is_refused_by_its_label(self) -> None:
        self.login("user")
        response = self.post(seal="TFB0001001")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('href="#id_seal"', page)
        self.assertIn("Seal TFB0001001 is not in the seal log", page)
        self.assertFalse(Incident.objects.exists())

    def test_a_container_inspected_twice_asks_which_inspection(self) -> None:
        self.inspect("")
        self.inspect("")
        self.login("user")
        response = self.post(inspection="TRLU7788990")
        self.assertContains(response, "pick the inspection from the list")


class SealRolesTests(FieldLinkCase):
    def test_an_inspector_receives_seals_but_does_not_see_the_audit(self) -> None:
        self.login("user")
        page = self.client.get(reverse("seals:seal-list", args=[self.company.pk]))
        self.assertContains(page, reverse("seals:seal-receive", args=[self.company.pk]))
        self.assertNotContains(page, reverse("seals:seal-audit", args=[self.company.pk]))

    def test_a_viewer_sees_neither(self) -> None:
        self.login("viewer")
        page = self.client.get(reverse("seals:seal-list", args=[self.company.pk]))
        self.assertNotContains(page, reverse("seals:seal-receive", args=[self.company.pk]))
        self.assertNotContains(page, reverse("seals:seal-audit", args=[self.company.pk]))
