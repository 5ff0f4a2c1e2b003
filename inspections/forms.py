"""Forms of the inspection, checklist and gate pages. The inspection form is built from the
chosen checklist: one result, note and photo per point."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company
from core.signatures import SignatureField
from core.uploads import IMAGE_KINDS, check_upload
from core.widgets import search_select
from inspections.checklists import Checklist
from inspections.choices import Result
from inspections.models import GATE_ENTRY_FIELDS, ChecklistTemplate, GateEntry, Inspection
from inspections.workflow import PointAnswer, answer_errors

RESULT_CHOICES = [("", gettext_lazy("Not checked yet")), *Result.choices]


class InspectionForm(forms.ModelForm):  # type: ignore[type-arg]
    client_key = forms.UUIDField(widget=forms.HiddenInput, label=gettext_lazy("Form key"))
    inspector_signature = SignatureField(
        required=False, label=gettext_lazy("Inspector's signature")
    )

    class Meta:
        model = Inspection
        fields = [
            "iit_number",
            "plate",
            "direction",
            "performed_at",
            "location",
            "location_note",
            "pest_checked",
            "pest_found",
            "pest_description",
            "cleaning",
            "seal_number",
            "vvtt_view",
            "vvtt_verify",
            "vvtt_tug",
            "vvtt_twist",
            "notes",
        ]
        widgets = {
            # data-offline-now: a form opened from the phone's kept copy takes the time it
            # is opened, not the time the copy was kept (inspections/static/offline.js).
            "performed_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "data-offline-now": ""}, format="%Y-%m-%dT%H:%M"
            ),
            # data-offline-label: the send queue names a waiting inspection by its number.
            "iit_number": forms.TextInput(attrs={"data-offline-label": ""}),
            "pest_description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, company: Company, checklist: Checklist, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        performed_at: Any = self.fields["performed_at"]
        performed_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        location: Any = self.fields["location"]
        location.queryset = company.addresses.all()
        for point in checklist.points:
            self.fields[f"point-{point.key}-result"] = forms.ChoiceField(
                label=point.label, choices=RESULT_CHOICES, required=False, help_text=point.hint
            )
            # The error summary names a point's note and photo by the point they belong to.
            self.fields[f"point-{point.key}-note"] = forms.CharField(
                label=f"{point.label}: {_('Note')}", max_length=500, required=False
            )
            self.fields[f"point-{point.key}-photo"] = forms.FileField(
                label=f"{point.label}: {_('Photo')}", required=False
            )

    def point_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "point": point,
                "result": self[f"point-{point.key}-result"],
                "note": self[f"point-{point.key}-note"],
                "photo": self[f"point-{point.key}-photo"],
                "choices": Result.choices,
            }
            for point in self.checklist.points
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for point in self.checklist.points:
            photo = data.get(f"point-{point.key}-photo")
            if photo:
                try:
                    check_upload(photo, IMAGE_KINDS)
                except forms.ValidationError as exc:
                    self.add_error(f"point-{point.key}-photo", exc)
        answers = {
            p.key: PointAnswer(
                result=data.get(f"point-{p.key}-result") or "",
                note=data.get(f"point-{p.key}-note") or "",
            )
            for p in self.checklist.points
        }
        for key, message in answer_errors(self.checklist, answers).items():
            self.add_error(f"point-{key}-note", message)
        return data

    def answers(self) -> dict[str, PointAnswer]:
        data = self.cleaned_data
        return {
            p.key: PointAnswer(
                result=data.get(f"point-{p.key}-result", ""),
                note=data.get(f"point-{p.key}-note", ""),
                photo=data.get(f"point-{p.key}-photo"),
            )
            for p in self.checklist.points
        }

    def record_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.cleaned_data.get("inspector_signature") is not None:
            fields["inspector_signature"] = self.cleaned_data["inspector_signature"]
        return fields


MAX_SHEET_RECIPIENTS = 10


class SheetEmailForm(forms.Form):
    """Where to send an inspection's sheet: addresses separated by commas, semicolons or
    lines, at most MAX_SHEET_RECIPIENTS, each checked, and the sheet's language."""

    recipients = forms.CharField(
        label=gettext_lazy("Send the sheet to"),
        help_text=gettext_lazy("E-mail addresses, separated by commas."),
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the sheet"),
        choices=[("es", "Español"), ("en", "English")],
    )

    def clean_recipients(self) -> list[str]:
        raw = self.cleaned_data["recipients"]
        addresses = [a.strip() for a in raw.replace(";", ",").replace("\n", ",").split(",")]
        addresses = list(dict.fromkeys(a for a in addresses if a))
        if len(addresses) > MAX_SHEET_RECIPIENTS:
            raise forms.ValidationError(
                _("Send to at most %(n)s addresses at a time.") % {"n": MAX_SHEET_RECIPIENTS}
            )
        bad = [a for a in addresses if not _is_email(a)]
        if bad:
            raise forms.ValidationError(
                _("Not an e-mail address: %(bad)s. Correct it and send again.")
                % {"bad": ", ".join(bad)}
            )
        return addresses


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except forms.ValidationError:
        return False
    return True


class SignOffForm(forms.Form):
    signature = SignatureField(required=False, label=gettext_lazy("Supervisor's signature"))


def error_summary(form: forms.BaseForm) -> list[dict[str, str]]:
    """A refusal as the phone's queue shows it: each message with the field's label in
    the user's language and the id of the field it links to."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for message in errors:
            items.append(
                {
                    "field": name,
                    "id": form[name].auto_id if field is not None else "",
                    "label": str(field.label or name) if field is not None else "",
                    "message": str(message),
                }
            )
    return items


class ChecklistTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    point_lines = forms.CharField(
        label=gettext_lazy("Points"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "One point per line: English name | Spanish name | hint (Spanish name and hint "
            "are optional)."
        ),
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["name"]

    def clean_point_lines(self) -> list[dict[str, str]]:
        points: list[dict[str, str]] = []
        seen: set[str] = set()
        for number, line in enumerate(self.cleaned_data["point_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if not parts[0]:
                raise forms.ValidationError(
                    _("Line %(n)d has no English name before the first “|”.") % {"n": number}
                )
            key = f"p{len(points) + 1}"
            if parts[0].lower() in seen:
                raise forms.ValidationError(
                    _("Line %(n)d repeats the point “%(name)s”.") % {"n": number, "name": parts[0]}
                )
            seen.add(parts[0].lower())
            points.append(
                {
                    "key": key,
                    "en": parts[0][:120],
                    "es": (parts[1] if len(parts) > 1 and parts[1] else parts[0])[:120],
                    "hint_en": parts[2] if len(parts) > 2 else "",
                    "hint_es": parts[2] if len(parts) > 2 else "",
                }
            )
        if not points:
            raise forms.ValidationError(_("Enter at least one point."))
        self.instance.points = points
        return points


class GateEntryForm(forms.ModelForm):  # type: ignore[type-arg]
    client_key = forms.UUIDField(widget=forms.HiddenInput, label=gettext_lazy("Form key"))

    class Meta:
        model = GateEntry
        fields = list(GATE_ENTRY_FIELDS)
        widgets = {
            "seal_intact": forms.NullBooleanSelect,
            "driver_name": forms.TextInput(attrs={"data-offline-label": ""}),
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        # Found by typing the container / trailer number: a busy yard inspects hundreds a
        # day, too many for a select.
        since = timezone.now() - datetime.timedelta(days=3)
        search_select(
            self.fields["inspection"],
            reverse("inspections:inspection-lookup", args=[company.pk]),
            company.inspections.filter(performed_at__gte=since),
        )

    def record_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
