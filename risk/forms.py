from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actions.forms import ActionForm
from core.widgets import quick_selects, search_select
from partners.models import BusinessPartner
from risk.choices import Level
from risk.models import Assessment, Node, RiskSettings, SupplyChain, VulnerabilityRating


class RiskSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RiskSettings
        fields = [
            "high_value",
            "medium_value",
            "low_value",
            "high_threshold",
            "medium_threshold",
            "assessors",
            "sources",
        ]
        widgets = {"sources": forms.Textarea(attrs={"rows": 3})}


class AssessmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Assessment
        fields = ["assessed_on", "method"]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "method": forms.Textarea(attrs={"rows": 16}),
        }


class SupplyChainForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SupplyChain
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment

    def validate_unique(self) -> None:
        # The assessment is set by the view, so Django's own check skips the pair.
        super().validate_unique()
        name = self.cleaned_data.get("name", "")
        taken = SupplyChain.objects.filter(
            assessment=self.instance.assessment, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if name and taken.exists():
            self.add_error("name", _("This assessment already has a supply chain of that name."))


class NodeForm(forms.ModelForm):  # type: ignore[type-arg]
    comes_from = forms.ModelMultipleChoiceField(
        label=_("Cargo comes from"),
        queryset=Node.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goes_to = forms.ModelMultipleChoiceField(
        label=_("Cargo goes on to"),
        queryset=Node.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Node
        fields = [
            "name",
            "kind",
            "partner",
            "country",
            "region",
            "mode",
            "cargo_rests",
            "rest_hours",
            "order",
        ]

    def __init__(self, *args: Any, chain: SupplyChain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.chain = chain
        others = chain.nodes.exclude(pk=self.instance.pk) if self.instance.pk else chain.nodes.all()
        for name in ("comes_from", "goes_to"):
            field: Any = self.fields[name]
            field.queryset = others
        # Chosen by search-as-you-type: a company may have tens of thousands of partners.
        company_id = chain.assessment.company_id
        search_select(
            self.fields["partner"],
            reverse("partners:partner-lookup", args=[company_id]),
            BusinessPartner.objects.filter(company=company_id),
        )
        quick_selects(self)  # the country select: ~250 options
        self.fields["country"].error_messages["required"] = _(
            "Every node needs a country: threats are rated per country."
        )
        if self.instance.pk:
            self.initial["goes_to"] = list(self.instance.next_nodes.values_list("pk", flat=True))
            self.initial["comes_from"] = list(
                self.instance.previous_nodes.values_list("pk", flat=True)
            )
        elif not self.is_bound:
            last = chain.nodes.order_by("-order", "-pk").first()
            self.initial["order"] = last.order + 1 if last is not None else 1
            if last is not None:
                self.initial["comes_from"] = [last.pk]


class VulnerabilityForm(forms.Form):
    level = forms.ChoiceField(label=_("Vulnerability"), choices=Level.choices)
    override_reason = forms.CharField(
        label=_("Reason for a different level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, suggested: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggested = suggested

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level = data.get("level")
        if level and level != self.suggested and not (data.get("override_reason") or "").strip():
            rating = VulnerabilityRating(
                suggested_level=self.suggested, level=level, override_reason=""
            )
            try:
                rating.clean()
            except forms.ValidationError as exc:
                for message in exc.message_dict.get("override_reason", []):
                    self.add_error("override_reason", message)
        return data


class RiskActionForm(ActionForm):
    """A corrective action of the action plan (step 4), optionally tied to one
    vulnerability rating of the assessment."""

    rating = forms.ModelChoiceField(
        label=_("Vulnerability it addresses"),
        queryset=VulnerabilityRating.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, company=assessment.company, **kwargs)
        rating: Any = self.fields["rating"]
        rating.queryset = VulnerabilityRating.objects.filter(
            chain__assessment=assessment
        ).select_related("chain")
        rating.label_from_instance = lambda r: (
            f"{r.chain.name} · {r.get_category_display()} · {r.get_level_display()}"
        )
        self.fields.pop("status")
        self.fields.pop("completion_note")
