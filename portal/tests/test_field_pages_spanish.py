"""Every visible string on the field pages is Spanish when the inspector reads in Spanish.

Each page field staff use is rendered twice, in English and in Spanish. A piece of visible
text (a text node, or an attribute a person sees or hears: placeholder, aria-label, title,
alt, a button's value) that reads the same in both languages and is neither data of the
test world nor on the short allow-list of proper nouns and codes is a string nobody
translated, and the test names it with its page.
"""

from __future__ import annotations

import datetime
import re
import uuid
from html.parser import HTMLParser

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import open_incident
from inspections.checklists import builtin
from inspections.models import Inspection
from inspections.workflow import PointAnswer, record_inspection
from portal.testing import PersonaTestCase
from profiles.tests.factories import make_catalogue
from seals import workflow as seals
from seals.models import Seal
from siteaudits import workflow as siteaudits
from siteaudits.models import SiteAudit
from siteaudits.tests.world import make_partner, plan
from training.models import TrainingRecord, TrainingSession
from training.tests import factories

# Words and codes that are the same in English and Spanish.
ALLOWED = {
    "OpenCTPAT",
    "CTPAT",
    "CBP",
    "SCSS",
    "VVTT",
    # Each language named in its own tongue (the sheet's language choice).
    "English",
    "Español",
    "ES",
    "EN",
    "PDF",
    "ISO 17712",
    "N/A",
    "#",
    "No",
    "1-800-BE-ALERT",
    "Total",
    "Inspector",
    "Auditor",
}
# Text made only of numbers, dates, times, codes and punctuation is not a sentence.
NOT_WORDS = re.compile(r"^[\W\d_]*$|^[A-Z0-9]{2,}[\dA-Z\-/ ·:.]*$")
SEEN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")


