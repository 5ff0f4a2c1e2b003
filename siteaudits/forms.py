from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Membership
from core.uploads import IMAGE_KINDS, check_upload
from core.widgets import search_select
from partners.models import BusinessPartner
from siteaudits import checklists
from siteaudits.choices import ChecklistSource, ItemResult, Severity
from siteaudits.models import OwnChecklist, SiteAudit


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    """Plan a visit: partner, date, auditor, checklist, report language."""

    class Meta:
        model = SiteAudit
        fields = ["partner", "planned_on", "site", "auditor", "source", "own_checklist", "language"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        # Its own ids: the list's filter form on the same page has a `partner` field too.
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)
        self.company = company
        fields: Any = self.fields
        # Chosen by search-as-you-type: a company may have tens of thousands of partners
        # (a select of 50,000 took minutes to build).
        search_select(
            fields["partner"],
            reverse("partners:partner-lookup", args=[company.pk]),
            BusinessPartner.objects.filter(company=company),
        )
        fields["own_checklist"].queryset = OwnChecklist.objects.filter(company=company)
        fields["own_checklist"].required = False
        fields["auditor"].queryset = company_people(company)
        fields["auditor"].label_from_instance = lambda user: user.email
        fields["source"].widget = forms.RadioSelect(choices=ChecklistSource.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == ChecklistSource.OWN and not data.get("own_checklist"):
            self.add_error("own_checklist", _("Choose which of your checklists to use."))
        return data


def company_people(company: Company) -> Any:
    from accounts.models import User

    editors = Membership.objects.filter(
        company=company, role__in=["officer", "admin", "user", "consultant"]
    )
    return User.objects.filter(pk__in=editors.values("user_id")).order_by("email")


class ItemForm(forms.Form):
    """What the auditor found for one item, and an optional photo."""

    result = forms.ChoiceField(label=_("Result"), choices=ItemResult.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("—")), *Severity.choices], required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo is not None:
            check_upload(photo, IMAGE_KINDS)
        return photo


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Completing the audit raises a corrective action for every item not met and "
            "gives the partner a link to answer them; the results can no longer change."
        ),
    )


class OwnChecklistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    lines = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One item per line: criterion | English | Spanish, e.g. "
            "“3.5 | Visitors are escorted | Los visitantes van acompañados”. "
            "The criterion and the Spanish are optional."
        ),
    )

    def clean_lines(self) -> list[dict[str, str]]:
        items, errors = checklists.parse_lines(self.cleaned_data["lines"])
        if errors:
            raise forms.ValidationError(errors)
        if not items:
            raise forms.ValidationError(_("Write at least one item."))
        if len(items) > 200:
            raise forms.ValidationError(_("At most 200 items per checklist."))
        return items


class ReplyForm(forms.Form):
    """The partner's answer to one corrective action, on the link page."""

    action = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Your name"), max_length=200)
    text = forms.CharField(
        label=_("What you did or will do"), widget=forms.Textarea(attrs={"rows": 3})
    )
    done_by = forms.DateField(
        label=_("To be done by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
