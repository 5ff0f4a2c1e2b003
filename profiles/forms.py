from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue.choices import Requirement
from companies.models import Company
from core.uploads import accepted_types_text, check_upload
from profiles.choices import ResponseStatus
from profiles.models import Evidence, Response


def member_choices(company: Company) -> Any:
    return get_user_model().objects.filter(memberships__company=company).order_by("email")


class ResponseForm(forms.ModelForm):  # type: ignore[type-arg]
    """An answer to one criterion. `version` is the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Response
        fields = ["status", "narrative", "na_reason", "owner", "due_date"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "na_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_choices(company)  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.email  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("— not answered —")),
            *[(v, label) for v, label in ResponseStatus.choices if v],
        ]
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == ResponseStatus.NOT_APPLICABLE
            and not (data.get("na_reason") or "").strip()
        ):
            self.add_error(
                "na_reason",
                _(
                    "Say why this criterion does not apply to your company; “Not applicable” "
                    "needs a reason."
                ),
            )
        return data

    def _post_clean(self) -> None:
        # Model validation runs in Response.save_edit, on the locked current row.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Response.EDITABLE_FIELDS}


class UploadField(forms.FileField):
    """A file field that runs the content checks of core.uploads at form validation,
    so the message appears next to the field."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload)
        return upload


def _upload_help() -> str:
    return str(_("Accepted: %(types)s.")) % {"types": accepted_types_text()}


class EvidenceForm(forms.ModelForm):  # type: ignore[type-arg]
    file = UploadField(label=_("File"))

    class Meta:
        model = Evidence
        fields = ["title", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()


class EvidenceVersionForm(forms.Form):
    file = UploadField(label=_("New version"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()


class ProfileFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("unanswered", _("Not answered")),
            *[(v, label) for v, label in ResponseStatus.choices if v],
        ],
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    requirement = forms.ChoiceField(
        label=_("Must / Should"),
        required=False,
        choices=[("", _("Must and Should")), *Requirement.choices],
    )

    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(
        self,
        *args: Any,
        company: Company,
        categories: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("none", _("No owner")),
            *[(str(u.pk), u.email) for u in member_choices(company)],
        ]
        if categories is None:
            del self.fields["category"]
        else:
            self.fields["category"].choices = [  # type: ignore[attr-defined]
                ("", _("All categories")),
                *[(str(number), f"{number}. {name}") for number, name in categories],
            ]

    def matches(self, row: Any) -> bool:
        if not self.is_valid():
            return True
        category = self.cleaned_data.get("category")
        if category and str(row.criterion.category_number) != category:
            return False
        status = self.cleaned_data["status"]
        if status == "unanswered" and row.status:
            return False
        if status and status != "unanswered" and row.status != status:
            return False
        owner = self.cleaned_data["owner"]
        if owner == "none" and row.response.owner_id is not None:
            return False
        if owner and owner != "none" and str(row.response.owner_id) != owner:
            return False
        requirement = self.cleaned_data["requirement"]
        return not (requirement and row.requirement != requirement)


class RowForm(forms.Form):
    """Status, owner and due date of one answer, edited in its row of the answers grid.
    `version` is the version the row showed."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_choices(company)  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("— not answered —")),
            *[(v, label) for v, label in ResponseStatus.choices if v],
        ]


KEEP = "keep"


class BulkForm(forms.Form):
    """One change applied to many answers of the grid: the chosen rows, or every row the
    filter shows. A field left on “keep” is not changed."""

    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("selected", _("the ticked criteria")), ("shown", _("every criterion shown"))],
        initial="selected",
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(label=_("Set status"), required=False)
    owner = forms.ChoiceField(label=_("Set owner"), required=False)
    due_date = forms.DateField(
        label=_("Set due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    clear_due_date = forms.BooleanField(label=_("Clear the due date"), required=False)

    prefix = "bulk"  # the grid page also has the filter form's status and owner

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(u.pk): u for u in member_choices(company)}
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (KEEP, _("— keep —")),
            *[(v, label) for v, label in ResponseStatus.choices if v],
        ]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (KEEP, _("— keep —")),
            ("none", _("No owner")),
            *[(pk, u.email) for pk, u in self.members.items()],
        ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("status") not in (None, "", KEEP):
            changes["status"] = data["status"]
        owner = data.get("owner")
        if owner == "none":
            changes["owner"] = None
        elif owner not in (None, "", KEEP):
            changes["owner"] = self.members[owner]
        if data.get("clear_due_date"):
            changes["due_date"] = None
        elif data.get("due_date"):
            changes["due_date"] = data["due_date"]
        return changes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.changes():
            raise ValidationError(_("Choose a status, an owner or a due date to apply."))
        return data


class SubmitForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    title = forms.CharField(label=_("Your title"), max_length=200)
    attest = forms.BooleanField(
        label=_(
            "I attest that this security profile is accurate and complete to the best of "
            "my knowledge, and I am authorised to submit it for the company."
        ),
        required=True,
        error_messages={"required": _("Tick the attestation to submit the profile.")},
    )


class NoChangeForm(forms.Form):
    attest = forms.BooleanField(
        label=_(
            "I reviewed every answer of the security profile this year and nothing "
            "changed since the last submission."
        ),
        required=True,
        error_messages={"required": _("Tick the attestation to record the review.")},
    )


def check_file_or_error(form: forms.Form, exc: ValidationError) -> None:
    form.add_error("file", exc)
