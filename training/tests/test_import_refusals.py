"""Broken and hostile attendance files are refused with a 400 page that says why, and
store no training record; the file's size is checked before it is read (the checks are
shared by every import: core.tests.bad_files.RefusedFileChecks)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from core.tests.bad_files import RefusedFileChecks
from portal.testing import PersonaTestCase
from training.models import TrainingRecord
from training.tests import factories as f


class RefusedAttendanceFileTests(RefusedFileChecks, PersonaTestCase):
    header = ("employee_number", "quiz_score")
    row = ("E-1", "90")
    nul_column = 0
    stem = "attendance"
    model = TrainingRecord

    def setUp(self) -> None:
        guard = f.role(self.company, "guard")
        course = f.course(self.company, roles=[guard])
        f.employee(self.company, "Ana", "Ruiz", employee_number="E-1", roles=[guard])
        session = f.session(course, datetime.date(2025, 6, 2))
        self.url = reverse("training:attendance-import", args=[self.company.pk, session.pk])
        self.login("user")
        self.client.get(self.url)
