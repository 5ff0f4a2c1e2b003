from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from portal.testing import PersonaTestCase
from seals import workflow
from seals.models import Seal, SealEvent
from training.tests import factories

VVTT = {"vvtt_view": "on", "vvtt_verify": "on", "vvtt_tug": "on", "vvtt_twist": "on"}
ALL = workflow.Vvtt(True, True, True, True)


class SealTestCase(PersonaTestCase):
    def receive(self, first: int = 1, last: int = 5, **extra: Any) -> int:
        fields: dict[str, Any] = {
            "manufacturer": "TydenBrooks",
            "iso_class": "H",
            "certificate_ref": "ISO17712:2013 H, lab cert 778",
            "storage_location": "Safe 1",
        }
        fields.update(extra)
        return workflow.receive_range(
            self.company,
            numbers=workflow.range_numbers("MX", first, last, 7),
            by=self.users["admin"],
            **fields,
        )

    def seal(self, number: str = "MX0000001") -> Seal:
        return Seal.objects.get(company=self.company, number=number)


class ReceiveTests(SealTestCase):
    def test_a_range_is_received_and_logged(self) -> None:
        self.assertEqual(self.receive(1, 5), 5)
        self.assertEqual(
            list(Seal.objects.values_list("number", flat=True)),
            ["MX0000001", "MX0000002", "MX0000003", "MX0000004", "MX0000005"],
        )
        self.assertEqual(SealEvent.objects.filter(kind="received").count(), 5)

    def test_an_overlapping_range_is_refused_whole(self) -> None:
        self.receive(1, 5)
        with self.assertRaisesRegex(ValidationError, "MX0000005"):
            self.receive(5, 9)
        self.assertEqual(Seal.objects.count(), 5)

    def test_only_class_h_seals(self) -> None:
        with self.assertRaisesRegex(ValidationError, "class H"):
            self.receive(iso_class="S")
        self.assertFalse(Seal.objects.exists())

    def test_the_page_names_the_wrong_field(self) -> None:
        self.login("admin")
        response = self.client.post(
            reverse("seals:seal-receive", args=[self.company.pk]),
            {
                "first": 9,
                "last": 3,
                "width": 7,
                "manufacturer": "T",
                "iso_class": "H",
                "certificate_ref": "C",
                "storage_location": "S",
            },
        )
        self.assertContains(response, "The last number must not be below the first.")


class SealTrainingTests(SealTestCase):
    """Seed item 4 of a secure supply chain: containers are sealed by a trained person. The
    seal log records whether the person affixing had current seal training in the training
    matrix (course `seal_handling`), and the page says so when not."""

    def setUp(self) -> None:
        self.receive(1, 3)
        guard = factories.role(self.company, "guard")
        self.course = factories.course(
            self.company, "seal_handling", roles=[guard], refresher_months=12
        )
        self.person = factories.employee(
            self.company, email=self.users["user"].email.upper(), roles=[guard]
        )

    def affix_on_page(self, number: str) -> Any:
        self.login("user")
        return self.client.post(
            reverse("seals:seal-affix", args=[self.company.pk, self.seal(number).pk]),
            {"iit_number": "MSCU1234565", **VVTT},
            follow=True,
        )

    def test_current_training_is_recorded_and_nothing_is_said(self) -> None:
        factories.record(self.person, self.course, timezone.localdate() - timedelta(days=30))
        response = self.affix_on_page("MX0000001")
        self.assertEqual(self.seal("MX0000001").status, "affixed")
        event = SealEvent.objects.get(kind="affixed")
        self.assertEqual(event.handler_training, "current")
        self.assertNotContains(response, "seal training")

    def test_overdue_training_still_affixes_but_says_so(self) -> None:
        factories.record(self.person, self.course, timezone.localdate() - timedelta(days=400))
        response = self.affix_on_page("MX0000001")
        self.assertEqual(self.seal("MX0000001").status, "affixed")
        self.assertEqual(SealEvent.objects.get(kind="affixed").handler_training, "lapsed")
        self.assertContains(response, "Your seal training is overdue")
        self.assertContains(response, "Seal training overdue")  # in the seal's history

    def test_no_record_and_no_employee_are_told_apart(self) -> None:
        response = self.affix_on_page("MX0000001")
        self.assertContains(response, "You have no seal training on record")
        self.person.delete()
        response = self.affix_on_page("MX0000002")
        self.assertContains(response, "You are not in the personnel list")
        self.assertEqual(
            list(
                SealEvent.objects.filter(kind="affixed")
                .order_by("pk")
                .values_list("handler_training", flat=True)
            ),
            ["missing", "unknown"],
        )

    def test_the_warning_is_in_spanish_for_a_spanish_speaker(self) -> None:
        self.login("user")
        self.client.cookies["django_language"] = "es"
        response = self.client.post(
            reverse("seals:seal-affix", args=[self.company.pk, self.seal().pk]),
            {"iit_number": "MSCU1234565", **VVTT},
            follow=True,
            headers={"accept-language": "es"},
        )
        self.assertContains(response, "capacitación")


