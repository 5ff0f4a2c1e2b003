"""Uploads on S3-compatible object storage (S3_BUCKET, django-storages), against a real
S3-protocol server that the test starts on this machine (moto's server, over HTTP).

A file sent with an anonymous incident report lands in the bucket, not on the disk; the
company downloads it through the permission check (bytes through the portal, or with
CTPAT_FILE_SENDFILE=redirect a short-lived signed URL of the storage); the backup archive
holds it with its SHA-256 and a restore puts it back into an empty bucket.
"""

from __future__ import annotations

import hashlib
import json
import socket
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from core import backup
from incidents.models import Incident
from incidents.report import link_for
from portal.testing import PersonaTestCase, make_company

EVIDENCE = b"Photo of gate 4: the padlock was cut at 02:10."
KEY, SECRET, REGION = "ctpat-test-key", "ctpat-test-secret", "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def s3_storage(endpoint: str, bucket: str) -> dict[str, Any]:
    """The STORAGES entry portal/settings.py builds from S3_BUCKET and friends."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": KEY,
            "secret_key": SECRET,
            "location": "media",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }


class OnS3(TransactionTestCase):
    """Starts the S3-protocol server, makes two empty buckets, puts uploads in the first,
    and sends one anonymous report with a file to `self.company`. (Typed as a test case;
    the concrete classes put it before their own.)"""

    server: ThreadedMotoServer
    endpoint: str
    company: Any
    s3: Any
    on_s3: Any

    @classmethod
    def setUpClass(cls) -> None:
        port = free_port()
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        cls.server.start()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.s3 = boto3.client(
            "s3",
            endpoint_url=cls.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        )
        for bucket in ("ctpat-evidence", "ctpat-restored"):
            cls.s3.create_bucket(Bucket=bucket)
        cls.on_s3 = override_settings(
            STORAGES={
                "default": s3_storage(cls.endpoint, "ctpat-evidence"),
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        )
        cls.on_s3.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.on_s3.disable()
        cls.server.stop()

    def setUp(self) -> None:
        if not hasattr(self, "company"):
            self.company = make_company()
        cache.clear()
        for bucket in ("ctpat-evidence", "ctpat-restored"):  # objects outlive each test
            for key in self.objects(bucket):
                self.s3.delete_object(Bucket=bucket, Key=key)
        self.media = tempfile.mkdtemp(prefix="ctpat-s3-test-")
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.client.post(
            link_for(self.company).get_absolute_url(),
            {
                "kind": "other",
                "description": "The back gate was open.",
                "attachment": SimpleUploadedFile("gate.txt", EVIDENCE),
            },
        )
        self.incident = Incident.objects.get()
        super().setUp()

    def objects(self, bucket: str) -> dict[str, bytes]:
        listed = self.s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            o["Key"]: self.s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed
        }


class ObjectStorageTests(OnS3, PersonaTestCase):
    def download_url(self) -> str:
        return reverse("incidents:incident-attachment", args=[self.company.pk, self.incident.pk])

    def test_the_upload_is_stored_in_the_bucket_not_on_disk(self) -> None:
        stored = self.objects("ctpat-evidence")
        self.assertEqual(list(stored.values()), [EVIDENCE])
        (key,) = stored
        self.assertEqual(key, f"media/{self.incident.attachment.name}")
        self.assertEqual(list(Path(self.media).rglob("*")), [])

    def test_the_company_downloads_it_through_the_portal(self) -> None:
        self.login("viewer")
        response = self.client.get(self.download_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), EVIDENCE)  # type: ignore[attr-defined]

    @override_settings(CTPAT_FILE_SENDFILE="redirect")
    def test_with_redirect_the_browser_gets_a_signed_url_of_the_storage(self) -> None:
        self.login("viewer")
        response = self.client.get(self.download_url())
        self.assertEqual(response.status_code, 302)
        location = response["Location"]
        self.assertTrue(location.startswith(self.endpoint), location)
        self.assertIn("Signature=", location)
        with urllib.request.urlopen(location, timeout=10) as answer:  # noqa: S310
            self.assertEqual(answer.read(), EVIDENCE)
        # Another company's member gets no URL at all.
        self.login("other")
        self.assertEqual(self.client.get(self.download_url()).status_code, 404)


class ObjectStorageBackupTests(OnS3, TransactionTestCase):
    def test_a_backup_holds_the_object_and_a_restore_puts_it_back(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="ctpat-s3-backup-"))
        archive, manifest = backup.create_backup(folder / "b.tar.gz")
        name = f"media/{self.incident.attachment.name}"
        self.assertEqual(manifest["files"][name]["sha256"], hashlib.sha256(EVIDENCE).hexdigest())
        self.assertEqual(manifest["media_storage"], "storages.backends.s3.S3Storage")
        with tarfile.open(archive) as tar:
            member = tar.extractfile(name)
            assert member is not None
            self.assertEqual(member.read(), EVIDENCE)
            listed = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
            self.assertEqual(listed["files"], manifest["files"])

        with (
            override_settings(
                STORAGES={
                    "default": s3_storage(self.endpoint, "ctpat-restored"),
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                }
            ),
            backup.checked_archive(archive) as (unpacked, checked),
        ):
            self.assertEqual(backup.restore_media(unpacked, checked), 1)
        self.assertEqual(self.objects("ctpat-restored"), {name: EVIDENCE})
