"""Evidence uploads: content checked by its bytes, size limit, SHA-256, versions, and no
half record when something fails."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from catalogue.models import Catalogue
from core.uploads import DOCX, JPEG, PDF, PNG, TEXT, XLSX, check_upload
from profiles.models import Evidence, EvidenceFile, SecurityProfile
from profiles.tests.factories import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ProfilesTestCase,
    criterion,
    make_catalogue,
    office_bytes,
    upload,
)


class CheckUploadTests(SimpleTestCase):
    def test_accepted_types_are_recognised_by_content(self) -> None:
        for name, content, kind in (
            ("policy.pdf", PDF_BYTES, PDF),
            ("gate.png", PNG_BYTES, PNG),
            ("seal.jpg", JPEG_BYTES, JPEG),
            ("seal.jpeg", JPEG_BYTES, JPEG),
            ("procedure.docx", office_bytes("docx"), DOCX),
            ("log.xlsx", office_bytes("xlsx"), XLSX),
            ("notes.txt", "Señal revisada\n".encode(), TEXT),
            ("partners.csv", b"name,country\nAcme,US\n", TEXT),
        ):
            with self.subTest(name=name):
                checked = check_upload(upload(name, content))
                self.assertEqual(checked.kind, kind)
                self.assertEqual(checked.sha256, hashlib.sha256(content).hexdigest())
                self.assertEqual(checked.size, len(content))

    def test_a_program_renamed_pdf_is_refused_saying_what_it_is(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            check_upload(upload("invoice.pdf", EXE_BYTES))
        message = caught.exception.messages[0]
        self.assertIn("“invoice.pdf” is a Windows program, whatever its name says", message)
        self.assertIn("Accepted: .csv, .docx, .jpeg, .jpg, .pdf, .png, .txt, .xlsx", message)

    def test_content_and_extension_must_agree(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            check_upload(upload("photo.pdf", PNG_BYTES))
        self.assertIn("named .pdf but its content is a PNG image", caught.exception.messages[0])

    def test_other_files_are_refused(self) -> None:
        for name, content in (
            ("archive.zip", office_bytes("docx")[:10] + b"\x00" * 50),
            ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50),
            ("blob.bin", bytes(range(256))),
            ("empty.pdf", b""),
        ):
            with self.subTest(name=name), self.assertRaises(ValidationError):
                check_upload(upload(name, content))

    def test_a_zip_that_is_not_an_office_document_is_refused(self) -> None:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("payload.exe", EXE_BYTES)
        with self.assertRaises(ValidationError):
            check_upload(upload("report.docx", buffer.getvalue()))

    @override_settings(CTPAT_UPLOAD_MAX_MB=1)
    def test_files_over_the_size_limit_are_refused(self) -> None:
        big = PDF_BYTES + b"0" * (1024 * 1024)
        with self.assertRaises(ValidationError) as caught:
            check_upload(upload("big.pdf", big))
        self.assertIn("files may be at most 1 MB", caught.exception.messages[0])


class EvidenceUploadTests(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)

    def post(self, name: str, content: bytes, **extra: Any) -> Any:
        self.login("user")
        url = reverse(
            "profiles:evidence-upload", args=[self.company.pk, criterion(self.catalogue, "3.1").pk]
        )
        data = {"title": "Screening procedure", "file": upload(name, content), **extra}
        return self.client.post(url, data)

    def stored_files(self) -> list[Path]:
        root = Path(settings.MEDIA_ROOT) / "evidence" / str(self.company.pk)
        return sorted(root.glob("*")) if root.exists() else []

    def test_an_upload_stores_the_file_with_its_hash(self) -> None:
        response = self.post("procedure.pdf", PDF_BYTES)
        self.assertEqual(response.status_code, 302)
        file = EvidenceFile.objects.get()
        self.assertEqual(file.sha256, hashlib.sha256(PDF_BYTES).hexdigest())
        self.assertEqual(file.content_type, "application/pdf")
        self.assertEqual(file.original_name, "procedure.pdf")
        self.assertEqual(file.version, 1)
        with file.file.open("rb") as handle:
            self.assertEqual(handle.read(), PDF_BYTES)
        self.profile.refresh_from_db()
        self.assertTrue(self.profile.has_unsubmitted_changes)

    def test_a_disguised_program_is_refused_with_a_clear_message(self) -> None:
        before = self.stored_files()
        response = self.post("invoice.pdf", EXE_BYTES)
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "is a Windows program, whatever its name says", status_code=400
        )
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(self.stored_files(), before)

    def test_a_failure_while_writing_leaves_no_row_and_no_file(self) -> None:
        before = self.stored_files()
        with mock.patch.object(EvidenceFile, "save", side_effect=RuntimeError("disk full")):
            with self.assertRaises(RuntimeError):
                self.post("procedure.pdf", PDF_BYTES)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(self.stored_files(), before)

    def test_a_retried_upload_creates_one_evidence(self) -> None:
        key = "0b3c0d6e-8f5a-4d3e-9a51-3c7d2a1f4b60"
        before = self.stored_files()
        self.post("procedure.pdf", PDF_BYTES, submission_key=key)
        again = self.post("procedure.pdf", PDF_BYTES, submission_key=key)
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Evidence.objects.count(), 1)
        self.assertEqual(len(self.stored_files()) - len(before), 1)

    def test_a_new_version_keeps_the_old_one(self) -> None:
        self.post("procedure.pdf", PDF_BYTES)
        evidence = Evidence.objects.get()
        url = reverse("profiles:evidence-version-upload", args=[self.company.pk, evidence.pk])
        new = PDF_BYTES + b"% revised\n"
        self.client.post(url, {"file": upload("procedure-v2.pdf", new)})
        versions = list(evidence.files.order_by("version").values_list("version", "sha256"))
        self.assertEqual(
            versions,
            [(1, hashlib.sha256(PDF_BYTES).hexdigest()), (2, hashlib.sha256(new).hexdigest())],
        )
        page = self.client.get(evidence.response.get_absolute_url())
        self.assertContains(page, "procedure.pdf")
        self.assertContains(page, "procedure-v2.pdf")

    def test_a_bad_new_version_is_refused_and_the_old_one_stays(self) -> None:
        self.post("procedure.pdf", PDF_BYTES)
        evidence = Evidence.objects.get()
        url = reverse("profiles:evidence-version-upload", args=[self.company.pk, evidence.pk])
        response = self.client.post(url, {"file": upload("v2.pdf", EXE_BYTES)}, follow=True)
        self.assertContains(response, "is a Windows program")
        self.assertEqual(evidence.files.count(), 1)

    def test_download_returns_the_file_with_the_type_found_on_upload(self) -> None:
        self.post("procedure.pdf", PDF_BYTES)
        file = EvidenceFile.objects.get()
        self.login("specialist")
        response = self.client.get(file.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        # A PDF may be shown in the browser; any type that could run script is an
        # attachment (core/tests/test_files.py).
        self.assertEqual(response["Content-Disposition"], 'inline; filename="procedure.pdf"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(b"".join(response.streaming_content), PDF_BYTES)  # type: ignore[attr-defined]
