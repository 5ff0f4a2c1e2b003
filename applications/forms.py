from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    """The officer's signature: name, title and the attestation, plus which text was shown."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typed as your signature, e.g. María Fernanda López Ruiz."),
    )
    title = forms.CharField(
        label=_("Your title"),
        max_length=200,
        help_text=_("Your position in the company, e.g. Chief Operating Officer."),
    )
    attest = forms.BooleanField(
        label=_(
            "I have read this agreement, I am authorised to commit the company to it, "
            "and I sign it on the company's behalf."
        ),
        error_messages={
            "required": _("Tick this box to sign; signing is not possible without it.")
        },
    )
    agreement_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    language = forms.CharField(widget=forms.HiddenInput, max_length=8)
    agreement_sha256 = forms.RegexField(
        widget=forms.HiddenInput,
        regex=r"^[0-9a-f]{64}$",
        error_messages={"invalid": _("The agreement fingerprint is not a SHA-256 hex digest.")},
    )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())
