from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.choices import FindingResult
from audits.models import MockAudit
from profiles.forms import UploadField


class AuditForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MockAudit
        fields = ["title", "kind"]


class FindingForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=FindingResult.choices, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("result") in (FindingResult.FAIL, FindingResult.OBSERVATION) and not (
            str(data.get("notes") or "").strip()
        ):
            self.add_error(
                "notes", _("Describe what was found: a failure or an observation needs notes.")
            )
        return data


class PhotoForm(forms.Form):
    file = UploadField(label=_("Photo or document"))


COMPLETE_HELP = _(
    "Completing the audit raises a corrective action for every failure and "
    "observation; the results can no longer change."
)


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=COMPLETE_HELP,
    )
