"""One-archive backup and checked restore of the database and the uploaded files.

An archive (`.tar.gz`) holds:

- `manifest.json`: format and version, when and from which database engine it was made,
  the latest applied migration of every app, and the SHA-256 and size of every other member;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the portal keeps
  writing) or `database.pgdump` (`pg_dump --format=custom`: one consistent snapshot);
- `media/…`: every uploaded file, by its storage name: read from MEDIA_ROOT, or through
  the storage's API when uploads are on object storage (S3_BUCKET); the manifest's
  `media_storage` says which, and a restore writes them back through the configured one.

`restore_archive` checks the whole archive before it writes anything: readable, a manifest
of a known format, no member outside the manifest or missing from it, every digest right,
the same database engine; and it restores only into an empty database and an empty media
folder, so it can never mix two portals' data. Each refusal is a `BackupError` naming what
is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "openctpat-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or an archive that must not be restored."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"the {vendor} database is not supported (SQLite or PostgreSQL)")
    return vendor


def _libpq_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from the portal's own database settings
    (the password through the environment, never on a command line)."""
    db = connections["default"].settings_dict
    args = [
        "--host", str(db["HOST"] or "127.0.0.1"),
        "--port", str(db["PORT"] or 5432),
        "--username", str(db["USER"] or "postgres"),
        "--dbname", str(db["NAME"]),
    ]  # fmt: skip
    env = dict(os.environ)
    if db["PASSWORD"]:
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool_version(tool: str) -> tuple[int, ...]:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(part) for part in out.split()[-1].split(".")[:2] if part.isdigit())