class VisibleText(HTMLParser):
    """The strings of a page that a person sees or hears, in document order."""

    SKIP = {"script", "style", "template", "head"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        values = dict(attrs)
        for name in SEEN_ATTRIBUTES:
            if values.get(name):
                self.texts.append(str(values[name]))
        # The offline queue's messages wait in data-msg-* attributes until a script shows them.
        for name, value in attrs:
            if name.startswith("data-msg") and value:
                self.texts.append(value)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.texts.append(text)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


class FieldPagesSpanishTests(PersonaTestCase):
    seal: Seal
    inspection: Inspection
    incident: Incident
    session: TrainingSession
    record: TrainingRecord
    site_audit: SiteAudit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        company = cls.company
        user = cls.users["user"]
        admin = cls.users["admin"]
        seals.receive_range(
            company,
            numbers=seals.range_numbers("TFB", 1, 3, 7),
            manufacturer="TydenBrooks",
            iso_class="H",
            certificate_ref="ISO17712 H cert 778",
            storage_location="Safe 1",
            by=admin,
        )
        cls.seal = Seal.objects.get(number="TFB0000001")
        seals.issue(cls.seal, to="Luis Pérez", by=admin)
        truck = builtin()["truck17"]
        answers = {p.key: PointAnswer(result="pass") for p in truck.points}
        answers["floor"] = PointAnswer(result="fail", note="loose boards")
        cls.inspection = record_inspection(
            company,
            truck,
            client_key=uuid.uuid4(),
            fields={
                "iit_number": "TRLU7788990",
                "direction": "outbound",
                "performed_at": timezone.now(),
                "seal_number": "TFB0000001",
                "pest_checked": True,
                "vvtt_view": True,
                "vvtt_verify": True,
                "vvtt_tug": True,
                "vvtt_twist": True,
            },
            answers=answers,
            inspector=user,
        ).inspection
        cls.incident = open_incident(
            company,
            kind="tampering",
            title="TRLU7788990 floor",
            description="loose boards",
            reporter=user,
            inspection=cls.inspection,
            seal=cls.seal,
        )
        course = factories.course(company, title_en="Threat awareness", title_es="Amenazas")
        worker = factories.employee(company, "Luis", "Pérez")
        today = datetime.date.today()
        cls.session = factories.session(course, today)
        cls.record = factories.record(worker, course, today, session=cls.session)
        make_catalogue()
        partner = make_partner(company, name="Textiles Lerma")
        cls.site_audit = plan(company, partner, user)
        first = cls.site_audit.items.get(position=1)
        siteaudits.record_item(first, result="not_met", severity="major", notes="gate", by=user)

    def pages(self) -> dict[str, str]:
        c = self.company.pk
        return {
            "inspection list": reverse("inspections:inspection-list", args=[c]),
            **{
                f"{key} inspection form": reverse("inspections:inspection-create", args=[c, key])
                for key in builtin()
            },
            "inspection": reverse("inspections:inspection-detail", args=[c, self.inspection.pk]),
            "gate log": reverse("inspections:gate-list", args=[c]),
            "seal log": reverse("seals:seal-list", args=[c]),
            "seal": reverse("seals:seal-detail", args=[c, self.seal.pk]),
            "receive seals": reverse("seals:seal-receive", args=[c]),
            "incident list": reverse("incidents:incident-list", args=[c]),
            "incident form": reverse("incidents:incident-create", args=[c])
            + f"?inspection={self.inspection.pk}&point=floor",
            "incident": reverse("incidents:incident-detail", args=[c, self.incident.pk]),
            "training session": reverse("training:session-detail", args=[c, self.session.pk]),
            "training sign-in": reverse("training:record-sign", args=[c, self.record.pk]),
            "site audit": reverse("siteaudits:audit-detail", args=[c, self.site_audit.pk]),
        }

    def data_of_the_world(self) -> set[str]:
        """Names, numbers and addresses the test world typed in: the same in any language."""
        return {
            self.company.legal_name,
            "TydenBrooks",
            "Safe 1",
            "ISO17712 H cert 778",
            "Luis Pérez",
            "Pérez, Luis",
            "Threat awareness",
            "loose boards",
            "TRLU7788990 floor",
            "R. Soto",
            "Reporting suspicious activity",
            "Textiles Lerma",
            "gate",
            *(f"Criterion {ref} summary" for ref in ("1.1", "1.2", "3.8", "4.1")),
            *("1.1", "1.2", "3.8", "4.1"),
            *(u.email for u in self.users.values()),
        }

    def render(self, url: str, language: str) -> str:
        self.client.cookies["django_language"] = language
        response = self.client.get(url, headers={"accept-language": language})
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def untranslated(self, english: list[str], spanish: list[str]) -> list[str]:
        known = ALLOWED | self.data_of_the_world()
        return sorted(
            {
                text
                for text in spanish
                if text in set(english)
                and text not in known
                and not NOT_WORDS.match(text)
                and not any(text.strip(" ·:.,()") == k for k in known)
            }
        )

    def test_no_field_page_shows_an_english_string_in_spanish(self) -> None:
        self.login("user")
        for name, url in self.pages().items():
            english = visible_text(self.render(url, "en"))
            spanish = visible_text(self.render(url, "es"))
            with self.subTest(page=name):
                self.assertEqual(
                    self.untranslated(english, spanish), [], f"untranslated on the {name} page"
                )

    def test_the_managers_seal_audit_reads_in_spanish(self) -> None:
        """The inventory audit is a manager's field page (the inspector does not see it)."""
        self.login("admin")
        url = reverse("seals:seal-audit", args=[self.company.pk])
        english = visible_text(self.render(url, "en"))
        spanish = visible_text(self.render(url, "es"))
        self.assertEqual(self.untranslated(english, spanish), [])

    def refused_forms(self) -> dict[str, str]:
        """Each field form, for a post with nothing filled in."""
        c = self.company.pk
        return {
            **{
                f"{key} inspection form": reverse("inspections:inspection-create", args=[c, key])
                for key in builtin()
            },
            "gate entry": reverse("inspections:gate-list", args=[c]),
            "receive seals": reverse("seals:seal-receive", args=[c]),
            "incident form": reverse("incidents:incident-create", args=[c]),
            "training sign-in": reverse("training:record-sign", args=[c, self.record.pk]),
        }

    def refusal(self, url: str, language: str, accept: str) -> list[str]:
        self.client.cookies["django_language"] = language
        response = self.client.post(
            url, {}, headers={"accept-language": language, "accept": accept}
        )
        self.assertIn(response.status_code, (200, 400), url)
        if "json" in response["Content-Type"]:
            return json_strings(response.json())
        return visible_text(response.content.decode())

    def test_every_refusal_of_a_field_form_is_worded_in_spanish(self) -> None:
        """The page re-shown with its errors, and the JSON the offline queue reads."""
        self.login("user")
        for name, url in self.refused_forms().items():
            for accept in ("text/html", "application/json"):
                english = self.refusal(url, "en", accept)
                spanish = self.refusal(url, "es", accept)
                with self.subTest(form=name, accept=accept):
                    self.assertNotEqual(english, spanish, "no error was shown")
                    self.assertEqual(
                        self.untranslated(english, spanish), [], f"untranslated: {name}"
                    )


def json_strings(value: object) -> list[str]:
    """Every string a person reads in a JSON refusal: the messages and labels, not the
    field names and element ids the script links them with."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("field", "id") for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


class VisibleTextTests(TestCase):
    def test_it_reads_text_and_spoken_attributes_but_not_scripts(self) -> None:
        html = (
            '<p>Hola <b>mundo</b></p><script>var x = "code";</script>'
            '<input aria-label="Buscar"><input type="submit" value="Enviar"><style>p{}</style>'
        )
        self.assertEqual(visible_text(html), ["Hola", "mundo", "Buscar", "Enviar"])

    def test_an_untranslated_string_is_caught(self) -> None:
        english = set(visible_text("<h1>Seal log</h1><p>TFB0000001</p>"))
        spanish = visible_text("<h1>Seal log</h1><p>TFB0000001</p>")
        caught = [t for t in spanish if t in english and not NOT_WORDS.match(t)]
        self.assertEqual(caught, ["Seal log"])
