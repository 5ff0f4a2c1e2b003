"""The wizard's two forms: the company's business type (step 1) and the answers (step 2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from companies.choices import BusinessSubtype, BusinessType
from companies.models import Company
from core.widgets import quick_selects
from eligibility.questions import NO, YES, Question
from eligibility.workflow import clean_profile


class CompanyTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    """Step 1: confirm or correct the business type, sub-type and country. Saving it
    updates the company (the wizard only offers it to people who may edit the company)."""

    class Meta:
        model = Company
        fields = ["business_type", "business_subtype", "country"]
        help_texts = {
            "business_subtype": _(
                "Highway carriers: the border you cross. Consolidators: air freight "
                "consolidator, OTI or NVOCC. Port authorities and terminal operators: U.S.- "
                "or foreign-based. Leave empty for other types."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # countries and languages: ~250 options each


class ProfileForm(forms.Form):
    """The business type, sub-type and country that step 2 asks questions for, carried
    from step 1 in the address and in hidden fields."""

    business_type = forms.ChoiceField(choices=BusinessType.choices)
    business_subtype = forms.ChoiceField(choices=BusinessSubtype.choices, required=False)
    country = forms.ChoiceField(choices=countries)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                clean_profile(data["business_type"], data["business_subtype"], data["country"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    @classmethod
    def for_company(cls, company: Company, data: Any) -> ProfileForm:
        """Bound to `data` when it names a business type, else to the company's details."""
        if data.get("business_type"):
            return cls(data)
        return cls(
            {
                "business_type": company.business_type,
                "business_subtype": company.business_subtype,
                "country": company.country.code,
            }
        )

    def summary(self) -> str:
        """The chosen type, sub-type and country in words, e.g. "Highway carrier — U.S./Mexico
        border — Mexico"."""
        data = self.cleaned_data
        parts = [str(BusinessType(data["business_type"]).label)]
        if data["business_subtype"]:
            parts.append(str(BusinessSubtype(data["business_subtype"]).label))
        parts.append(str(countries.name(data["country"])))
        return " — ".join(parts)

    def hidden(self) -> ProfileForm:
        for field in self.fields.values():
            field.widget = forms.HiddenInput()
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # countries and languages: ~250 options each


class AnswersForm(forms.Form):
    """Step 2: one yes/no question per requirement that applies, in the active language."""

    def __init__(self, questions: list[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.id] = forms.ChoiceField(
                label=question.label,
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this question: yes or no.")},
            )

    def answers(self) -> dict[str, str]:
        return {q.id: self.cleaned_data[q.id] for q in self.questions}
