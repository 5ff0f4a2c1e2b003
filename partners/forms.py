"""Forms of the partner directory: a partner, the list filters and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from companies.models import Company
from partners.models import BusinessPartner, PartnerRole, ScreeningPolicy, ScreeningStatus, Tier


class PartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = BusinessPartner
        fields = [
            "name",
            "role",
            "country",
            "street",
            "city",
            "postal_code",
            "contact_name",
            "contact_email",
            "contact_phone",
            "tax_id",
            "other_identifiers",
            "relationship_owner",
            "yearly_volume",
            "tier_override",
            "tier_override_reason",
        ]

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company
        owner: Any = self.fields["relationship_owner"]
        owner.queryset = User.objects.filter(memberships__company=company).order_by("email")
        self.fields["tier_override"].help_text = _(
            "Leave empty to use the computed tier; a tier set by hand needs a reason."
        )


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("any role")), *PartnerRole.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("any tier")), *Tier.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("any country")), *countries]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ScreeningStatus.TRUE_MATCH, _("True match")),
            (ScreeningStatus.FALSE_POSITIVE, _("False positive")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class ScreeningPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ScreeningPolicy
        fields = ["four_eyes"]
