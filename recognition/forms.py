from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import accepted_types_text, check_upload
from core.widgets import quick_selects
from recognition.models import PROOF_KINDS, PartnerStatus


class ProofField(forms.FileField):
    """A proof upload, checked by its content like every evidence file; certificates come
    as PDF or as a scan (PNG, JPEG)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload, PROOF_KINDS)
        return upload


def _proof_help() -> str:
    return str(_("The certificate or other proof. Accepted: %(types)s.")) % {
        "types": accepted_types_text(PROOF_KINDS)
    }


class PartnerStatusForm(forms.ModelForm):  # type: ignore[type-arg]
    proof = ProofField(label=_("Proof document"))

    class Meta:
        model = PartnerStatus
        fields = ["program", "program_name", "country", "number", "issued_on", "expires_on"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proof"].help_text = _proof_help()
        quick_selects(self)  # the country select: ~250 options


class ProofForm(forms.Form):
    proof = ProofField(label=_("Proof document"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proof"].help_text = _proof_help()


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("Revoked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Company name or DBA"), min_length=2, max_length=100)


class MemberLinkForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
