"""Forms of the training pages; each takes the company so choices stay inside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Address, Company
from core.signatures import signature_file
from core.widgets import search_select_multiple
from personnel.models import Employee, SecurityRole
from training.matrix import NO_MANAGER, OPEN_FILTER, State
from training.models import (
    CRITERION_ID,
    Course,
    CultureEvidence,
    CultureRecord,
    Observation,
    RetrainingTrigger,
    SessionMaterial,
    TrainingRecord,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CriteriaField(forms.CharField):
    """MSC criterion ids typed as text ("12.2, 12.10"), kept as a list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        ids = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        bad = [i for i in ids if not CRITERION_ID.match(i)]
        if bad:
            raise forms.ValidationError(
                _("“%(bad)s” is not an MSC criterion id; write ids such as 12.2 or 7.10.")
                % {"bad": ", ".join(bad)}
            )
        return ids


class CourseForm(forms.ModelForm):  # type: ignore[type-arg]
    criteria = CriteriaField(
        label=_("MSC criteria"),
        required=False,
        help_text=_("Criterion ids separated by commas, e.g. 12.2, 12.10."),
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "criteria",
            "refresher_months",
            "roles",
            "pass_mark",
            "active",
        ]
        widgets = {"roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company
        self.fields["roles"].queryset = SecurityRole.objects.filter(company=company)  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = Course.objects.filter(company=self.company, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This company already has a course with this code."))
        return code


class RetrainForm(forms.Form):
    trigger = forms.ChoiceField(label=_("Reason"), choices=RetrainingTrigger.choices)
    reason = forms.CharField(
        label=_("Details"),
        max_length=300,
        help_text=_("E.g. “Seal procedure revised 2025-05” or “Incident 2025-014 at gate 3”."),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Everyone with these roles"),
        queryset=SecurityRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employees = forms.ModelMultipleChoiceField(
        label=_("These people"), queryset=Employee.objects.none(), required=False
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = course.roles.all()  # type: ignore[attr-defined]
        # Picked by search-as-you-type, as the attendees: a course may concern thousands.
        search_select_multiple(
            self.fields["employees"],
            reverse("training:course-people-lookup", args=[course.company_id, course.pk]),
            course_people(course),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("roles") and not data.get("employees"):
            raise forms.ValidationError(_("Choose at least one role or one person to retrain."))
        return data


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrainingSession
        fields = ["course", "held_on", "trainer", "topics", "facility", "sign_in_sheet", "notes"]
        widgets = {"held_on": DATE, "topics": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company
        self.fields["course"].queryset = Course.objects.filter(company=company, active=True)  # type: ignore[attr-defined]
        self.fields["facility"].queryset = Address.objects.filter(company=company)  # type: ignore[attr-defined]


class MaterialForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SessionMaterial
        fields = ["title", "file"]

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company_id = session.company_id
        self.instance.session = session


def course_people(course: Course) -> Any:
    """The active employees holding a role that requires `course`."""
    return Employee.objects.filter(company_id=course.company_id, active=True).filter(
        pk__in=Employee.roles.through.objects.filter(securityrole__in=course.roles.all()).values(
            "employee_id"
        )
    )


def attendee_choices(session: TrainingSession) -> Any:
    """The people who may be recorded as attending `session`: its company's active
    employees without a record for it yet."""
    return Employee.objects.filter(company_id=session.company_id, active=True).exclude(
        pk__in=session.records.values("employee_id")
    )


class AttendanceForm(forms.Form):
    employees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=Employee.objects.none()
    )
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    quiz_score = forms.IntegerField(
        label=_("Quiz score (%)"), min_value=0, max_value=100, required=False
    )
    observation = forms.ChoiceField(
        label=_("Observed result"), choices=Observation.choices, required=False
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"completed_on": session.held_on})
        super().__init__(*args, **kwargs)
        self.session = session
        # Picked by search-as-you-type: a company may employ thousands of people, and a
        # box per person took seconds to build (issue 21).
        search_select_multiple(
            self.fields["employees"],
            reverse("training:attendee-lookup", args=[session.company_id, session.pk]),
            attendee_choices(session),
        )

    def clean_completed_on(self) -> Any:
        day = self.cleaned_data["completed_on"]
        if day < self.session.held_on:
            raise forms.ValidationError(
                _("A record cannot be dated before its session (%(date)s).")
                % {"date": self.session.held_on.isoformat()}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("The completion date cannot be in the future."))
        return day


class RecordForm(forms.ModelForm):  # type: ignore[type-arg]
    """An individual record (training outside our sessions) or the measure of a record."""

    class Meta:
        model = TrainingRecord
        fields = ["course", "completed_on", "quiz_score", "observation", "notes"]
        widgets = {"completed_on": DATE}

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company_id = employee.company_id
        self.instance.employee = employee
        self.fields["course"].queryset = Course.objects.filter(company_id=employee.company_id)  # type: ignore[attr-defined]
        if self.instance.session_id:
            self.fields["course"].disabled = True


class SignatureForm(forms.Form):
    """The attendee's signature drawn on screen, sent as a PNG data URL by signature.js."""

    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, record: TrainingRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def clean_signature(self) -> ContentFile[bytes]:
        value: str = self.cleaned_data.get("signature") or ""
        if not value:
            raise forms.ValidationError(_("Sign in the box before saving."))
        return signature_file(value, f"signature-{self.record.pk}.png")


class CultureRecordForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CultureRecord
        fields = ["kind", "title", "dated", "people", "summary", "next_review"]
        widgets = {"dated": DATE, "next_review": DATE}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company


class EvidenceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CultureEvidence
        fields = ["title", "file"]

    def __init__(self, *args: Any, record: CultureRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company_id = record.company_id
        self.instance.record = record


class MatrixFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), required=False)
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Address.objects.none(), required=False
    )
    role = forms.ModelChoiceField(
        label=pgettext_lazy("security", "Role"),
        queryset=SecurityRole.objects.none(),
        required=False,
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            ("", "—"),
            *State.choices,
            (OPEN_FILTER, _("Not done")),
        ],
        required=False,
    )
    manager = forms.ChoiceField(
        label=_("Manager"),
        choices=[("", "—"), (NO_MANAGER, _("Nobody"))],
        required=False,
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Address.objects.filter(company=company)  # type: ignore[attr-defined]
        self.fields["role"].queryset = SecurityRole.objects.filter(company=company)  # type: ignore[attr-defined]
        self.fields["course"].queryset = Course.objects.filter(company=company, active=True)  # type: ignore[attr-defined]
