"""Names of newly stored uploads: random, so one stored name never lets anyone guess
another (files are served only through `core.files` anyway; this is the second lock)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename


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
