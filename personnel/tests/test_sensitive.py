"""Screening details: only company officers and admins see them, and every view is logged."""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from django.urls import reverse

from personnel.models import Screening, SensitiveAccessLog
from personnel.sensitive import can_see_sensitive
from personnel.tests.world import WithPeople

SECRET = "Minor traffic offence 2019"


class SensitiveFieldTests(WithPeople):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("personnel:screening-detail", args=[self.company.pk, self.screening.pk])

    def test_only_officers_and_admins_may_see_sensitive_fields(self) -> None:
        allowed = {p for p in self.users if can_see_sensitive(self.users[p], self.company)}
        self.assertEqual(allowed, {"admin", "officer"})

    def test_managers_see_the_details_and_each_view_is_logged(self) -> None:
        for persona in ("admin", "officer"):
            self.login(persona)
            response = self.client.get(self.url)
            self.assertContains(response, SECRET)
            self.assertContains(response, "Reviewed by HR")
        log = SensitiveAccessLog.objects.filter(employee=self.employee).order_by("pk")
        self.assertEqual(
            [(e.user_email, e.channel) for e in log],
            [("admin@acme.test", "page"), ("officer@acme.test", "page")],
        )
        self.client.get(self.url)
        self.assertEqual(
            SensitiveAccessLog.objects.filter(employee=self.employee).count(),
            3,
            "every view is logged, not only the first",
        )

    def test_other_roles_and_program_office_see_the_outcome_but_not_the_details(self) -> None:
        for persona in ("viewer", "user", "consultant", "specialist", "supervisor"):
            with self.subTest(persona=persona):
                self.login(persona)
                response = self.client.get(self.url)
                self.assertContains(response, "Clear")
                self.assertNotContains(response, SECRET)
                self.assertNotContains(response, "Reviewed by HR")
        self.assertFalse(SensitiveAccessLog.objects.exists())

    def test_the_edit_form_counts_as_a_view(self) -> None:
        self.login("admin")
        self.client.get(
            reverse("personnel:screening-edit", args=[self.company.pk, self.screening.pk])
        )
        self.assertEqual(SensitiveAccessLog.objects.get().channel, "edit")

    def test_the_access_log_page_lists_who_saw_what(self) -> None:
        self.login("officer")
        self.client.get(self.url)
        self.login("admin")
        response = self.client.get(reverse("personnel:access-log", args=[self.company.pk]))
        self.assertContains(response, "officer@acme.test")
        self.assertContains(response, "Ana Ruiz")

    def test_the_audit_trail_does_not_copy_the_sensitive_text(self) -> None:
        self.screening.outcome_details = "Second conviction found"
        self.screening.save()
        entries = LogEntry.objects.get_for_object(self.screening)
        self.assertTrue(entries.exists())
        dump = json.dumps([e.changes for e in entries], default=str)
        self.assertNotIn("conviction", dump)
        self.assertNotIn(SECRET, dump)

    def test_recording_a_check_needs_the_manage_right(self) -> None:
        data = {
            "employee": self.employee.pk,
            "kind": "pre_employment",
            "checked_items": "References",
            "checked_on": "2025-01-05",
            "outcome": "clear",
            "outcome_details": "Both references confirmed",
        }
        url = reverse("personnel:screening-create", args=[self.company.pk])
        self.login("user")
        self.assertEqual(self.client.post(url, data).status_code, 404)
        self.login("admin")
        self.assertEqual(self.client.post(url, data).status_code, 302)
        created = Screening.objects.get(kind="pre_employment")
        self.assertEqual(created.recorded_by, self.users["admin"])

    def test_a_recheck_must_be_due_after_the_check(self) -> None:
        self.login("admin")
        response = self.client.post(
            reverse("personnel:screening-create", args=[self.company.pk]),
            {
                "employee": self.employee.pk,
                "kind": "background",
                "checked_items": "Record",
                "checked_on": "2025-01-05",
                "outcome": "clear",
                "recheck_due": "2024-12-31",
            },
        )
        self.assertContains(response, "The re-check must be due after the check date.")
