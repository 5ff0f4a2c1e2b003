"""CBP's five-step risk assessment (MSC 2.1-2.4, domain.md §3).

An `Assessment` is one dated record of the company's risk assessment (usually one a
year, MSC 2.3). It maps each `SupplyChain` as `Node`s linked from origin to destination
(step 1, MSC 2.2), takes threat levels from the company's country ratings (step 2, the
`threats` app), rates vulnerability per MSC category with a suggestion computed from
the evidence the portal holds (step 3, `VulnerabilityRating`), raises corrective actions
(step 4, `actions.CorrectiveAction`) and keeps the written method (step 5). The numbers
behind "risk = threat × vulnerability" are the company's `RiskSettings`.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField

from core.models import TenantModel
from core.refusals import NotAllowed
from core.tenancy import TenantQuerySet
from risk.choices import (
    CATEGORY_CHOICES,
    AssessmentStatus,
    Level,
    NodeKind,
    TransportMode,
)


class RiskSettings(TenantModel):
    """How a company turns H/M/L ratings into a risk score: the value of each level and
    the score from which risk counts as high or medium (domain.md §3.3 recommends the
    combination rule be configurable, defaulting to H/M/L = 5/3/1). Also the facts the
    written method (step 5) is generated from."""

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="risk_settings"
    )
    high_value = models.PositiveSmallIntegerField(gettext_lazy("value of High"), default=5)
    medium_value = models.PositiveSmallIntegerField(gettext_lazy("value of Medium"), default=3)
    low_value = models.PositiveSmallIntegerField(gettext_lazy("value of Low"), default=1)
    high_threshold = models.PositiveSmallIntegerField(
        gettext_lazy("high risk from score"),
        default=15,
        help_text=gettext_lazy("Threat value × vulnerability value at or above this is high."),
    )
    medium_threshold = models.PositiveSmallIntegerField(
        gettext_lazy("medium risk from score"),
        default=5,
        help_text=gettext_lazy("At or above this (and below high) is medium; below is low."),
    )
    assessors = models.CharField(
        gettext_lazy("who assesses"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Names or roles of the people who run the assessment."),
    )
    sources = models.TextField(
        gettext_lazy("threat sources"),
        blank=True,
        help_text=gettext_lazy(
            "Where threat information comes from, e.g. State Department travel advisories, "
            "OSAC reports, your own incident history."
        ),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("risk settings")
        verbose_name_plural = gettext_lazy("risk settings")

    def __str__(self) -> str:
        return _("Risk settings of %(company)s") % {"company": self.company}

    @classmethod
    def for_company(cls, company: Any) -> RiskSettings:
        """The company's settings, or the defaults (unsaved) when it never changed them."""
        found = cls.objects.filter(company=company).first()
        return found if found is not None else cls(company=company)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.high_value > self.medium_value > self.low_value >= 1):
            errors["medium_value"] = _(
                "Values must rise from Low to High (for example 1, 3, 5) and Low must be "
                "at least 1."
            )
        top = self.high_value * self.high_value
        if not (1 <= self.medium_threshold < self.high_threshold <= top):
            errors["high_threshold"] = _(
                "The high threshold must be above the medium one and at most %(top)s "
                "(High × High), or no chain could ever be high."
            ) % {"top": top}
        if errors:
            raise ValidationError(errors)

    def value(self, level: str | None) -> int | None:
        return {
            Level.HIGH.value: self.high_value,
            Level.MEDIUM.value: self.medium_value,
            Level.LOW.value: self.low_value,
        }.get(level or "")

    def score(self, threat: str | None, vulnerability: str | None) -> int | None:
        """Threat value × vulnerability value; None when either is not rated."""
        t, v = self.value(threat), self.value(vulnerability)
        return None if t is None or v is None else t * v

    def risk_level(self, score: int | None) -> str | None:
        if score is None:
            return None
        if score >= self.high_threshold:
            return Level.HIGH.value
        if score >= self.medium_threshold:
            return Level.MEDIUM.value
        return Level.LOW.value


class AssessmentQuerySet(TenantQuerySet["Assessment"]):
    def completed(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.COMPLETED)


class Assessment(TenantModel):
    """One dated risk assessment of a company (MSC 2.1), reviewed at least yearly (2.3).

    A completed assessment is a record: it is no longer edited; next year's review starts
    as a copy of it."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    assessed_on = models.DateField(gettext_lazy("date of the assessment"))
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    method = models.TextField(
        gettext_lazy("how we assess risk"),
        blank=True,
        help_text=gettext_lazy("Who assesses, how often, the method and the sources (step 5)."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(gettext_lazy("completed at"), null=True, blank=True)

    objects: ClassVar[AssessmentQuerySet] = AssessmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("risk assessment")
        ordering = ["company_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="one_risk_assessment_a_year")
        ]

    def __str__(self) -> str:
        return _("Risk assessment %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("risk:assessment-detail", args=[self.company_id, self.pk])

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED

    def ensure_editable(self) -> None:
        if self.is_completed:
            raise AssessmentCompleted


class AssessmentRefused(NotAllowed):
    """The root of the risk assessment's refusals (API 409 with the code)."""

    code = "assessment_refused"


class AssessmentCompleted(AssessmentRefused):
    """A completed assessment is a dated record: nothing in it changes."""

    code = "assessment_completed"
    default_message = gettext_lazy(
        "This assessment is completed and kept as a record; start this year's review to change it."
    )


class AssessmentWithoutChains(AssessmentRefused):
    code = "assessment_without_chains"
    default_message = gettext_lazy("Map at least one supply chain before completing.")


