from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tradecompliance.catalogue import program
from tradecompliance.models import Answer


class QuestionnaireForm(forms.Form):
    """One yes/no field and one explanation per question of the internal-control
    questionnaire (`data/program.toml`)."""

    def __init__(self, *args: Any, answers: dict[str, dict[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.rows: list[tuple[Any, Any, Any]] = []
        for question in program().questions:
            given = answers.get(question.key) or {}
            self.fields[f"{question.key}"] = forms.ChoiceField(
                label=question.text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=given.get("answer"),
            )
            self.fields[f"{question.key}__explanation"] = forms.CharField(
                label=_("Explanation (needed when the answer is No)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=given.get("explanation", ""),
            )
            self.rows.append((question, self[question.key], self[f"{question.key}__explanation"]))

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            q.key: {
                "answer": data.get(q.key) or "",
                "explanation": data.get(f"{q.key}__explanation", ""),
            }
            for q in program().questions
        }


class SignForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    title = forms.CharField(label=_("Your title"), max_length=200)
    attest = forms.BooleanField(
        label=_("I have read the statement above and sign it on the company's behalf."),
        error_messages={
            "required": _("Tick this box to sign; signing is not possible without it.")
        },
    )
    language = forms.CharField(widget=forms.HiddenInput, max_length=8)
    statement_sha256 = forms.RegexField(widget=forms.HiddenInput, regex=r"^[0-9a-f]{64}$")


class EvidenceForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Requirement"))
    file = forms.FileField(label=_("File"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [  # type: ignore[attr-defined]
            (r.key, r.title) for r in program().requirements
        ]


class LetterForm(forms.Form):
    still_meets_requirements = forms.BooleanField(
        label=_("The company still meets the requirements of CTPAT Trade Compliance."),
        error_messages={
            "required": _(
                "The letter confirms the company still meets the requirements; if it does "
                "not, tell the program office instead."
            )
        },
    )
    self_testing = forms.CharField(
        label=_("Self-testing done this year"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which controls were tested, what was found and what was corrected."),
    )
    organisational_changes = forms.CharField(
        label=_("Major organisational changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mergers, acquisitions, new business units, new importer numbers; leave empty if none."
        ),
    )
    contact_changes = forms.CharField(
        label=_("Changes of contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    title = forms.CharField(label=_("Your title"), max_length=200)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the company"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the application is refused"), widget=forms.Textarea(attrs={"rows": 3})
    )
