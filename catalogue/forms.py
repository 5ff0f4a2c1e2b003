"""The deployment admin's catalogue import: upload and preview, then confirm."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue import importers


class _MetadataForm(forms.Form):
    slug = forms.SlugField(
        label=_("Catalogue identifier"),
        max_length=50,
        initial=importers.DEFAULT_SLUG,
        help_text=_("The same for every version of one catalogue, e.g. ctpat-msc."),
    )
    version = forms.CharField(
        label=_("Version"), max_length=20, help_text=_("A new file needs a new version, e.g. 2024.")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_(
            "Leave empty to use “CTPAT Minimum Security Criteria” followed by the version."
        ),
    )
    publisher = forms.CharField(
        label=_("Publisher"), max_length=200, required=False, initial=importers.DEFAULT_PUBLISHER
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def metadata(self) -> importers.Metadata:
        data = self.cleaned_data
        return importers.Metadata(
            slug=data["slug"],
            version=data["version"],
            name=data["name"] or importers.Metadata.default_name(data["version"]),
            publisher=data["publisher"],
            effective_date=data["effective_date"],
        )


class CatalogueUploadForm(_MetadataForm):
    file = forms.FileField(
        label=_("Criteria file"),
        help_text=_("CSV, Excel (.xlsx) or YAML with the columns of msc/criteria.csv."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importers.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s kB; a criteria list is far smaller.")
                % {"limit": importers.MAX_FILE_BYTES // 1000}
            )
        return upload

    def content(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        return upload.read(), upload.name


class CatalogueConfirmForm(_MetadataForm):
    """The previewed file travels back in a hidden field; it is validated again in full
    before anything is written, so nothing from the preview is trusted."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def clean_content(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError(
                _("The file was damaged in transit; upload it again.")
            ) from exc

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("slug", "version", "name", "publisher", "effective_date"):
            self.fields[name].widget = forms.HiddenInput()

    @classmethod
    def for_preview(
        cls, upload: CatalogueUploadForm, data: bytes, filename: str
    ) -> CatalogueConfirmForm:
        initial = {
            name: upload.cleaned_data[name]
            for name in ("slug", "version", "name", "publisher", "effective_date")
        }
        initial["content"] = base64.b64encode(data).decode("ascii")
        initial["filename"] = filename
        return cls(initial=initial)

    def content_bytes(self) -> tuple[bytes, str]:
        return self.cleaned_data["content"], self.cleaned_data["filename"]
