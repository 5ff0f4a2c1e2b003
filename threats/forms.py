"""Forms of the threat ratings: one rating, and the ratings file upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.widgets import quick_selects
from threats.models import Level, ThreatRating
from threats.places import find_region


class ThreatRatingForm(forms.ModelForm):  # type: ignore[type-arg]
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=100,
        help_text=_(
            "A state or province inside the country, as its ISO 3166-2 code (MX-CHH) or "
            "its name (Chihuahua). Leave empty to rate the whole country."
        ),
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = ThreatRating
        fields = [
            "country",
            "region",
            "category",
            "level",
            "source",
            "source_url",
            "rated_on",
            "note",
        ]
        widgets = {
            "level": forms.RadioSelect,
            "rated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quick_selects(self)  # the country select: ~250 options
        self.company = company
        self.instance.company = company
        level: Any = self.fields["level"]
        # No level is preselected: the member chooses one, the product never suggests it.
        level.choices = list(Level.choices)
        level.initial = None
        if not self.instance.pk and "rated_on" not in self.initial:
            self.initial["rated_on"] = timezone.localdate()
        self.fields["source"].error_messages["required"] = _(
            "Say where this rating comes from: a rating without a source cannot be saved."
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        country = data.get("country")
        text = (data.get("region") or "").strip()
        region = ""
        if text and country:
            region = find_region(str(country), text) or ""
            if not region:
                self.add_error(
                    "region",
                    _(
                        "Not a region of this country. Use an ISO 3166-2 code such as MX-CHH "
                        "or the region's name, or leave it empty for the whole country."
                    ),
                )
        data["region"] = region
        self.instance.region = region
        category = data.get("category")
        if country and category and not self.errors:
            clash = (
                ThreatRating.objects.filter(
                    company=self.company, country=country, region=region, category=category
                )
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None:
                url = reverse("threats:rating-edit", args=[self.company.pk, clash.pk])
                raise forms.ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This place and category already have a rating."),
                        url,
                        _("Edit that rating instead."),
                    )
                )
        return data
