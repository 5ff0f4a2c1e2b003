"""Forms of the partner directory: a partner, the list filters and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.models import Company
from partners.models import BusinessPartner, ScreeningPolicy, ScreeningStatus


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
