from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.choices import Role, TransportMode
from companies.models import Address, Company, Contact, Identifier, ProgramParticipation
from core.widgets import quick_selects


class CompanyForm(forms.ModelForm):  # type: ignore[type-arg]
    transport_modes = forms.MultipleChoiceField(
        label=_("Transport modes"),
        choices=TransportMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Company
        fields = [
            "legal_name",
            "dba",
            "business_type",
            "business_subtype",
            "country",
            "language",
            "parent_company",
            "subsidiaries",
            "commodities",
            "countries_of_origin",
            "transport_modes",
            "yearly_shipments",
            "uses_ftz",
            "ftz_numbers",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # countries and languages: ~250 options each


class CompanyCreateForm(CompanyForm):
    my_role = forms.ChoiceField(
        label=_("Your role in this company"),
        choices=[
            (Role.OFFICER, Role.OFFICER.label),
            (Role.ADMIN, Role.ADMIN.label),
            (Role.CONSULTANT, Role.CONSULTANT.label),
        ],
        initial=Role.ADMIN,
        help_text=_(
            "Only a company officer can sign the CTPAT partner agreement. "
            "Company officers must use two-factor authentication."
        ),
    )

    class Meta(CompanyForm.Meta):
        # transport_modes is declared on CompanyForm, so it is shown here; it must be listed
        # too or ModelForm.save() drops what the person ticked.
        fields = [
            "legal_name",
            "dba",
            "business_type",
            "business_subtype",
            "country",
            "language",
            "transport_modes",
        ]


class InvitationForm(forms.Form):
    """Invite a person by e-mail; they join when they accept the e-mailed link."""

    email = forms.EmailField(label=_("E-mail address"))
    # Not the first choice (company officer): the least surprising role is preselected.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.USER)


class JoinForm(forms.Form):
    """An invited person without an account chooses a password (the address is the
    invited one; the link proved it). The password rules are checked by the workflow."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common or all-numeric password."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ; type the same one twice."))
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AddressForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Address
        fields = ["kind", "name", "street", "city", "region", "postal_code", "country", "staffed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # countries and languages: ~250 options each


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields = ["kind", "name", "title", "email", "phone"]


class IdentifierForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Identifier
        fields = ["kind", "value"]

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company

    def validate_unique(self) -> None:
        # company is not a form field, so ModelForm would skip the per-company check.
        try:
            self.instance.validate_constraints()
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


class ProgramForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProgramParticipation
        fields = ["program", "country", "number", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # countries and languages: ~250 options each
