from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import CorrectiveAction
from companies.models import Company
from profiles.forms import UploadField, member_choices


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CorrectiveAction
        fields = [
            "title",
            "description",
            "criterion_ref",
            "owner",
            "due_date",
            "status",
            "completion_note",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "completion_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company
        self.fields["owner"].queryset = member_choices(company)  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.email  # type: ignore[attr-defined]


class ActionEvidenceForm(forms.Form):
    file = UploadField(label=_("File"))