class LifecycleTests(SealTestCase):
    def setUp(self) -> None:
        self.receive(1, 3)

    def test_affixing_needs_every_vvtt_step(self) -> None:
        with self.assertRaisesRegex(ValidationError, "Twist and turn"):
            workflow.affix(
                self.seal(),
                iit_number="MSCU1234565",
                vvtt=workflow.Vvtt(True, True, True, False),
                by=self.users["user"],
            )
        self.assertEqual(self.seal().status, "in_stock")

    def test_a_matching_check_at_destination_verifies_the_seal(self) -> None:
        seal = workflow.affix(self.seal(), iit_number="MSCU1", vvtt=ALL, by=self.users["user"]).seal
        result = workflow.check(
            seal,
            at_destination=True,
            observed_number="mx0000001",
            document_number="MX0000001",
            vvtt=ALL,
            by=self.users["user"],
        )
        self.assertIsNone(result.incident)
        self.assertEqual(self.seal().status, "verified")
        self.assertFalse(Incident.objects.exists())

    def test_a_discrepancy_opens_an_incident(self) -> None:
        workflow.affix(self.seal(), iit_number="MSCU1", vvtt=ALL, by=self.users["user"])
        self.login("user")
        response = self.client.post(
            reverse("seals:seal-check", args=[self.company.pk, self.seal().pk]),
            {"observed_number": "MX0000999", "document_number": "MX0000001", **VVTT},
        )
        incident = Incident.objects.get()
        self.assertRedirects(response, incident.get_absolute_url())
        self.assertEqual(incident.kind, "seal_discrepancy")
        self.assertEqual(incident.seal, self.seal())
        self.assertIn("MX0000999", incident.description)
        self.assertEqual(incident.notifications.count(), 4)
        self.assertEqual(self.seal().status, "discrepancy")
        self.assertEqual(SealEvent.objects.get(kind="discrepancy").incident, incident)

    def test_a_failed_tug_at_hand_over_is_a_discrepancy(self) -> None:
        workflow.affix(self.seal(), iit_number="MSCU1", vvtt=ALL, by=self.users["user"])
        result = workflow.check(
            self.seal(),
            at_destination=False,
            observed_number="MX0000001",
            document_number="MX0000001",
            vvtt=workflow.Vvtt(True, True, False, True),
            by=self.users["user"],
        )
        self.assertIsNotNone(result.incident)
        self.assertIn("Tug", result.incident.description)  # type: ignore[union-attr]

    def test_a_retried_affix_is_logged_once(self) -> None:
        self.login("user")
        url = reverse("seals:seal-affix", args=[self.company.pk, self.seal().pk])
        data = {"iit_number": "MSCU1", "submission_key": str(uuid.uuid4()), **VVTT}
        first = self.client.post(url, data)
        again = self.client.post(url, data)
        self.assertEqual(first["Location"], again["Location"])
        self.assertEqual(SealEvent.objects.filter(kind="affixed").count(), 1)

    def test_voiding_needs_a_reason_and_keeps_the_record(self) -> None:
        with self.assertRaises(ValidationError):
            workflow.void(self.seal(), reason=" ", by=self.users["admin"])
        workflow.void(self.seal(), reason="Dropped, broken", by=self.users["admin"])
        self.assertEqual(self.seal().status, "voided")
        self.assertEqual(self.seal().events.last().kind, "voided")  # type: ignore[union-attr]

    def test_audit_reconciles_with_the_log(self) -> None:
        workflow.issue(self.seal("MX0000003"), to="Ana", by=self.users["admin"])
        audit = workflow.audit(
            self.company, counted=["MX0000001", "MX0000777"], by=self.users["admin"]
        )
        self.assertEqual((audit.expected, audit.counted), (2, 2))
        self.assertEqual(audit.missing, ["MX0000002"])
        self.assertEqual(audit.unexpected, ["MX0000777"])
        self.assertFalse(audit.reconciled)


