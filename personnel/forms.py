"""Forms of the personnel pages; each takes the company so choices stay inside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Address, Company
from core.widgets import search_select
from personnel.models import (
    ConductAcknowledgement,
    Employee,
    Screening,
    SecurityRole,
    Separation,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployeeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Employee
        fields = [
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "facility",
            "roles",
            "manager_email",
            "hire_date",
        ]
        widgets = {"roles": forms.CheckboxSelectMultiple, "hire_date": DATE}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company
        self.fields["facility"].queryset = Address.objects.filter(company=company)  # type: ignore[attr-defined]
        self.fields["roles"].queryset = SecurityRole.objects.filter(company=company)  # type: ignore[attr-defined]

    def clean_employee_number(self) -> str:
        number: str = self.cleaned_data["employee_number"].strip()
        taken = Employee.objects.filter(company=self.company, employee_number=number)
        if number and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another employee of this company already has number %(n)s.") % {"n": number}
            )
        return number


class SecurityRoleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SecurityRole
        fields = ["code", "name_en", "name_es", "description_en", "description_es"]

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = SecurityRole.objects.filter(company=self.company, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This company already has a role with this code."))
        return code


class ScreeningForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Screening
        fields = [
            "employee",
            "kind",
            "checked_items",
            "checked_on",
            "provider",
            "outcome",
            "outcome_details",
            "notes",
            "recheck_due",
        ]
        widgets = {"checked_on": DATE, "recheck_due": DATE}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company
        # Chosen by search-as-you-type: a company may employ thousands of people.
        search_select(
            self.fields["employee"],
            reverse("personnel:employee-lookup", args=[company.pk]),
            Employee.objects.filter(company=company),
        )


class AcknowledgementForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ConductAcknowledgement
        fields = ["code_version", "acknowledged_on", "evidence"]
        widgets = {"acknowledged_on": DATE}

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.instance.company_id = employee.company_id
        self.instance.employee = employee

    def clean_code_version(self) -> str:
        version: str = self.cleaned_data["code_version"].strip()
        if ConductAcknowledgement.objects.filter(
            employee=self.employee, code_version=version
        ).exists():
            raise forms.ValidationError(
                _("%(name)s already acknowledged version %(v)s.")
                % {"name": self.employee, "v": version}
            )
        return version


class SeparationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Separation
        fields = [
            "separated_on",
            "badges_returned",
            "keys_returned",
            "accounts_disabled",
            "access_removed",
            "notes",
        ]
        widgets = {"separated_on": DATE}

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company_id = employee.company_id
        self.instance.employee = employee
