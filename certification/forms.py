"""Forms of the program-office pages. They only collect input; the workflow decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Criterion
from certification.choices import Finding, Observation, Outcome, SuspensionReason, VettingItem
from certification.models import ValidationReport
from certification.workflow import Transition


class TransitionForm(forms.Form):
    transition = forms.ChoiceField(label=_("Step"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    suspension_reason = forms.ChoiceField(
        label=_("Suspension reason"),
        choices=[("", "—"), *SuspensionReason.choices],
        required=False,
    )
    self_reported = forms.BooleanField(
        label=_("The member reported the incident itself"), required=False
    )
    joint_review_failed = forms.BooleanField(
        label=_("The joint review found due diligence lacking"), required=False
    )

    def __init__(self, *args: Any, transitions: list[Transition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["transition"]
        field.choices = [(t.name, t.label) for t in transitions]

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "suspension_reason": data["suspension_reason"],
            "self_reported": data["self_reported"],
            "joint_review_failed": data["joint_review_failed"],
        }


class VettingForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=VettingItem.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False)


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why override"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CriterionReviewForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("Criterion"), queryset=Criterion.objects.filter(catalogue__published=True)
    )
    accepted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class ReportForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ValidationReport
        fields = [
            "with_visit",
            "planned_start",
            "planned_end",
            "sites",
            "team",
            "summary",
            "required_actions",
            "recommendations",
            "tier_outcome",
        ]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "sites": forms.Textarea(attrs={"rows": 2}),
            "team": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "required_actions": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "tier_outcome": forms.Select(choices=[(2, _("Tier 2")), (3, _("Tier 3"))]),
        }


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Return"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), required=False)


class WorksheetEntryForm(forms.Form):
    observation = forms.ChoiceField(
        label=_("Observation"), choices=[("", "—"), *Observation.choices]
    )
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices, initial=Finding.NONE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args: Any, ref: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every control says which criterion it belongs to (96 rows of the same three
        # controls need names a screen reader can tell apart).
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = f"{field.label} {ref}".strip()
            field.widget.attrs.setdefault("id", f"ws-{self.prefix}-{name}")


class WorksheetSubmitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ValidationReport
        fields = ["summary", "tier_outcome"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "tier_outcome": forms.Select(choices=[(2, _("Tier 2")), (3, _("Tier 3"))]),
        }


class ReportResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your response to the required actions"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SuspensionResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your response: the corrective actions taken"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal, with the evidence of the fixes"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Document title"),
        max_length=200,
        help_text=_("Upload again under the same title to add a new version."),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, image or text.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AssignForm(forms.Form):
    """A supervisor hands the case to a specialist (or anyone takes it: "Assign to me")."""

    specialist: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from accounts.models import User

        super().__init__(*args, **kwargs)
        field: Any = self.fields["specialist"]
        field.queryset = User.objects.exclude(program_role="").order_by("email")
