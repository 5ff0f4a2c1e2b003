"""Uploaded files are served only through a permission check (core/files.py): never from
MEDIA_URL, not even with DEBUG; only to the company's members (and program office), with
the stricter rule personnel applies to signed copies; with headers that keep browsers
from guessing types or caching; and handed to the proxy or object storage when asked."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.test import override_settings
from django.urls import clear_url_caches, get_resolver, reverse
from django.views.static import serve as static_serve
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from core import files
from core.uploads import RandomUploadTo, random_name
from incidents.models import Incident
from incidents.workflow import open_incident
from personnel.models import SensitiveAccessLog
from personnel.tests.world import PDF, PNG, make_people, stored
from portal.testing import PersonaTestCase

RANDOM_DIR = re.compile(r"^[0-9a-f]{32}$")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _reload_urlconf() -> None:
    """Build the URL map again under the current settings (it reads DEBUG at import)."""
    import portal.urls

    clear_url_caches()
    importlib.reload(portal.urls)
    clear_url_caches()


def _patterns(resolver: Any = None) -> list[Any]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if hasattr(entry, "url_patterns"):
            found += _patterns(entry)
        else:
            found.append(entry)
    return found


class FileWorld(PersonaTestCase):
    """One incident with an attachment and one signed code-of-conduct copy in the main
    company; an incident with an attachment in the other company."""

    incident: Incident
    foreign: Incident
    ack: Any
    employee: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_people(cls)
        cls.incident = open_incident(
            cls.company, kind="tampering", title="Broken lock", description="Lock cut."
        )
        cls.incident.attachment.name = stored("tests/incidents/lock.pdf", PDF)
        cls.incident.save()
        cls.foreign = open_incident(
            cls.other_company, kind="tampering", title="Candado", description="Cortado."
        )
        cls.foreign.attachment.name = stored("tests/incidents/candado.pdf", PDF)
        cls.foreign.save()

    def file_url(self, obj: models.Model, field: str) -> str:
        return files.protected_url(obj, field)


class MediaIsNeverServedTests(FileWorld):
    def tearDown(self) -> None:
        _reload_urlconf()  # back to the URL map of the normal test settings
        super().tearDown()

    def test_a_stored_file_is_not_served_under_media_even_with_debug(self) -> None:
        with override_settings(DEBUG=True):
            _reload_urlconf()
            path = "/" + settings.MEDIA_URL.lstrip("/") + str(self.incident.attachment.name)
            self.assertEqual(self.client.get(path).status_code, 404)
            self.login("officer")
            self.assertEqual(self.client.get(path).status_code, 404)
            views = [getattr(p.callback, "__wrapped__", p.callback) for p in _patterns()]
            self.assertNotIn(static_serve, views, "a URL serves files without a check")

    def test_the_storage_url_of_a_file_answers_nothing(self) -> None:
        self.login("officer")
        self.assertEqual(self.client.get(self.incident.attachment.url).status_code, 404)


class ProtectedDownloadTests(FileWorld):
    def test_a_member_gets_the_file_with_safe_headers(self) -> None:
        self.login("viewer")
        response = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(_body(response), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="lock.pdf"')

    def test_program_office_staff_read_it_too(self) -> None:
        self.login("specialist")
        response = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(response.status_code, 200)

    def test_another_companys_file_is_not_found(self) -> None:
        self.login("admin")
        self.assertEqual(
            self.client.get(self.file_url(self.foreign, "attachment")).status_code, 404
        )
        self.login("other")
        self.assertEqual(
            self.client.get(self.file_url(self.incident, "attachment")).status_code, 404
        )

    def test_an_anonymous_visitor_is_sent_to_sign_in(self) -> None:
        response = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_only_registered_upload_fields_can_be_asked_for(self) -> None:
        self.login("officer")
        for label, field in [
            ("incidents.incident", "title"),
            ("incidents.incident", "nothing"),
            ("accounts.user", "password"),
            ("nowhere.model", "file"),
        ]:
            url = reverse("core:file", args=[label, self.incident.pk, field])
            with self.subTest(label=label, field=field):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_record_without_a_file_is_not_found(self) -> None:
        empty = open_incident(self.company, kind="other", title="Nothing", description="-")
        self.login("officer")
        url = reverse("core:file", args=["incidents.incident", empty.pk, "attachment"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_only_images_and_pdf_are_shown_in_the_browser(self) -> None:
        self.login("officer")
        cases = {
            "photo.png": ("inline", PNG),
            "notes.txt": ("attachment", b"plain words\n"),
            "drawing.svg": ("attachment", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "page.html": ("attachment", b"<script>alert(1)</script>"),
        }
        for name, (disposition, content) in cases.items():
            with self.subTest(name=name):
                self.incident.attachment.name = stored(f"tests/incidents/{name}", content)
                self.incident.save()
                response = self.client.get(self.file_url(self.incident, "attachment"))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response["Content-Disposition"].startswith(disposition))
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_the_app_download_views_answer_the_same_headers(self) -> None:
        self.login("admin")
        response = self.client.get(
            reverse("personnel:acknowledgement-file", args=[self.company.pk, self.ack.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")


class SignedCopyTests(FileWorld):
    """A code-of-conduct signed copy is a personal document: managers only, logged."""

    def urls(self) -> list[str]:
        return [
            reverse("personnel:acknowledgement-file", args=[self.company.pk, self.ack.pk]),
            self.file_url(self.ack, "evidence"),
        ]

    def test_people_who_are_not_managers_get_not_found_and_nothing_is_logged(self) -> None:
        for persona in ("viewer", "user", "consultant", "specialist", "other"):
            self.login(persona)
            for url in self.urls():
                with self.subTest(persona=persona, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(SensitiveAccessLog.objects.exists())

    def test_a_managers_download_is_logged(self) -> None:
        self.login("admin")
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(_body(response), PDF)
        log = SensitiveAccessLog.objects.filter(employee=self.employee)
        self.assertEqual(log.count(), 2)
        self.assertEqual({e.channel for e in log}, {"file"})
        self.assertEqual({e.user_email for e in log}, {"admin@acme.test"})
        self.assertEqual({e.path for e in log}, set(self.urls()))


class ProxyAndStorageTests(FileWorld):
    @override_settings(
        CTPAT_FILE_SENDFILE="x-accel-redirect", CTPAT_FILE_ACCEL_PREFIX="/protected-media/"
    )
    def test_nginx_sends_the_bytes_after_our_check(self) -> None:
        self.login("viewer")
        response = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["X-Accel-Redirect"], "/protected-media/" + str(self.incident.attachment.name)
        )
        self.assertEqual(response.content, b"")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="lock.pdf"')
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.login("other")
        refused = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(refused.status_code, 404)
        self.assertNotIn("X-Accel-Redirect", refused)

    @override_settings(CTPAT_FILE_SENDFILE="x-sendfile")
    def test_apache_gets_the_absolute_path(self) -> None:
        self.login("viewer")
        response = self.client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(
            response["X-Sendfile"], default_storage.path(str(self.incident.attachment.name))
        )
        self.assertEqual(response.content, b"")

    def test_object_storage_answers_a_redirect_to_its_own_url(self) -> None:
        storage = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"base_url": "https://objects.example/bucket/"},
        }
        with override_settings(
            CTPAT_FILE_SENDFILE="redirect",
            STORAGES={**settings.STORAGES, "default": storage},
        ):
            self.login("viewer")
            response = self.client.get(self.file_url(self.incident, "attachment"))
            self.assertEqual(response.status_code, 302)
            self.assertEqual(
                response["Location"],
                "https://objects.example/bucket/" + str(self.incident.attachment.name),
            )
            self.assertEqual(response["Cache-Control"], "private, no-store")
            self.client.logout()
            anonymous = self.client.get(self.file_url(self.incident, "attachment"))
            self.assertIn("/accounts/login/", anonymous["Location"])


class ApiLinkTests(FileWorld):
    def test_the_api_gives_the_protected_address_and_a_token_opens_it(self) -> None:
        client = APIClient()
        _, key = issue_token(self.users["viewer"], name="files")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        body = client.get(reverse("api:incident-detail", args=[self.incident.pk])).json()
        url = body["attachment_url"]
        self.assertEqual(url, "http://testserver" + self.file_url(self.incident, "attachment"))
        self.assertNotIn(settings.MEDIA_URL, url)
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(_body(response), PDF)

    def test_a_wrong_token_is_refused(self) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        response = client.get(self.file_url(self.incident, "attachment"))
        self.assertEqual(response.status_code, 401)

    def test_an_empty_file_is_null_in_the_api(self) -> None:
        empty = open_incident(self.company, kind="other", title="Nothing", description="-")
        self.login("viewer")
        body = self.client.get(reverse("api:incident-detail", args=[empty.pk])).json()
        self.assertIsNone(body["attachment_url"])


class RegistryTests(FileWorld):
    def test_every_file_field_is_registered(self) -> None:
        registered = files.registered()
        missing = [
            f"{model._meta.label}.{field.name}"
            for model in apps.get_models()
            for field in model._meta.get_fields()
            if isinstance(field, models.FileField)
            and f"{model._meta.label_lower}/{field.name}" not in registered
        ]
        self.assertEqual(missing, [], "upload fields nobody may download (register them)")

    def test_new_uploads_get_an_unguessable_name_that_keeps_the_users_name(self) -> None:
        first = RandomUploadTo("training/sheets")(None, "Hoja firmada.pdf")
        second = random_name("training/sheets", "../../Hoja firmada.pdf")
        for name in (first, second):
            prefix, folder, base = name.split("/")[:-2], name.split("/")[-2], name.split("/")[-1]
            self.assertEqual("/".join(prefix), "training/sheets")
            self.assertRegex(folder, RANDOM_DIR)
            self.assertEqual(base, "Hoja_firmada.pdf")
        self.assertNotEqual(first, second)


class UploadNameTests(PersonaTestCase):
    session: Any
    course: Any

    def test_an_uploaded_sign_in_sheet_is_stored_under_a_random_folder(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from training.tests.permissions import make_training

        make_training(self)
        self.login("admin")
        url = reverse("training:session-edit", args=[self.company.pk, self.session.pk])
        data = {"course": self.course.pk, "held_on": "2025-06-02", "trainer": "R", "topics": "T"}
        sheet = SimpleUploadedFile("sheet.pdf", PDF)
        self.assertEqual(self.client.post(url, {**data, "sign_in_sheet": sheet}).status_code, 302)
        self.session.refresh_from_db()
        parts = Path(self.session.sign_in_sheet.name).parts
        self.assertEqual(parts[:2], ("training", "sheets"))
        self.assertRegex(parts[2], RANDOM_DIR)
        self.assertEqual(parts[3], "sheet.pdf")
        download = self.client.get(files.protected_url(self.session, "sign_in_sheet"))
        self.assertEqual(download["Content-Disposition"], 'inline; filename="sheet.pdf"')