class NeverDeletedTests(SealTestCase):
    def setUp(self) -> None:
        self.receive(1, 2)

    def test_model_and_queryset_refuse(self) -> None:
        with self.assertRaises(ValidationError):
            self.seal().delete()
        with self.assertRaises(ValidationError):
            Seal.objects.all().delete()
        with self.assertRaises(ValidationError):
            SealEvent.objects.all().delete()
        self.assertEqual(Seal.objects.count(), 2)

    def test_the_api_has_no_delete(self) -> None:
        self.login("officer")
        url = reverse("api:seal-detail", args=[self.seal().pk])
        self.assertEqual(self.client.delete(url).status_code, 405)
        self.assertEqual(self.client.get(url).json()["number"], "MX0000001")
        self.assertEqual(Seal.objects.count(), 2)

    def test_the_admin_cannot_delete(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.users["officer"]
        for model in (Seal, SealEvent):
            self.assertFalse(site._registry[model].has_delete_permission(request))


class AuditPageTests(SealTestCase):
    def setUp(self) -> None:
        self.receive(1, 4)

    def url(self) -> str:
        return reverse("seals:seal-audit", args=[self.company.pk])

    def test_a_matching_count_is_recorded_as_reconciled(self) -> None:
        self.login("admin")
        response = self.client.post(
            self.url(),
            {
                "counted": "MX0000001, mx0000002\nMX0000003 MX0000004",
                "submission_key": str(uuid.uuid4()),
            },
            follow=True,
        )
        self.assertContains(response, "the count matches the seal log")
        self.assertNotContains(response, 'data-testid="audit-differences"')
        self.assertTrue(self.company.seal_audits.get().reconciled)

    def test_differences_are_explained_from_the_log(self) -> None:
        workflow.issue(self.seal("MX0000003"), to="Ana Ruiz", by=self.users["admin"])
        workflow.affix(
            self.seal("MX0000004"), iit_number="MSCU1234565", vvtt=ALL, by=self.users["user"]
        )
        self.login("admin")
        response = self.client.post(
            self.url(),
            # MX0000002 is not on the shelf; MX0000004 is, though the log has it on a
            # container; MX0000999 was never received.
            {"counted": "MX0000001 MX0000004 MX0000999", "submission_key": str(uuid.uuid4())},
            follow=True,
        )
        self.assertContains(response, "Audit recorded with differences")
        box = (
            response.content.decode().split('data-testid="audit-differences"')[1].split("</div>")[0]
        )
        self.assertIn("MX0000002", box)
        self.assertIn("MX0000004: affixed, MSCU1234565", box)
        self.assertIn("MX0000999: not in the seal log", box)
        issued = response.content.decode().split('data-testid="issued-seals"')[1].split("</div>")[0]
        self.assertIn("MX0000003</a>: Ana Ruiz", issued)
        audit = self.company.seal_audits.get()
        self.assertEqual((audit.expected, audit.counted), (2, 3))
        self.assertEqual(
            (audit.missing, audit.unexpected), (["MX0000002"], ["MX0000004", "MX0000999"])
        )

    def test_the_evidence_shows_the_last_audit(self) -> None:
        from inspections.evidence import evidence_for

        workflow.audit(self.company, counted=["MX0000001"], by=self.users["admin"])
        figures = {f.label: f.value for f in evidence_for(self.company, "6.6")}
        self.assertIn("differences found", figures["Last seal inventory audit"])
