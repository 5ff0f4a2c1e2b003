"""The objects permission cases and tests point at: one employee with a role, a
screening, an acknowledgement with a signed copy, all in the main test company."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from personnel.models import ConductAcknowledgement, Employee, Screening, SecurityRole
from portal.testing import PersonaTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def stored(name: str, content: bytes) -> str:
    """A file in the default storage under a fixed name (written once, reused)."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


def make_people(t: Any) -> None:
    company = t.company
    t.role = SecurityRole.objects.create(
        company=company, code="guard", name_en="Guard", name_es="Guardia"
    )
    t.employee = Employee.objects.create(
        company=company, first_name="Ana", last_name="Ruiz", employee_number="E-1"
    )
    t.employee.roles.set([t.role])
    t.screening = Screening.objects.create(
        company=company,
        employee=t.employee,
        kind="background",
        checked_items="Criminal record",
        checked_on=datetime.date(2025, 1, 10),
        outcome="clear",
        outcome_details="Minor traffic offence 2019",
        notes="Reviewed by HR",
    )
    t.ack = ConductAcknowledgement.objects.create(
        company=company,
        employee=t.employee,
        code_version="2025-01",
        acknowledged_on=datetime.date(2025, 1, 11),
    )
    t.ack.evidence.name = stored("tests/personnel/ack.pdf", PDF)
    t.ack.save()


class TempMedia:
    """Mixin for TestCase classes that upload files: MEDIA_ROOT is a fresh temporary
    folder for the class, removed afterwards."""

    _media_override: Any
    _media_dir: Any

    @classmethod
    def setUpClass(cls) -> None:
        import tempfile

        from django.test import override_settings

        cls._media_dir = tempfile.TemporaryDirectory()
        cls._media_override = override_settings(MEDIA_ROOT=cls._media_dir.name)
        cls._media_override.enable()
        super().setUpClass()  # type: ignore[misc]

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()  # type: ignore[misc]
        cls._media_override.disable()
        cls._media_dir.cleanup()


class WithPeople(TempMedia, PersonaTestCase):
    """Personas plus the objects of `make_people`, and a temporary MEDIA_ROOT."""

    role: SecurityRole
    employee: Employee
    screening: Screening
    ack: ConductAcknowledgement

    def setUp(self) -> None:
        super().setUp()
        make_people(self)
