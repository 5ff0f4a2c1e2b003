"""A signature drawn on screen (core/static/core/signature.js), as a form field.

The page puts the drawing into a hidden field as a PNG data URL; the field turns it into a
checked PNG file (the upload checker's rules: PNG content, at most 300 kB) or refuses it
with a message the person can act on. Training sign-in sheets and inspections use it.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadCheck

PREFIX = "data:image/png;base64,"
SIGNATURE_CHECK = UploadCheck(("png",), 300 * 1024)


def signature_file(value: str, name: str = "") -> ContentFile[bytes]:
    """The PNG file of a drawn signature sent as a data URL; ValidationError when it is not
    one."""
    if not value.startswith(PREFIX):
        raise forms.ValidationError(_("The signature must be a PNG image."), code="not_png")
    try:
        data = base64.b64decode(value[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        message = _("The signature image is damaged; sign again.")
        raise forms.ValidationError(message, code="damaged") from None
    upload = ContentFile(data, name=name or f"signature-{uuid.uuid4().hex}.png")
    SIGNATURE_CHECK(upload)
    return upload


class SignatureField(forms.CharField):
    """A hidden field holding a drawn signature; cleans to a PNG ContentFile (or None when
    nothing was drawn and the field is optional)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 600_000)
        kwargs.setdefault("widget", forms.HiddenInput(attrs={"data-signature-field": ""}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> ContentFile[bytes] | None:
        text = super().clean(value)
        if not text:
            return None
        return signature_file(text)
