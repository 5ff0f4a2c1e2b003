"""The one place uploaded files are checked, stored and named: security-profile evidence,
audit photos, corrective-action and questionnaire evidence, status proofs, inspection
photos, incident attachments, training sheets and materials, signed acknowledgements.

A file is accepted by what its bytes are, not by what its name says: the first bytes
(the "magic number") must be those of a PDF, PNG, JPEG, or an Office Open XML zip holding
a Word or Excel document; anything else must be plain text (no control bytes). The name's
extension must then agree with the content, so an .exe renamed .pdf is refused with a
message saying what the file really is. Files larger than `CTPAT_UPLOAD_MAX_MB`
(settings, default 20) are refused before anything is written; a field may set a smaller
cap of its own (a drawn signature), never a larger one. Model fields check with the
`UploadCheck` validator, forms and views with `check_upload`: both are the same check.

`store_file` writes the file and the database rows in one transaction and deletes the file
again when that transaction fails, so an interrupted or failed upload leaves neither a
row without a file nor a stray file. (An upload cut off by the client never reaches the
view at all: Django reads the whole request body first and discards its temporary file.)

New files get random stored names (`RandomUploadTo`, `random_name`), so one stored name
never lets anyone guess another (files are served only through `core.files` anyway; this
is the second lock).
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")
HEAD_BYTES = 8192
MB = 1024 * 1024
DEFAULT_MAX_MB = 20


@dataclass(frozen=True)
class FileKind:
    """A file type we accept: its name for people, its MIME type and its extensions."""

    label: StrOrPromise
    mime: str
    extensions: tuple[str, ...]


PDF = FileKind(gettext_lazy("a PDF document"), "application/pdf", (".pdf",))
PNG = FileKind(gettext_lazy("a PNG image"), "image/png", (".png",))
JPEG = FileKind(gettext_lazy("a JPEG image"), "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind(
    gettext_lazy("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    gettext_lazy("an Excel workbook"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = FileKind(
    gettext_lazy("a PowerPoint presentation"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
TEXT = FileKind(gettext_lazy("plain text"), "text/plain", (".txt", ".csv"))
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)
IMAGE_KINDS = (PNG, JPEG)
# Short names for the `UploadCheck` validator, whose arguments are written into migrations.
BY_NAME = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "txt": TEXT,
}
SCANS = ("pdf", "png", "jpg")
DOCUMENTS = tuple(BY_NAME)

# Content we recognise but refuse, so the message can say what the file really is.
_KNOWN_BAD: tuple[tuple[bytes, StrOrPromise], ...] = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (
        b"\xd0\xcf\x11\xe0",
        gettext_lazy("an old-format Office file (.doc/.xls); save it as .docx or .xlsx"),
    ),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf", gettext_lazy("a 7-Zip archive")),
)
# Control bytes other than tab, line feed, form feed and carriage return never occur in text.
_TEXT_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def max_upload_bytes(cap: int | None = None) -> int:
    """The largest accepted upload: `CTPAT_UPLOAD_MAX_MB`, or a field's smaller `cap`."""
    limit = int(getattr(settings, "CTPAT_UPLOAD_MAX_MB", DEFAULT_MAX_MB)) * MB
    return min(limit, cap) if cap else limit


def accepted_types_text(kinds: tuple[FileKind, ...] = KINDS) -> str:
    extensions = sorted({ext for kind in kinds for ext in kind.extensions})
    return ", ".join(extensions)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what was learnt about it."""

    name: str
    kind: FileKind
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return PurePath(self.name).suffix.lower()


def _read_all(upload: UploadedFile[bytes]) -> tuple[bytes, str, int, bool]:
    """(first bytes, SHA-256, size, whether every byte looks like text)."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    texty = True
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if texty and any(b in _TEXT_CONTROL for b in set(chunk)):
            texty = False
    upload.seek(0)
    return head, digest.hexdigest(), size, texty


def _office_kind(upload: UploadedFile[bytes]) -> FileKind | None:
    """DOCX, XLSX or PPTX when the zip holds an Office Open XML package of that kind."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for folder, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(n.startswith(folder) for n in names):
            return kind
    return None


def sniff(upload: UploadedFile[bytes], head: bytes, texty: bool) -> FileKind | None:
    """The accepted kind the content is, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    if texty and not _known_bad(head):
        return TEXT
    return None


def _known_bad(head: bytes) -> StrOrPromise | None:
    return next((label for magic, label in _KNOWN_BAD if head.startswith(magic)), None)


