"""Forms of the partner directory: a partner, the list filters and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.models import Company
from core.widgets import quick_selects
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
        quick_selects(self)  # the country select: ~250 options


class DecisionForm(forms.Form):
    """A reviewer's verdict on an alert. Nothing is chosen in advance: the reviewer picks
    a verdict and writes why."""

    verdict = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ScreeningStatus.TRUE_MATCH, _("True match: this partner is the listed party")),
            (ScreeningStatus.FALSE_POSITIVE, _("False positive: a different party")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "reason-help"}),
        max_length=2000,
        help_text=_("What you compared and why it settles the question; kept as evidence."),
        error_messages={"required": _("Write the reason for your decision.")},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason for your decision."))
        return reason


class HoldLiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the hold can be lifted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why the hold is lifted.")},
    )


class ScreeningPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ScreeningPolicy
        fields = ["four_eyes"]
