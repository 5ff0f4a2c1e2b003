"""Checks for uploaded files: the type is judged from the content, not from the name.

An upload is accepted when its extension is one of the allowed kinds, its first bytes
match that kind (a PDF starts with `%PDF-`, a PNG with its 8-byte signature, an Office
file is a ZIP holding the part that kind needs) and it is not larger than the limit. So
an `.exe` renamed `.pdf` is refused: its content starts with `MZ`, not `%PDF-`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _office(part: str) -> Callable[[bytes], bool]:
    def sniff(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return False
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)

    return sniff


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class FileKind:
    """One accepted file type: its extensions, the MIME type we serve it with, and the
    test its content must pass."""

    name: str
    extensions: tuple[str, ...]
    content_type: str
    sniff: Callable[[bytes], bool]


KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind("pdf", (".pdf",), "application/pdf", lambda d: d.startswith(b"%PDF-")),
        FileKind("png", (".png",), "image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
        FileKind("jpg", (".jpg", ".jpeg"), "image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
        FileKind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _office("word/"),
        ),
        FileKind(
            "xlsx",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _office("xl/"),
        ),
        FileKind(
            "pptx",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _office("ppt/"),
        ),
        FileKind("txt", (".txt",), "text/plain; charset=utf-8", _text),
    )
}
DOCUMENTS = ("pdf", "png", "jpg", "docx", "xlsx", "pptx", "txt")
SCANS = ("pdf", "png", "jpg")


def kind_of(name: str) -> FileKind | None:
    suffix = PurePath(name).suffix.lower()
    return next((k for k in KINDS.values() if suffix in k.extensions), None)


def content_type_for(name: str) -> str:
    kind = kind_of(name)
    return kind.content_type if kind else "application/octet-stream"


def _read_all(value: Any) -> bytes:
    if hasattr(value, "seek"):
        value.seek(0)
    data: bytes = value.read()
    if hasattr(value, "seek"):
        value.seek(0)
    return data


@deconstructible
class UploadCheck:
    """Validator for a FileField: extension in `kinds`, content of that kind, at most
    `max_bytes`. Files already stored (not a new upload) are not read again."""

    def __init__(self, kinds: Iterable[str], max_bytes: int) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown file kinds {sorted(unknown)}; known: {sorted(KINDS)}")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadCheck)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))

    def accepted(self) -> str:
        return ", ".join(ext for k in self.kinds for ext in KINDS[k].extensions)

    def __call__(self, value: Any) -> None:
        if getattr(value, "_committed", False):
            return
        name = str(getattr(value, "name", "") or "")
        kind = kind_of(name)
        if kind is None or kind.name not in self.kinds:
            raise ValidationError(
                _("“%(name)s” is not an accepted file type. Accepted: %(accepted)s.")
                % {"name": PurePath(name).name, "accepted": self.accepted()},
                code="file_type",
            )
        size = getattr(value, "size", None)
        if size is not None and size > self.max_bytes:
            raise ValidationError(
                _("“%(name)s” is %(size)s; the largest accepted file is %(limit)s.")
                % {
                    "name": PurePath(name).name,
                    "size": filesizeformat(size),
                    "limit": filesizeformat(self.max_bytes),
                },
                code="file_size",
            )
        data = _read_all(value)
        if len(data) > self.max_bytes:
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(self.max_bytes)},
                code="file_size",
            )
        if not data or not kind.sniff(data):
            raise ValidationError(
                _(
                    "“%(name)s” does not contain what its name says (%(ext)s). "
                    "Upload the real file; accepted: %(accepted)s."
                )
                % {
                    "name": PurePath(name).name,
                    "ext": kind.extensions[0],
                    "accepted": self.accepted(),
                },
                code="file_content",
            )