def _server_major() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _dump_database(vendor: str, target: Path) -> dict[str, Any]:
    connection = connections["default"]
    if vendor == "sqlite":
        if connection.in_atomic_block:
            # The backup would wait for this very transaction to end.
            raise BackupError("cannot back up from inside a database transaction")
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return {"engine": "sqlite"}
    server = _server_major()
    client = _tool_version("pg_dump")
    if client[0] < server:
        raise BackupError(
            f"pg_dump {'.'.join(map(str, client))} is older than the PostgreSQL {server} "
            f"server: install postgresql-client-{server}"
        )
    args, env = _libpq_env()
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
         *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return {"engine": "postgresql", "server_major": server, "pg_dump": ".".join(map(str, client))}


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connections["default"])
        .migration_qs.order_by("app", "name")
        .values_list("app", "name")
    ):
        latest[app] = name
    return latest


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _on_local_disk() -> bool:
    return isinstance(storages["default"], FileSystemStorage)


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in an object storage, depth first, sorted."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _copy_media_from_storage(target: Path) -> list[Path]:
    """Download every object of the default storage under `target` (object storage)."""
    copied = []
    for name in _stored_names(default_storage):
        if not _safe_name(name):
            raise BackupError(f"the storage holds an object named {name!r}; cannot archive it")
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(path, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        copied.append(path)
    return copied


def create_backup(destination: Path) -> tuple[Path, dict[str, Any]]:
    """Write the archive; `destination` is a file name, or a folder to write a dated one in.
    The archive is written beside its final name and renamed once complete."""
    vendor = _vendor()
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"openctpat-backup-{stamp}.tar.gz"
    if destination.exists():
        raise BackupError(f"{destination} already exists: choose another name")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="ctpat-backup-", dir=destination.parent) as work:
        dump = Path(work) / DATABASE_MEMBER[vendor]
        database = _dump_database(vendor, dump)
        files: dict[str, dict[str, Any]] = {
            dump.name: {"sha256": sha256_of(dump), "size": dump.stat().st_size}
        }
        if not _on_local_disk():
            media_root = Path(work) / "objects"
            media = _copy_media_from_storage(media_root)
        else:
            media = list(_media_files(media_root))
        for path in media:
            name = "media/" + path.relative_to(media_root).as_posix()
            files[name] = {"sha256": sha256_of(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "database": database,
            "migrations": _applied_migrations(),
            "media_storage": settings.STORAGES["default"]["BACKEND"],
            "files": files,
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, MANIFEST)
            archive.add(dump, dump.name)
            for path in media:
                archive.add(path, "media/" + path.relative_to(media_root).as_posix())
        os.replace(partial, destination)
    return destination, manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


@contextmanager
def checked_archive(archive_path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Unpack into a temporary folder and check everything; yields (folder, manifest)."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file")
    with tempfile.TemporaryDirectory(prefix="ctpat-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                members = archive.getmembers()
                for member in members:
                    if not _safe_name(member.name) or not (member.isfile() or member.isdir()):
                        raise BackupError(
                            f"{archive_path}: member {member.name!r} is not a plain file inside "
                            "the archive; refusing it"
                        )
                archive.extractall(folder, filter="data")
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise BackupError(
                f"{archive_path}: not a readable backup archive ({exc}); it is damaged or "
                "was not made by `ctpat backup`"
            ) from exc
        manifest_file = folder / MANIFEST
        if not manifest_file.is_file():
            raise BackupError(f"{archive_path}: has no {MANIFEST}")
        try:
            manifest = json.loads(manifest_file.read_text())
        except ValueError as exc:
            raise BackupError(f"{archive_path}: {MANIFEST} is not valid JSON ({exc})") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(
                f"{archive_path}: {MANIFEST} is not an OpenCTPAT backup of version {VERSION}"
            )
        listed: dict[str, dict[str, Any]] = manifest.get("files") or {}
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
            MANIFEST
        }
        for name in sorted(set(listed) - present):
            raise BackupError(f"{archive_path}: {name} is listed in the manifest but missing")
        for name in sorted(present - set(listed)):
            raise BackupError(f"{archive_path}: {name} is in the archive but not in the manifest")
        for name, facts in sorted(listed.items()):
            if sha256_of(folder / name) != facts.get("sha256"):
                raise BackupError(
                    f"{archive_path}: {name} does not match its SHA-256 in the manifest (damaged)"
                )
        yield folder, manifest


def _database_is_empty() -> bool:
    connection = connections["default"]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return not tables


def restore_archive(archive_path: Path) -> dict[str, Any]:
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with checked_archive(archive_path) as (folder, manifest):
        engine = manifest["database"]["engine"]
        if engine != vendor:
            raise BackupError(
                f"{archive_path}: holds a {engine} database but DATABASE_URL points at "
                f"{vendor}; restore into the same kind of database"
            )
        if not _database_is_empty():
            raise BackupError(
                "the database is not empty: restore only into a new, empty database "
                "(create one and point DATABASE_URL at it)"
            )
        if _on_local_disk() and any(_media_files(media_root)):
            raise BackupError(
                f"the media folder {media_root} is not empty: restore into an empty one"
            )
        if not _on_local_disk() and next(_stored_names(default_storage), None):
            raise BackupError("the object storage bucket is not empty: restore into an empty one")
        dump = folder / DATABASE_MEMBER[vendor]
        connection = connections["default"]
        if vendor == "sqlite":
            source = sqlite3.connect(dump)
            connection.ensure_connection()
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            server = _server_major()
            if server < int(manifest["database"].get("server_major", 0)):
                raise BackupError(
                    f"the archive comes from PostgreSQL {manifest['database']['server_major']}; "
                    f"this server is {server}: restore into the same or a newer version"
                )
            _tool_version("pg_restore")
            args, env = _libpq_env()
            connection.close()
            result = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
                 str(dump)],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        restored = restore_media(folder, manifest)
        return {"engine": vendor, "files": restored, "created_at": manifest["created_at"]}


def restore_media(folder: Path, manifest: dict[str, Any]) -> int:
    """Write the archive's uploaded files (checked, unpacked in `folder`) into MEDIA_ROOT
    or, with object storage, into the configured bucket under their own names."""
    local = _on_local_disk()
    media_root = Path(settings.MEDIA_ROOT)
    restored = 0
    for name in manifest["files"]:
        if not name.startswith("media/"):
            continue
        stored_name = name.removeprefix("media/")
        if local:
            target = media_root / stored_name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, target)
        else:
            with open(folder / name, "rb") as fh:
                saved = default_storage.save(stored_name, File(fh))
            if saved != stored_name:
                raise BackupError(f"{stored_name} already exists in the object storage")
        restored += 1
    return restored