def check_upload(
    upload: UploadedFile[bytes], kinds: tuple[FileKind, ...] = KINDS, *, cap: int | None = None
) -> CheckedFile:
    """Check size, content and extension of one upload; raise ValidationError saying what
    is wrong and what would be accepted. `cap` lowers the size limit for this field."""
    name = PurePath(upload.name or "file").name
    limit = max_upload_bytes(cap)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_big(name, upload.size, limit), code="too_big")
    head, sha256, size, texty = _read_all(upload)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(_too_big(name, size, limit), code="too_big")
    kind = sniff(upload, head, texty)
    accepted = accepted_types_text(kinds)
    if kind is None or kind not in kinds:
        what = kind.label if kind else _known_bad(head)
        if what:
            message = _(
                "“%(name)s” is %(what)s, whatever its name says; it cannot be uploaded. "
                "Accepted: %(accepted)s."
            ) % {"name": name, "what": what, "accepted": accepted}
        else:
            message = _("“%(name)s” is not a file type we accept. Accepted: %(accepted)s.") % {
                "name": name,
                "accepted": accepted,
            }
        raise ValidationError(message, code="bad_type")
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is named %(ext)s but its content is %(what)s. Rename it to "
                "%(right)s, or upload the real file."
            )
            % {
                "name": name,
                "ext": extension or _("without an extension"),
                "what": kind.label,
                "right": " / ".join(kind.extensions),
            },
            code="wrong_extension",
        )
    return CheckedFile(name=name, kind=kind, size=size, sha256=sha256)


def _too_big(name: str, size: int, limit: int) -> str:
    return _("“%(name)s” is %(size).1f MB; files may be at most %(limit)s.") % {
        "name": name,
        "size": size / MB,
        "limit": f"{limit // MB} MB" if limit % MB == 0 else f"{limit // 1024} KB",
    }


@deconstructible
class UploadCheck:
    """Validator for a model `FileField`: `check_upload` with the kinds named (keys of
    `BY_NAME`) and an optional smaller size `cap` in bytes. Files already stored (not a
    new upload) are not read again."""

    def __init__(self, kinds: Iterable[str], cap: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.cap = cap
        unknown = set(self.kinds) - set(BY_NAME)
        if unknown:
            raise ValueError(f"unknown file kinds {sorted(unknown)}; known: {sorted(BY_NAME)}")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadCheck) and self.kinds == other.kinds and self.cap == other.cap
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.cap))

    def __call__(self, value: Any) -> None:
        if getattr(value, "_committed", False):
            return
        check_upload(value, tuple(BY_NAME[k] for k in self.kinds), cap=self.cap)


class StoredFile(models.Model):
    """An uploaded file kept by the portal, with the facts checked on upload. The file name
    on disk is random; the name the user gave is `original_name`."""

    file = models.FileField(gettext_lazy("file"), max_length=300)
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    content_type = models.CharField(gettext_lazy("content type"), max_length=100)
    size = models.PositiveBigIntegerField(gettext_lazy("size in bytes"))
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    folder: ClassVar[str] = "files"

    class Meta:
        abstract = True

    def file_fields(self, checked: CheckedFile) -> None:
        self.original_name = checked.name
        self.content_type = checked.kind.mime
        self.size = checked.size
        self.sha256 = checked.sha256

    @property
    def is_image(self) -> bool:
        return self.content_type in {k.mime for k in IMAGE_KINDS}

    def download(self, *, inline: bool = False) -> HttpResponseBase:
        """The file as an HTTP answer, with the type found on upload (never guessed again);
        the caller has checked the permission. See `core.files.file_response`."""
        from core.files import file_response

        return file_response(
            self.file, filename=self.original_name, content_type=self.content_type, inline=inline
        )


def store_file(
    upload: UploadedFile[bytes],
    folder: str,
    write: Callable[[str, CheckedFile], T],
    kinds: tuple[FileKind, ...] = KINDS,
) -> T:
    """Check `upload`, save it under `folder`, then call `write(stored_name, checked)` to
    create the rows, all in one transaction. If anything fails the file is deleted again
    and the exception propagates, so no half record is left behind."""
    checked = check_upload(upload, kinds)
    stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}{checked.extension}", upload)
    try:
        with transaction.atomic():
            return write(stored, checked)
    except BaseException:
        default_storage.delete(stored)
        raise


def attach(obj: StoredFile, stored: str, checked: CheckedFile, **fields: Any) -> None:
    """Fill a StoredFile row from a stored upload (used inside `store_file`'s `write`)."""
    obj.file.name = stored
    obj.file_fields(checked)
    for key, value in fields.items():
        setattr(obj, key, value)


@deconstructible
class RandomUploadTo:
    """`upload_to` that stores each new file under `<prefix>/<random 32 hex>/<name>`, so a
    stored name cannot be guessed from another one and the user's file name is kept for
    the download. Files stored before keep their names."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: models.Model | None, filename: str) -> str:
        name = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "file"
        return f"{self.prefix}/{uuid.uuid4().hex}/{name}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomUploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def random_name(prefix: str, original: str) -> str:
    """A stored name for an upload written directly to storage (not through a field)."""
    return RandomUploadTo(prefix)(None, original)
