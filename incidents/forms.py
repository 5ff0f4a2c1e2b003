"""Forms of the incident pages and of the anonymous report."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.uploads import JPEG, PDF, PNG, TEXT, check_upload
from incidents.choices import IncidentKind
from incidents.models import Incident, Notification
from profiles.forms import member_choices

CRITERION_ID = re.compile(r"^\d{1,2}\.\d{1,3}$")

REPORT_KINDS = (PDF, PNG, JPEG, TEXT)


def report_max_bytes() -> int:
    """The anonymous report's own cap (`INCIDENT_REPORT_MAX_MB`, default 5); the upload
    check never lets it exceed `CTPAT_UPLOAD_MAX_MB`."""
    return int(getattr(settings, "INCIDENT_REPORT_MAX_MB", 5)) * 1024 * 1024


class IncidentForm(forms.ModelForm):  # type: ignore[type-arg]
    """Reporting an incident. The inspection and the seal are named as people name them
    (the container number with the date, the seal number), picked from a search-as-you-type
    list, and resolved here within the company."""

    inspection = forms.CharField(label=gettext_lazy("Inspection"), max_length=80, required=False)
    seal = forms.CharField(label=gettext_lazy("Seal"), max_length=40, required=False)

    class Meta:
        model = Incident
        fields = [
            "kind",
            "title",
            "description",
            "occurred_at",
            "location",
            "border_crossing_at",
            "partner_name",
            "shipment_ref",
            "inspection",
            "seal",
        ]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "border_crossing_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        for name in ("occurred_at", "border_crossing_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        # "Title" alone is translated as a job title elsewhere; this is the incident's.
        self.fields["title"].label = pgettext_lazy("incident", "Title")
        self.fields["inspection"].help_text = _(
            "Type the container / trailer number and pick the inspection, if any."
        )
        self.fields["seal"].help_text = _("Type the seal number and pick it from the log, if any.")

    def clean_inspection(self) -> Any:
        text = str(self.cleaned_data.get("inspection") or "").strip()
        if not text:
            return None
        iit = text.split("·")[0].strip()
        found = [
            i
            for i in self.company.inspections.filter(iit_number__iexact=iit).order_by(
                "-performed_at"
            )[:50]
            if "·" not in text or i.number == text
        ]
        if not found:
            raise ValidationError(
                _("No inspection of %(number)s: pick one from the list.") % {"number": iit}
            )
        if len(found) > 1:
            raise ValidationError(
                _("%(number)s was inspected %(count)d times: pick the inspection from the list.")
                % {"number": iit, "count": len(found)}
            )
        return found[0]

    def clean_seal(self) -> Any:
        number = str(self.cleaned_data.get("seal") or "").strip()
        if not number:
            return None
        seal = self.company.seals.filter(number__iexact=number).first()
        if seal is None:
            raise ValidationError(
                _("Seal %(number)s is not in the seal log: check the number.") % {"number": number}
            )
        return seal


class InvestigationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Incident
        fields = ["status", "investigation", "root_cause", "lessons_learned"]
        widgets = {
            "investigation": forms.Textarea(attrs={"rows": 4}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "lessons_learned": gettext_lazy(
                "What this incident teaches about your supply chain risks; it is listed in "
                "the next risk assessment."
            ),
        }


class IncidentActionForm(forms.Form):
    """A corrective action raised from the investigation: what to fix, the MSC criterion
    it concerns, who owns it and by when."""

    title = forms.CharField(label=gettext_lazy("Corrective action"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What to fix"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    criterion_ref = forms.CharField(
        label=gettext_lazy("MSC criterion"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("The criterion ID it concerns, e.g. 6.1."),
    )
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), queryset=None
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = member_choices(company)
        owner.label_from_instance = lambda u: u.email

    def clean_criterion_ref(self) -> str:
        ref = str(self.cleaned_data.get("criterion_ref", "")).strip()
        if ref and not CRITERION_ID.match(ref):
            raise ValidationError(_("Write the criterion ID as category.number, e.g. 6.1 or 7.23."))
        return ref


class NotificationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Notification
        fields = ["contact", "note"]

    def clean_contact(self) -> str:
        contact = str(self.cleaned_data["contact"]).strip()
        if not contact:
            raise ValidationError(_("Say who was told (name, office or phone number)."))
        return contact


class AnonymousReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What happened"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=gettext_lazy("Describe it"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    occurred_at = forms.CharField(
        label=gettext_lazy("When (approximately)"), max_length=100, required=False
    )
    location = forms.CharField(label=gettext_lazy("Where"), max_length=200, required=False)
    contact = forms.CharField(
        label=gettext_lazy("How to reach you (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to stay anonymous."),
    )
    attachment = forms.FileField(label=gettext_lazy("Photo or document (optional)"), required=False)
    # A field people never see; a bot that fills every field is refused.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        # The one upload check, with the anonymous form's smaller cap.
        check_upload(upload, REPORT_KINDS, cap=report_max_bytes())
        return upload

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This field must be left empty."))
        return ""
