from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import BusinessPartner, PartnerRole
from questionnaires.models import DEFAULT_VALID_DAYS, Language, MemberQuestionSet


class SendForm(forms.Form):
    """Send a questionnaire to a contact at the partner."""

    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The partner's browser language")), *Language.choices],
        required=False,
    )
    valid_days = forms.IntegerField(
        label=_("Link valid for (days)"),
        min_value=1,
        max_value=120,
        initial=DEFAULT_VALID_DAYS,
        help_text=_("After this the link stops working and the questionnaire is overdue."),
    )

    def __init__(self, *args: Any, partner: BusinessPartner | None = None, **kwargs: Any) -> None:
        if partner is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "contact_email": partner.contact_email,
                "contact_name": partner.contact_name,
                "valid_days": DEFAULT_VALID_DAYS,
            }
        super().__init__(*args, **kwargs)


class SetChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        latest = obj.latest()
        return f"{obj.title()} (v{latest.number})" if latest else obj.title()


def add_set_choice(form: SendForm, partner: BusinessPartner) -> None:
    """Offer the member's own published sets that fit the partner's role."""
    fitting = [
        s.pk
        for s in MemberQuestionSet.objects.filter(
            company_id=partner.company_id, versions__isnull=False
        ).distinct()
        if not s.latest().questions().roles  # type: ignore[union-attr]
        or partner.role in s.latest().questions().roles  # type: ignore[union-attr]
    ]
    form.fields["question_set"] = SetChoiceField(
        label=_("Question set"),
        queryset=MemberQuestionSet.objects.filter(pk__in=fitting),
        required=False,
        empty_label=str(_("The shipped set for this partner's role")),
        help_text=_("Your own sets are sent in their latest published version."),
    )


KIND_LABELS = {
    "single": _("Single choice"),
    "multiple": _("Multiple choice"),
    "yes_no": _("Yes / no"),
    "date": _("Date"),
    "number": _("Number"),
    "text": _("Text"),
    "file": _("File"),
}


class SetForm(forms.Form):
    """A new set, or the title and roles of one."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Lower-case letters, digits and -; names the set in files."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200)
    roles = forms.MultipleChoiceField(
        label=_("Partner roles"),
        choices=PartnerRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to offer the set for every partner."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Question set file (.toml, .yaml)"),
        help_text=_("Same shape as the export. A set with the same key gets it as its draft."),
    )


def _score_text(choice: dict[str, Any]) -> str:
    return f"{choice['score']:g}" if choice.get("counts", True) else "-"


class QuestionForm(forms.Form):
    """One question of a member's set, as the builder page edits it."""

    id = forms.RegexField(
        label=_("ID"),
        regex=r"^[a-z0-9][a-z0-9-]{0,39}$",
        max_length=40,
        help_text=_("Lower-case letters, digits and -; answers keep it."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=list(KIND_LABELS.items()))
    en = forms.CharField(label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    es = forms.CharField(label=_("Question (Spanish)"), widget=forms.Textarea(attrs={"rows": 2}))
    criterion = forms.RegexField(
        label=_("MSC criterion it backs"),
        regex=r"^\d{1,2}\.\d{1,2}$",
        required=False,
        help_text=_("For example 3.5; leave empty if none."),
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=0,
        max_value=100,
        initial=1,
        help_text=_("Points at stake in the score; 0 leaves the question out of it."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Answers (single or multiple choice)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: key | score from 0 to 1 | English | Spanish, "
            "e.g. partly | 0.5 | Partly | En parte; score - for “not applicable”."
        ),
    )
    show_if_question = forms.ChoiceField(
        label=_("Ask only if question"), required=False, choices=[("", "—")]
    )
    show_if_answers = forms.CharField(
        label=_("was answered"),
        required=False,
        help_text=_("Answer keys separated by commas, e.g. no (yes/no questions: yes or no)."),
    )

    def __init__(self, *args: Any, earlier: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["show_if_question"]
        field.choices = [("", "—"), *(earlier or [])]  # type: ignore[attr-defined]

    def clean_choices(self) -> list[dict[str, Any]]:
        parsed = []
        for n, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4:
                raise forms.ValidationError(
                    _("Line %(n)d: write key | score | English | Spanish.") % {"n": n}
                )
            choice: dict[str, Any] = {"key": parts[0], "en": parts[2], "es": parts[3]}
            if parts[1] == "-":
                choice.update(score=0.0, counts=False)
            else:
                try:
                    choice["score"] = float(parts[1].replace(",", "."))
                except ValueError:
                    raise forms.ValidationError(
                        _(
                            "Line %(n)d: the score must be a number from 0 to 1, or - for "
                            "“not applicable”."
                        )
                        % {"n": n}
                    ) from None
            parsed.append(choice)
        return parsed

    def entry(self) -> dict[str, Any]:
        """The question as a document entry (checked again with the whole set)."""
        data = self.cleaned_data
        entry: dict[str, Any] = {
            "id": data["id"],
            "type": data["type"],
            "en": data["en"],
            "es": data["es"],
            "weight": data["weight"],
            "required": data["required"],
        }
        if data["criterion"]:
            entry["criterion"] = data["criterion"]
        if data["type"] in ("single", "multiple"):
            entry["choice"] = data["choices"]
        if data["show_if_question"]:
            entry["show_if"] = {
                "question": data["show_if_question"],
                "answers": [a.strip() for a in data["show_if_answers"].split(",") if a.strip()],
            }
        return entry

    @classmethod
    def initial_from(cls, entry: dict[str, Any]) -> dict[str, Any]:
        condition = entry.get("show_if") or {}
        return {
            "id": entry["id"],
            "type": entry["type"],
            "en": entry["en"],
            "es": entry["es"],
            "criterion": entry.get("criterion", ""),
            "weight": entry["weight"],
            "required": entry.get("required", True),
            "choices": "\n".join(
                f"{c['key']} | {_score_text(c)} | {c['en']} | {c['es']}"
                for c in entry.get("choice", [])
            ),
            "show_if_question": condition.get("question", ""),
            "show_if_answers": ", ".join(condition.get("answers", [])),
        }
