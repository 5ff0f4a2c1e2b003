"""Forms of the seal log pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seals.choices import SealClass
from seals.workflow import Vvtt


class ReceiveForm(forms.Form):
    letters = forms.CharField(
        label=gettext_lazy("Prefix"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Letters printed before the number, e.g. MX."),
    )
    first = forms.IntegerField(label=gettext_lazy("First number"), min_value=0)
    last = forms.IntegerField(label=gettext_lazy("Last number"), min_value=0)
    width = forms.IntegerField(
        label=gettext_lazy("Digits"),
        min_value=1,
        max_value=20,
        initial=7,
        help_text=gettext_lazy("How many digits the number has, with leading zeros."),
    )
    manufacturer = forms.CharField(label=gettext_lazy("Manufacturer"), max_length=120)
    iso_class = forms.ChoiceField(
        label=gettext_lazy("ISO 17712 class"), choices=SealClass.choices, initial="H"
    )
    certificate_ref = forms.CharField(label=gettext_lazy("ISO 17712 certificate"), max_length=120)
    storage_location = forms.CharField(label=gettext_lazy("Stored at"), max_length=120)

    def clean_letters(self) -> str:
        return str(self.cleaned_data["letters"]).strip().upper()


class VvttMixin(forms.Form):
    vvtt_view = forms.BooleanField(
        label=gettext_lazy("View the seal and the locking mechanism"), required=False
    )
    vvtt_verify = forms.BooleanField(
        label=gettext_lazy("Verify the number against the documents"), required=False
    )
    vvtt_tug = forms.BooleanField(label=gettext_lazy("Tug the seal"), required=False)
    vvtt_twist = forms.BooleanField(label=gettext_lazy("Twist and turn the seal"), required=False)

    def vvtt(self) -> Vvtt:
        d = self.cleaned_data
        return Vvtt(d["vvtt_view"], d["vvtt_verify"], d["vvtt_tug"], d["vvtt_twist"])


class IssueForm(forms.Form):
    person_name = forms.CharField(label=gettext_lazy("Issued to"), max_length=120)


class AffixForm(VvttMixin):
    iit_number = forms.CharField(label=gettext_lazy("Container / trailer number"), max_length=40)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class CheckForm(VvttMixin):
    at_destination = forms.BooleanField(
        label=gettext_lazy("This is the verification at destination"), required=False
    )
    observed_number = forms.CharField(label=gettext_lazy("Number read on the seal"), max_length=40)
    document_number = forms.CharField(
        label=gettext_lazy("Number on the shipping documents"), max_length=40
    )
    person_name = forms.CharField(
        label=gettext_lazy("Handed over by / to"), max_length=120, required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class AuditForm(forms.Form):
    counted = forms.CharField(
        label=gettext_lazy("Seal numbers counted on hand"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=gettext_lazy("One number per line (or separated by commas or spaces)."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def numbers(self) -> list[str]:
        raw: Any = self.cleaned_data.get("counted", "")
        return [n for n in raw.replace(",", " ").split() if n]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(self.numbers()) > 100_000:
            raise forms.ValidationError(_("Count at most 100,000 seals in one audit."))
        return data
