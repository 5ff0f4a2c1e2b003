from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.choices import ActionStatus
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


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and in progress")),
            ("all", _("All")),
            ("overdue", _("Overdue")),
            *ActionStatus.choices,
        ],
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("none", _("No owner")),
            *[(str(u.pk), u.email) for u in member_choices(company)],
        ]


class ActionEvidenceForm(forms.Form):
    file = UploadField(label=_("File"))
