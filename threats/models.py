"""Country and region threat ratings: step 2 of CBP's five-step risk assessment.

For each country (and, when it matters, a region inside it) where the member's cargo
originates, rests or transits, the member rates each threat category High, Medium or
Low and says where the rating comes from (MSC 2.1; domain.md §3.2 and §3.4). A rating
is always the member's own or imported from the member's file with its sources: the
product never supplies one. Ratings are reviewed at least yearly (MSC 2.3), so a rating
older than `STALE_AFTER_DAYS` is flagged.

A company holds one current rating per country, region and category; changing it keeps
the earlier values in the audit log.
"""

from __future__ import annotations

import datetime
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import TenantModel
from core.tenancy import TenantQuerySet

# MSC 2.3: the risk assessment is reviewed at least once a year.
STALE_AFTER_DAYS = 365


class Category(models.TextChoices):
    """Threat categories of the CBP threat assessment (domain.md §3.4)."""

    TERRORISM = "terrorism", _("Terrorism")
    CONTRABAND = "contraband", _("Contraband smuggling")
    HUMAN_SMUGGLING = "human_smuggling", _("Human smuggling")
    ORGANIZED_CRIME = "organized_crime", _("Organized crime")
    THEFT = "theft", _("Theft, pilferage, hijacking and piracy")
    AGRICULTURAL = "agricultural", _("Agricultural contamination")
    COUNTRY_CONDITIONS = "country_conditions", _("Country conditions that foster these threats")


class Level(models.TextChoices):
    HIGH = "H", _("High")
    MEDIUM = "M", _("Medium")
    LOW = "L", _("Low")


# Higher number, higher threat: the overall level of a place is its highest category.
LEVEL_ORDER = {Level.LOW.value: 1, Level.MEDIUM.value: 2, Level.HIGH.value: 3}


def subdivision(code: str) -> Any:
    """The ISO 3166-2 subdivision with this code (e.g. "MX-CHH"), or None."""
    if not code:
        return None
    return pycountry.subdivisions.get(code=code.strip().upper())  # type: ignore[no-untyped-call]


def is_stale(rated_on: datetime.date, today: datetime.date) -> bool:
    return (today - rated_on).days > STALE_AFTER_DAYS


class ThreatRating(TenantModel):
    """One member's rating of one threat category in one country or region."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="threat_ratings"
    )
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=10, blank=True,
        help_text=_(
            "ISO 3166-2 code of a state or province inside the country, e.g. MX-CHH. "
            "Leave empty to rate the whole country."
        ),
    )  # fmt: skip
    category = models.CharField(_("threat category"), max_length=20, choices=Category.choices)
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    source = models.CharField(
        _("source"), max_length=300,
        help_text=_(
            "Where the rating comes from, e.g. U.S. State Department travel advisory, "
            "OSAC report, your own incident history."
        ),
    )  # fmt: skip
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    rated_on = models.DateField(_("rated on"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("rated by"),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["country", "region", "category"]
        verbose_name = _("threat rating")
        verbose_name_plural = _("threat ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "country", "region", "category"],
                name="unique_threat_rating_per_place",
            ),
            # The product never holds a rating without its source, whatever writes it.
            models.CheckConstraint(condition=~models.Q(source=""), name="threat_rating_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.place_code}: {self.get_category_display()} {self.level}"

    def get_absolute_url(self) -> str:
        return reverse("threats:country-detail", args=[self.company_id, self.country.code])

    @property
    def place_code(self) -> str:
        return self.region or str(self.country)

    @property
    def region_name(self) -> str:
        from threats.places import region_name

        return region_name(self.region)

    def get_additional_data(self) -> dict[str, Any]:
        # The country lets a country's history page find its entries, deleted ones too.
        return {**super().get_additional_data(), "country": str(self.country)}

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return is_stale(self.rated_on, today or timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.source = (self.source or "").strip()
        self.region = (self.region or "").strip().upper()
        if not self.source:
            errors["source"] = _(
                "Say where this rating comes from: a rating without a source cannot be saved."
            )
        if self.rated_on and self.rated_on > timezone.localdate():
            errors["rated_on"] = _("The rating date cannot be in the future.")
        if self.region:
            sub = subdivision(self.region)
            if sub is None:
                errors["region"] = _(
                    "Unknown region code; use an ISO 3166-2 code such as MX-CHH, "
                    "or leave it empty for the whole country."
                )
            elif self.country and sub.country_code != str(self.country):
                errors["region"] = _("This region is not in the chosen country.")
        if errors:
            raise ValidationError(errors)


class ThreatImport(TenantModel):
    """An uploaded ratings file, checked row by row before anything is written."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, waiting for confirmation")
        INVALID = "invalid", _("Has errors")
        DONE = "done", _("Imported")

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="threat_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("threats:import-detail", args=[self.company_id, self.pk])
