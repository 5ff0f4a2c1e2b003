"""Read-only records as documents: Markdown is rendered and cannot carry HTML or scripts;
recorded changes read "—", "Yes" and "No" instead of "None", "True" and "False"."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from accounts.models import User
from core.documents import changes_display, changes_html, markdown_html, readable_value
from inspections.models import Inspection
from partners.models import BusinessPartner
from personnel.models import Employee


class MarkdownTests(SimpleTestCase):
    def test_headings_lists_and_emphasis_are_rendered(self) -> None:
        html = markdown_html("# Title\n\n## 1. Purpose\n\n1. one\n2. *two*\n")
        self.assertIn("<h1>Title</h1>", html)
        self.assertIn("<h2>1. Purpose</h2>", html)
        self.assertIn("<li><em>two</em></li>", html)

    def test_raw_html_and_script_links_do_not_pass(self) -> None:
        html = markdown_html(
            '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="x">b</b>'
        )
        self.assertNotIn("<script>", html)
        self.assertNotIn('href="javascript:', html)
        self.assertNotIn("<b ", html)
        self.assertIn("&lt;script&gt;", html)


class ReadableValueTests(SimpleTestCase):
    def test_empty_and_boolean_values(self) -> None:
        for raw in (None, "", "None", "[]"):
            self.assertEqual(readable_value(raw), "—")
        self.assertEqual(readable_value("True"), "Yes")
        self.assertEqual(readable_value("False"), "No")
        self.assertEqual(readable_value("1"), "1")


class ChangesDisplayTests(TestCase):
    """`changes_display` is a faster django-auditlog `changes_display_dict`: it must answer
    the same labels and values, in every language, for choices, dates, times, relations,
    flags and fields the model no longer has."""

    def entry(self, model: type[models.Model], changes: dict[str, list[str]]) -> LogEntry:
        return LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_pk="1",
            object_repr="x",
            action=LogEntry.Action.UPDATE,
            changes=changes,
        )

    def test_it_answers_what_django_auditlog_answers(self) -> None:
        user = User.objects.create_user(email="someone@acme.test", password="x")
        entries = [
            self.entry(
                BusinessPartner,
                {
                    "country": ["MX", "CN"],
                    "role": ["manufacturer", "highway_carrier"],
                    "name": ["Old", "New " * 100],
                    "yearly_volume": ["1", "2"],
                    "gone": ["a", "b"],
                    "created_at": ["2026-12-07 11:31:00.123456+00:00", "None"],
                },
            ),
            self.entry(
                Inspection,
                {
                    "performed_at": ["2026-01-02 03:04:05+00:00", "not a date"],
                    "direction": ["outbound", "yard"],
                    "inspector": ["None", str(user.pk)],
                    "pest_found": ["False", "True"],
                },
            ),
            self.entry(Employee, {"hire_date": ["2024-02-29", ""], "active": ["True", "False"]}),
        ]
        for language in ("en", "es"):
            with translation.override(language):
                for entry in entries:
                    expected = {
                        str(k): [str(v) for v in vs] for k, vs in entry.changes_display_dict.items()
                    }
                    shown = {
                        str(k): [str(v) for v in vs] for k, vs in changes_display(entry).items()
                    }
                    self.assertEqual(shown, expected)
        self.assertIn("someone@acme.test", str(changes_display(entries[1])))

    def test_a_created_record_lists_its_fields_not_the_records_that_point_at_it(self) -> None:
        from companies.models import Company

        created = self.entry(
            Company,
            {
                "legal_name": ["None", "Acme Imports LLC"],
                "questionnaires": ["None", "questionnaires.Questionnaire.None"],
                "seals": ["None", "seals.Seal.None"],
            },
        )
        self.assertEqual(list(changes_display(created)), ["legal name"])
        self.assertNotIn("None", changes_html(created).replace("legal name", ""))

    def test_the_trail_cell_escapes_and_shows_a_creation_without_before(self) -> None:
        changed = self.entry(BusinessPartner, {"name": ["Old <b>", "New & co"]})
        self.assertEqual(
            changes_html(changed), "<div><strong>Name</strong>: Old &lt;b&gt; → New &amp; co</div>"
        )
        changed.action = LogEntry.Action.CREATE
        self.assertEqual(changes_html(changed), "<div><strong>Name</strong>: New &amp; co</div>")
