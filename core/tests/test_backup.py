"""`ctpat backup` and `ctpat restore` (core/backup.py): a seeded company goes through an
archive into a new, empty database and media folder, and comes back row for row and byte
for byte; damaged archives and non-empty targets are refused with what is wrong.

Runs on the suite's database: SQLite locally, and PostgreSQL too in CI (`.ci/run` runs the
suite on both), where pg_dump and pg_restore do the work.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings

from core.backup import MANIFEST, BackupError, checked_archive, create_backup, restore_archive
from incidents.choices import IncidentKind
from incidents.models import Incident
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user

ROOT = Path(__file__).resolve().parents[2]
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def ctpat(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SECRET_KEY": "backup-test", "LOG_FORMAT": "text", **env}
    return subprocess.run(
        [str(Path(sys.executable).with_name("ctpat")), *args],
        env=environment, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def seed_company() -> None:
    company = make_company("Transportes Bajío SA de CV", country="MX")
    officer = make_user("oficial@bajio.test")
    add_member(company, officer, "officer")
    for name in ("Fletes Norte", "Aduanas del Golfo", "Almacenes Sur"):
        BusinessPartner.objects.create(company=company, name=name, country="MX")
    incident = Incident(
        company=company, kind=IncidentKind.values[0], title="Sello roto en el patio",
        description="Puerta 3",
    )  # fmt: skip
    incident.attachment.save("seal-photo.png", ContentFile(PHOTO), save=False)
    fields = {f.name for f in Incident._meta.get_fields()}
    if "reported_by" in fields:
        incident.reported_by = officer  # type: ignore[attr-defined]
    incident.save()


def every_row(*args: str, **env: str) -> list[dict[str, Any]]:
    """Every row of every model, as dumpdata writes it, sorted."""
    if env:
        result = ctpat("dumpdata", "--format=json", *args, **env)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
    else:
        out = io.StringIO()
        call_command("dumpdata", "--format=json", *args, stdout=out)
        rows = json.loads(out.getvalue())
    return sorted(rows, key=lambda row: (row["model"], str(row["pk"])))


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class EmptyDatabase:
    """A new, empty database of the suite's kind, as a DATABASE_URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"ctpat_restore_{uuid.uuid4().hex[:10]}"

    def __enter__(self) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.folder / 'restored.sqlite3'}"
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.name}"

    def __exit__(self, *exc: object) -> None:
        if connection.vendor == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self) -> psycopg.Connection[Any]:
        db = connection.settings_dict
        return psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
            password=db["PASSWORD"] or None, dbname="postgres", autocommit=True,
        )  # fmt: skip


class RoundTripTests(TransactionTestCase):
    def setUp(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="ctpat-backup-test-"))
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        media = self.work / "source-media"
        self.enterContext(override_settings(MEDIA_ROOT=str(media)))
        seed_company()
        self.source_media = media

    def test_a_seeded_company_comes_back_row_for_row_and_byte_for_byte(self) -> None:
        archive = self.work / "nightly.tar.gz"
        call_command("backup", str(archive), stdout=io.StringIO())

        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        self.assertIn(f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}", names)
        photos = [n for n in manifest["files"] if n.endswith(".png")]
        self.assertEqual(len(photos), 1)
        self.assertEqual(len(manifest["files"][photos[0]]["sha256"]), 64)
        self.assertEqual(manifest["migrations"]["incidents"][:4].isdigit(), True)

        target_data = self.work / "restored"
        with EmptyDatabase(self.work) as url:
            env = {"DATABASE_URL": url, "CTPAT_DATA_DIR": str(target_data)}
            restored = ctpat("restore", str(archive), **env)
            self.assertEqual(restored.returncode, 0, restored.stderr)
            self.assertIn("1 uploaded file(s)", restored.stdout)
            # Nothing left to migrate: the schema came back with the rows.
            pending = ctpat("migrate", "--check", **env)
            self.assertEqual(pending.returncode, 0, pending.stdout + pending.stderr)
            self.assertEqual(every_row(**env), every_row())
            self.assertIn(
                "Transportes Bajío SA de CV",
                json.dumps(every_row("companies.company", **env), ensure_ascii=False),
            )
            # A second restore into the now-filled database is refused.
            again = ctpat("restore", str(archive), **env)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("the database is not empty", again.stderr)

        self.assertEqual(files_under(target_data / "media"), files_under(self.source_media))
        self.assertIn(PHOTO, files_under(target_data / "media").values())


def rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy `archive` to `target`, letting `change(name, data)` alter (or drop: None) each
    member and return extra members."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


class RefusalTests(TransactionTestCase):
    """Committed rows (a TransactionTestCase): SQLite's backup API copies only what is
    committed and cannot run inside the test's own transaction."""

    def setUp(self) -> None:
        seed_company()
        self.work = Path(tempfile.mkdtemp(prefix="ctpat-backup-refusal-"))
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        media = self.work / "media"
        self.enterContext(override_settings(MEDIA_ROOT=str(media)))
        (media / "evidence").mkdir(parents=True)
        (media / "evidence" / "policy.pdf").write_bytes(b"%PDF-1.7 policy")
        self.archive, _ = create_backup(self.work)

    def refusal(self, archive: Path) -> str:
        with self.assertRaises(BackupError) as raised, checked_archive(archive):
            pass
        return str(raised.exception)

    def test_a_truncated_archive_is_refused_as_damaged(self) -> None:
        cut = self.work / "cut.tar.gz"
        cut.write_bytes(self.archive.read_bytes()[:-200])
        self.assertIn("not a readable backup archive", self.refusal(cut))

    def test_a_changed_file_is_named(self) -> None:
        bad = self.work / "changed.tar.gz"
        rewrite(self.archive, bad, lambda n, d: d + b"x" if n.endswith("policy.pdf") else d)
        self.assertIn(
            "media/evidence/policy.pdf does not match its SHA-256 in the manifest",
            self.refusal(bad),
        )

    def test_a_missing_file_and_an_extra_file_are_named(self) -> None:
        missing = self.work / "missing.tar.gz"
        rewrite(self.archive, missing, lambda n, d: None if n.endswith("policy.pdf") else d)
        self.assertIn(
            "media/evidence/policy.pdf is listed in the manifest but missing",
            self.refusal(missing),
        )
        extra = self.work / "extra.tar.gz"
        with tarfile.open(self.archive) as source, tarfile.open(extra, "w:gz") as out:
            for member in source.getmembers():
                out.addfile(member, source.extractfile(member))
            info = tarfile.TarInfo("media/planted.html")
            info.size = 4
            out.addfile(info, io.BytesIO(b"evil"))
        self.assertIn("media/planted.html is in the archive but not in the manifest",
                      self.refusal(extra))  # fmt: skip

    def test_a_member_outside_the_archive_folder_is_refused(self) -> None:
        escaping = self.work / "escaping.tar.gz"
        with tarfile.open(escaping, "w:gz") as out:
            info = tarfile.TarInfo("../../etc/cron.d/x")
            info.size = 1
            out.addfile(info, io.BytesIO(b"x"))
        self.assertIn("is not a plain file inside the archive", self.refusal(escaping))

    def test_something_that_is_not_a_backup_is_refused(self) -> None:
        other = self.work / "other.tar.gz"
        rewrite(self.archive, other, lambda n, d: None if n == MANIFEST else d)
        self.assertIn("has no manifest.json", self.refusal(other))
        plain = self.work / "plain.gz"
        plain.write_bytes(gzip.compress(b"hello"))
        self.assertIn("not a readable backup archive", self.refusal(plain))

    def test_restore_into_a_database_with_data_is_refused(self) -> None:
        with self.assertRaisesMessage(BackupError, "the database is not empty"):
            restore_archive(self.archive)

    def test_an_existing_archive_is_never_overwritten(self) -> None:
        with self.assertRaisesMessage(BackupError, "already exists"):
            create_backup(self.archive)

    def test_the_command_names_the_problem_without_a_traceback(self) -> None:
        cut = self.work / "cut.tar.gz"
        cut.write_bytes(self.archive.read_bytes()[:100])
        result = ctpat("restore", str(cut))
        self.assertEqual(result.returncode, 1)
        self.assertIn("CommandError: ", result.stderr)
        self.assertIn("not a readable backup archive", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


class InsideATransactionTests(TestCase):
    def test_a_sqlite_backup_inside_a_transaction_is_refused_not_hung(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("pg_dump runs in its own session")
        with self.assertRaisesMessage(BackupError, "inside a database transaction"):
            create_backup(Path(tempfile.mkdtemp(prefix="ctpat-backup-tx-")))
