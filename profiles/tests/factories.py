"""Test data for security profiles, evidence, submissions, audits and actions."""

from __future__ import annotations

import atexit
import datetime
import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from catalogue import importers
from catalogue.models import Applicability, Catalogue, Criterion
from companies.models import Company
from portal.testing import PersonaTestCase
from profiles.models import Evidence, EvidenceFile, Response, SecurityProfile, Submission
from profiles.readiness import compute_readiness
from profiles.snapshots import build_snapshot

# (ID, level, business types, verified for)
SMALL_CATALOGUE: list[tuple[str, str, list[str], list[str]]] = [
    ("1.1", "should", ["importer", "highway_carrier", "customs_broker"], ["importer"]),
    ("1.2", "must", ["importer", "highway_carrier", "customs_broker"], ["importer"]),
    ("3.1", "must", ["importer"], ["importer"]),
    ("3.8", "must", ["highway_carrier"], []),
    ("4.1", "must", ["importer", "highway_carrier", "customs_broker"], []),
    ("4.2", "should", ["importer"], ["importer"]),
]
CATEGORY_NAMES = {
    1: ("Corporate Security", "Security Vision & Responsibility"),
    3: ("Corporate Security", "Business Partners"),
    4: ("Corporate Security", "Cybersecurity"),
}

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_bytes(kind: str) -> bytes:
    """A minimal Office Open XML package: "docx" or "xlsx"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str = "policy.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def make_catalogue(
    rows: Iterable[tuple[str, str, list[str], list[str]]] = SMALL_CATALOGUE,
    *,
    version: str = "test-1",
    effective: datetime.date = datetime.date(2020, 1, 1),
) -> Catalogue:
    catalogue = Catalogue.objects.create(
        slug="ctpat-msc",
        version=version,
        name="Test MSC",
        effective_date=effective,
        source_sha256="0" * 64,
    )
    rows = list(rows)
    criteria = Criterion.objects.bulk_create(
        Criterion(
            catalogue=catalogue,
            ref_id=ref_id,
            category_number=int(ref_id.split(".")[0]),
            sequence=int(ref_id.split(".")[1]),
            focus_area=CATEGORY_NAMES.get(int(ref_id.split(".")[0]), ("Corporate Security", ""))[0],
            category_name=CATEGORY_NAMES.get(
                int(ref_id.split(".")[0]), ("", f"Category {ref_id.split('.')[0]}")
            )[1],
            requirement=level,
            entity_types=types,
            verified_for=verified,
            summary=f"Criterion {ref_id} summary",
            sources=["https://example.org/msc"],
            evidence="test",
        )
        for ref_id, level, types, verified in rows
    )
    Applicability.objects.bulk_create(
        Applicability(
            criterion=criterion,
            business_type=business_type,
            requirement=level,
            verified=business_type in verified,
        )
        for criterion, (_ref, level, types, verified) in zip(criteria, rows, strict=True)
        for business_type in types
    )
    catalogue.publish()
    return catalogue


def load_msc() -> Catalogue:
    """The shipped 2019 MSC catalogue, loaded as `ctpat load_catalogue` does."""
    path = Path(settings.SHARED_DATA_DIR) / "msc" / "criteria.csv"
    result = importers.import_catalogue(path.read_bytes(), path.name, importers.Metadata())
    return result.catalogue


def criterion(catalogue: Catalogue, ref_id: str) -> Criterion:
    return catalogue.criteria.get(ref_id=ref_id)


def answer(profile: SecurityProfile, ref_id: str, **fields: Any) -> Response:
    response = profile.responses.get(criterion__ref_id=ref_id)
    for key, value in fields.items():
        setattr(response, key, value)
    response.version += 1
    response.save()
    SecurityProfile.objects.filter(pk=profile.pk).update(has_unsubmitted_changes=True)
    profile.refresh_from_db()
    return response


def add_evidence(
    response: Response,
    title: str = "Security policy",
    *,
    content: bytes = PDF_BYTES,
    name: str = "policy.pdf",
    expires_on: datetime.date | None = None,
    user: Any = None,
) -> Evidence:
    """Evidence with one file, written to the storage as an upload would be."""
    evidence = Evidence.objects.create(
        response=response, title=title, expires_on=expires_on, created_by=user
    )
    stored = default_storage.save(
        f"evidence/{response.profile.company_id}/{name}", ContentFile(content)
    )
    EvidenceFile.objects.create(
        evidence=evidence,
        version=1,
        file=stored,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    return evidence


def submit(
    profile: SecurityProfile, user: Any, *, when: datetime.datetime | None = None
) -> Submission:
    """A submission row as the workflow writes it (without the MFA page)."""
    rows = profile.rows(with_evidence=True)
    readiness = compute_readiness(rows)
    latest = {
        f.evidence_id: f
        for f in EvidenceFile.objects.filter(evidence__response__profile=profile).order_by(
            "version"
        )
    }
    number = Submission.objects.filter(company=profile.company).count() + 1
    submission = Submission.objects.create(
        company=profile.company,
        profile=profile,
        number=number,
        submitted_by=user,
        submitted_at=when or timezone.now(),
        signer_name="Dana Price",
        signer_title="COO",
        attestation="I attest.",
        overall_score=readiness.overall,
        snapshot=build_snapshot(profile, rows, readiness, latest),
    )
    SecurityProfile.objects.filter(pk=profile.pk).update(has_unsubmitted_changes=False)
    return submission


# Files uploaded by the tests go to one temporary folder, removed when the run ends.
MEDIA_ROOT = tempfile.mkdtemp(prefix="ctpat-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


@override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=MEDIA_ROOT
)
class ProfilesTestCase(PersonaTestCase):
    """The persona world with fast password hashing in `setUpTestData` (the suite-wide
    fixture applies only inside each test) and uploads in a temporary folder."""


def start_profile(company: Company) -> SecurityProfile:
    return SecurityProfile.start(company)


class OneProfileTestCase(ProfilesTestCase):
    """The small catalogue, the company's started profile and its answer to 3.1."""

    catalogue: Catalogue
    profile: SecurityProfile
    response: Response

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)
        cls.response = cls.profile.responses.get(criterion__ref_id="3.1")
