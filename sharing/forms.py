from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from partners.models import BusinessPartner
from sharing.models import Part


class RequestForm(forms.Form):
    sharer = forms.IntegerField(widget=forms.HiddenInput)
    business_partner = forms.ModelChoiceField(
        label=_("Your partner record (optional)"),
        queryset=BusinessPartner.objects.none(),
        required=False,
    )
    message = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["business_partner"]
        field.queryset = BusinessPartner.objects.filter(company=company).order_by("name")


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    parts = forms.MultipleChoiceField(
        label=_("What to share"),
        choices=Part.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Shared until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Last day the customer may see the summary."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("accept") and not data.get("parts"):
            self.add_error("parts", _("Choose at least one part of the profile to share."))
        return data