class SupplyChain(TenantModel):
    """One supply chain of the assessment: a flow of cargo from origin to destination.

    The threat, vulnerability and risk fields are filled when the assessment is completed,
    so the record keeps what was decided even after threat ratings change."""

    tenant_field = "assessment__company"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="chains")
    name = models.CharField(gettext_lazy("name"), max_length=200)
    description = models.TextField(gettext_lazy("description"), blank=True)
    threat_level = models.CharField(
        gettext_lazy("threat"), max_length=1, choices=Level.choices, blank=True, editable=False
    )
    vulnerability_level = models.CharField(
        gettext_lazy("vulnerability"),
        max_length=1,
        choices=Level.choices,
        blank=True,
        editable=False,
    )
    risk_score = models.PositiveSmallIntegerField(
        gettext_lazy("risk score"), null=True, blank=True, editable=False
    )
    risk_level = models.CharField(
        gettext_lazy("risk"), max_length=1, choices=Level.choices, blank=True, editable=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("supply chain")
        ordering = ["assessment_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="unique_chain_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risk:chain-detail", args=[self.assessment.company_id, self.pk])


class Node(TenantModel):
    """A place cargo passes in a supply chain (MSC 2.2): who handles it there, in which
    country (threats are rated per country), how it leaves and whether it rests there."""

    tenant_field = "chain__assessment__company"

    chain = models.ForeignKey(SupplyChain, on_delete=models.CASCADE, related_name="nodes")
    order = models.PositiveSmallIntegerField(gettext_lazy("order"), default=0)
    name = models.CharField(gettext_lazy("name"), max_length=200)
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=NodeKind.choices)
    partner = models.ForeignKey(
        "partners.BusinessPartner",
        verbose_name=gettext_lazy("business partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    country = CountryField(gettext_lazy("country"))
    region = models.CharField(
        gettext_lazy("region"),
        max_length=10,
        blank=True,
        help_text=gettext_lazy("ISO 3166-2 code of a state or province, e.g. MX-CHH."),
    )
    mode = models.CharField(
        gettext_lazy("transport mode out"), max_length=20, choices=TransportMode.choices
    )
    cargo_rests = models.BooleanField(gettext_lazy("cargo rests here"), default=False)
    rest_hours = models.PositiveIntegerField(gettext_lazy("hours at rest"), null=True, blank=True)
    next_nodes = models.ManyToManyField(
        "self",
        verbose_name=gettext_lazy("cargo goes on to"),
        symmetrical=False,
        blank=True,
        related_name="previous_nodes",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("supply chain node")
        ordering = ["chain_id", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.region = (self.region or "").strip().upper()
        if not self.country:
            errors["country"] = _(
                "Every node needs a country: threats are rated per country, so a node "
                "without one cannot be assessed."
            )
        elif self.region and not self.region.startswith(f"{self.country}-"):
            errors["region"] = _(
                "The region must be an ISO 3166-2 code inside %(country)s, such as %(example)s."
            ) % {"country": self.country, "example": f"{self.country}-XXX"}
        if self.cargo_rests and self.rest_hours is None:
            errors["rest_hours"] = _("Say for how many hours cargo rests here.")
        if not self.cargo_rests:
            self.rest_hours = None
        if self.partner_id is not None and self.chain_id is not None:
            from partners.models import BusinessPartner

            company_id = self.chain.assessment.company_id
            if not BusinessPartner.objects.filter(pk=self.partner_id, company_id=company_id):
                errors["partner"] = _("Choose one of the company's own business partners.")
        if errors:
            raise ValidationError(errors)

    @property
    def place(self) -> tuple[str, str]:
        return (str(self.country), self.region)


class VulnerabilityRating(TenantModel):
    """The vulnerability of one supply chain in one MSC category (step 3): the level the
    portal suggested with its reasons, and the level the assessor chose. A choice other
    than the suggestion needs a reason."""

    tenant_field = "chain__assessment__company"

    chain = models.ForeignKey(SupplyChain, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.PositiveSmallIntegerField(
        gettext_lazy("MSC category"), choices=CATEGORY_CHOICES
    )
    suggested_level = models.CharField(
        gettext_lazy("suggested level"), max_length=1, choices=Level.choices
    )
    reasons = models.JSONField(gettext_lazy("reasons for the suggestion"), default=list)
    level = models.CharField(gettext_lazy("level"), max_length=1, choices=Level.choices)
    override_reason = models.TextField(gettext_lazy("reason for a different level"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(gettext_lazy("rated at"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("vulnerability rating")
        ordering = ["chain_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "category"], name="one_rating_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.chain}: {self.category} {self.level}"

    def get_absolute_url(self) -> str:
        return self.chain.get_absolute_url()

    @property
    def is_override(self) -> bool:
        return self.level != self.suggested_level

    def clean(self) -> None:
        self.override_reason = (self.override_reason or "").strip()
        if self.level and self.suggested_level and self.is_override and not self.override_reason:
            raise ValidationError(
                {
                    "override_reason": _(
                        "You chose %(level)s where the suggestion is %(suggested)s: say why."
                    )
                    % {
                        "level": Level(self.level).label,
                        "suggested": Level(self.suggested_level).label,
                    }
                }
            )


def next_review_due(company: Any) -> datetime.date | None:
    """One year after the last completed assessment (MSC 2.3); None when none exists."""
    from django.utils import timezone

    last = (
        Assessment.objects.filter(company=company, status=AssessmentStatus.COMPLETED)
        .exclude(completed_at=None)
        .order_by("-completed_at")
        .first()
    )
    if last is None or last.completed_at is None:
        return None
    done = timezone.localdate(last.completed_at)
    try:
        return done.replace(year=done.year + 1)
    except ValueError:  # 29 February
        return done.replace(year=done.year + 1, day=28)
