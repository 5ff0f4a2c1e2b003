"""Recording sessions and attendance, signatures, materials, records and retraining."""

from __future__ import annotations

import base64
import datetime
import io
import zipfile

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from personnel.tests.world import PDF, PNG, TempMedia
from portal.testing import PersonaTestCase
from training.matrix import State, build_matrix
from training.models import Retraining, SessionMaterial, TrainingRecord, TrainingSession
from training.tests import factories as f

D = datetime.date
NOW = datetime.datetime(2025, 6, 10, 15, tzinfo=datetime.UTC)


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<doc/>")
    return buffer.getvalue()


@time_machine.travel(NOW, tick=False)
class AttendanceTests(TempMedia, PersonaTestCase):
    def setUp(self) -> None:
        self.guard = f.role(self.company, "guard")
        self.course = f.course(self.company, roles=[self.guard])
        self.people = [
            f.employee(self.company, first, "Ruiz", roles=[self.guard])
            for first in ("Ana", "Luis", "Eva")
        ]
        self.session = f.session(self.course, D(2025, 6, 2))
        self.url = reverse("training:attendance-add", args=[self.company.pk, self.session.pk])
        self.login("user")

    def states(self) -> list[State]:
        return [r.cells[0].state for r in build_matrix(self.company).rows]  # type: ignore[union-attr]

    def test_three_attendees_turn_the_matrix_green(self) -> None:
        self.assertEqual(self.states(), [State.MISSING] * 3)
        response = self.client.post(
            self.url, {"employees": [p.pk for p in self.people], "completed_on": "2025-06-02"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.states(), [State.DONE] * 3)
        record = TrainingRecord.objects.first()
        assert record is not None
        self.assertEqual((record.session, record.recorded_by), (self.session, self.users["user"]))

    def test_the_form_lists_nobody_and_the_lookup_finds_who_may_still_attend(self) -> None:
        for i in range(30):
            f.employee(self.company, f"Otro{i}", "Soto")
        page = self.client.get(self.session.get_absolute_url())
        self.assertNotContains(page, 'type="checkbox"')
        self.assertNotContains(page, "Otro1")
        lookup = reverse("training:attendee-lookup", args=[self.company.pk, self.session.pk])
        self.client.post(self.url, {"employees": [self.people[0].pk], "completed_on": "2025-06-02"})
        with self.assertNumQueries(7):
            found = self.client.get(lookup, {"q": "ruiz"})
        # Ana attended already; the others need the course (★); Soto does not match.
        self.assertNotContains(found, "Ana Ruiz")
        self.assertContains(found, "Luis Ruiz ★")
        self.assertContains(found, "Eva Ruiz ★")
        self.assertNotContains(found, "Soto")
        self.assertContains(self.client.get(lookup, {"q": "Otro1"}), "Otro1 Soto<")

    def test_a_refused_form_shows_the_people_already_picked(self) -> None:
        response = self.client.post(
            self.url,
            {"employees": [self.people[1].pk, self.people[2].pk], "completed_on": "2025-05-01"},
        )
        for person in self.people[1:]:
            self.assertContains(response, f'name="employees" value="{person.pk}"', status_code=400)
        self.assertContains(response, "Remove Eva Ruiz", status_code=400)

    def test_a_repeated_submission_records_nobody_twice(self) -> None:
        data = {"employees": [self.people[0].pk], "completed_on": "2025-06-02"}
        self.client.post(self.url, data)
        second = self.client.post(self.url, data)
        self.assertEqual(second.status_code, 400)  # already attended: no longer a choice
        self.assertEqual(TrainingRecord.objects.count(), 1)

    def test_a_record_cannot_be_backdated_before_the_session(self) -> None:
        response = self.client.post(
            self.url, {"employees": [self.people[0].pk], "completed_on": "2025-06-01"}
        )
        self.assertContains(
            response, "A record cannot be dated before its session (2025-06-02).", status_code=400
        )
        self.assertFalse(TrainingRecord.objects.exists())

    def test_the_model_refuses_backdating_too(self) -> None:
        record = TrainingRecord(
            company=self.company,
            employee=self.people[0],
            course=self.course,
            session=self.session,
            completed_on=D(2025, 5, 1),
        )
        with self.assertRaisesMessage(Exception, "cannot be dated before its session"):
            record.full_clean()

    def test_a_session_in_the_future_is_refused(self) -> None:
        response = self.client.post(
            reverse("training:session-create", args=[self.company.pk]),
            {
                "course": self.course.pk,
                "held_on": "2025-07-01",
                "trainer": "R. Soto",
                "topics": "Seals",
            },
        )
        self.assertContains(response, "the date is in the future")
        self.assertEqual(TrainingSession.objects.count(), 1)

    def test_another_companys_employee_cannot_be_recorded(self) -> None:
        stranger = f.employee(self.other_company, "X", "Y")
        response = self.client.post(
            self.url, {"employees": [stranger.pk], "completed_on": "2025-06-02"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(TrainingRecord.objects.exists())

    def test_the_sign_in_sheet_is_checked_by_content(self) -> None:
        url = reverse("training:session-edit", args=[self.company.pk, self.session.pk])
        data = {
            "course": self.course.pk,
            "held_on": "2025-06-02",
            "trainer": "R. Soto",
            "topics": "Reporting",
        }
        fake = SimpleUploadedFile("sheet.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)
        response = self.client.post(url, {**data, "sign_in_sheet": fake})
        self.assertContains(response, "“sheet.pdf” is a Windows program, whatever its name says")
        real = SimpleUploadedFile("sheet.pdf", PDF)
        self.assertEqual(self.client.post(url, {**data, "sign_in_sheet": real}).status_code, 302)
        self.session.refresh_from_db()
        download = self.client.get(
            reverse("training:session-sheet", args=[self.company.pk, self.session.pk])
        )
        self.assertEqual(b"".join(download.streaming_content), PDF)  # type: ignore[attr-defined]
        self.assertEqual(download["Content-Type"], "application/pdf")

    def test_materials_accept_office_files_and_refuse_wrong_or_large_ones(self) -> None:
        url = reverse("training:material-add", args=[self.company.pk, self.session.pk])
        ok = self.client.post(
            url, {"title": "Slides", "file": SimpleUploadedFile("s.pptx", office_file("ppt/"))}
        )
        self.assertEqual(ok.status_code, 302)
        cases = {
            "s.docx": (office_file("ppt/"), "named .docx but its content is a PowerPoint"),
            "run.exe": (b"MZ", "“run.exe” is a Windows program"),
            "notes.txt": (b"x" * (20 * 1024 * 1024 + 1), "files may be at most 20 MB"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name=name):
                response = self.client.post(url, {"file": SimpleUploadedFile(name, content)})
                self.assertContains(response, message, status_code=400)
        self.assertEqual(SessionMaterial.objects.count(), 1)

    def test_an_on_screen_signature_is_stored_as_png(self) -> None:
        self.client.post(self.url, {"employees": [self.people[0].pk], "completed_on": "2025-06-02"})
        record = TrainingRecord.objects.get()
        url = reverse("training:record-sign", args=[self.company.pk, record.pk])
        self.assertContains(self.client.get(url), "signature.js")
        empty = self.client.post(url, {"signature": ""})
        self.assertContains(empty, "Sign in the box before saving.", status_code=400)
        jpeg = "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8\xff").decode()
        self.assertContains(
            self.client.post(url, {"signature": jpeg}), "must be a PNG image", status_code=400
        )
        liar = "data:image/png;base64," + base64.b64encode(b"MZ not a png").decode()
        self.assertContains(
            self.client.post(url, {"signature": liar}), "is a Windows program", status_code=400
        )
        large = "data:image/png;base64," + base64.b64encode(PNG + b"0" * 400 * 1024).decode()
        self.assertContains(
            self.client.post(url, {"signature": large}),
            "files may be at most 300 KB",
            status_code=400,
        )
        good = "data:image/png;base64," + base64.b64encode(PNG).decode()
        self.assertEqual(self.client.post(url, {"signature": good}).status_code, 302)
        record.refresh_from_db()
        image = self.client.get(
            reverse("training:record-signature", args=[self.company.pk, record.pk])
        )
        self.assertEqual(image["Content-Type"], "image/png")

    def test_an_individual_record_outside_a_session(self) -> None:
        url = reverse("training:employee-records", args=[self.company.pk, self.people[0].pk])
        response = self.client.post(
            url, {"course": self.course.pk, "completed_on": "2025-06-01", "quiz_score": 90}
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(url)
        self.assertEqual([c.state for c in page.context["cells"]], [State.DONE])
        future = self.client.post(url, {"course": self.course.pk, "completed_on": "2025-06-11"})
        self.assertContains(future, "cannot be in the future")


@time_machine.travel(NOW, tick=False)
class RetrainViewTests(PersonaTestCase):
    def test_retraining_by_role_marks_the_course_due_now_with_the_reason(self) -> None:
        guard, driver = f.role(self.company, "guard"), f.role(self.company, "driver")
        course = f.course(self.company, roles=[guard, driver])
        ana = f.employee(self.company, "Ana", "Ruiz", roles=[guard])
        luis = f.employee(self.company, "Luis", "Gómez", roles=[driver])
        for person in (ana, luis):
            f.record(person, course, D(2025, 3, 1))
        self.login("user")
        url = reverse("training:course-retrain", args=[self.company.pk, course.pk])
        data = {"trigger": "procedure_change", "reason": "New seal procedure", "roles": [guard.pk]}
        self.client.post(url, data)
        self.client.post(url, data)
        self.assertEqual(Retraining.objects.count(), 1, "one request per person and day")
        cells = {r.employee: r.cells[0] for r in build_matrix(self.company).rows}
        self.assertEqual(cells[ana].state, State.DUE_SOON)  # type: ignore[union-attr]
        self.assertEqual(cells[ana].due_on, D(2025, 6, 10))  # type: ignore[union-attr]
        self.assertEqual(cells[ana].retraining, "New seal procedure")  # type: ignore[union-attr]
        self.assertEqual(cells[luis].state, State.DONE)  # type: ignore[union-attr]

    def test_people_to_retrain_are_searched_among_those_the_course_concerns(self) -> None:
        guard = f.role(self.company, "guard")
        course = f.course(self.company, roles=[guard])
        ana = f.employee(self.company, "Ana", "Ruiz", roles=[guard])
        f.employee(self.company, "Eva", "Ruiz")  # no role the course requires
        self.login("user")
        url = reverse("training:course-retrain", args=[self.company.pk, course.pk])
        self.assertNotContains(self.client.get(url), "Ana Ruiz")  # nobody listed up front
        lookup = reverse("training:course-people-lookup", args=[self.company.pk, course.pk])
        found = self.client.get(lookup, {"q": "ruiz"})
        self.assertContains(found, "Ana Ruiz")
        self.assertNotContains(found, "Eva Ruiz")
        data = {"trigger": "incident", "reason": "Gate 3", "employees": [ana.pk]}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(list(Retraining.objects.values_list("employee", flat=True)), [ana.pk])

    def test_retraining_needs_someone_to_apply_to(self) -> None:
        course = f.course(self.company)
        self.login("user")
        response = self.client.post(
            reverse("training:course-retrain", args=[self.company.pk, course.pk]),
            {"trigger": "incident", "reason": "Gate 3"},
        )
        self.assertContains(response, "Choose at least one role or one person")


class DashboardTests(PersonaTestCase):
    def test_the_first_visit_by_an_editor_loads_the_standard_programme(self) -> None:
        url = reverse("training:dashboard", args=[self.company.pk])
        self.login("viewer")
        self.assertContains(self.client.get(url), "no training courses yet")
        self.assertFalse(self.company.courses.exists())
        self.login("specialist")
        self.client.get(url)
        self.assertFalse(self.company.courses.exists(), "program office never writes")
        self.login("user")
        response = self.client.get(url)
        self.assertTrue(self.company.courses.filter(code="tbml").exists())
        self.assertContains(response, "Trade-based money laundering")

    def test_the_dashboard_is_in_spanish_for_spanish_users(self) -> None:
        self.login("user")
        url = reverse("training:dashboard", args=[self.company.pk])
        response = self.client.get(url, headers={"accept-language": "es"})
        self.assertContains(response, "Lavado de dinero basado en comercio")

    def test_field_staff_pages_are_in_spanish(self) -> None:
        guard = f.role(self.company, "guard", name_es="Guardia")
        course = f.course(self.company, roles=[guard])
        session = f.session(course, D(2025, 1, 10))
        f.employee(self.company, roles=[guard])
        self.login("user")
        spanish = {"accept-language": "es"}
        page = self.client.get(
            reverse("training:session-detail", args=[self.company.pk, session.pk]), headers=spanish
        )
        self.assertContains(page, "Registrar asistencia")
        self.assertContains(page, "Investigación de personal")
        matrix = self.client.get(
            reverse("training:matrix", args=[self.company.pk]), headers=spanish
        )
        self.assertContains(matrix, "Falta")

    def test_course_criteria_must_be_msc_ids(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("training:course-list", args=[self.company.pk]),
            {
                "code": "x",
                "title_en": "X",
                "criteria": "12.2, twelve",
                "refresher_months": 12,
                "pass_mark": 80,
            },
        )
        self.assertContains(response, "“twelve” is not an MSC criterion id")
