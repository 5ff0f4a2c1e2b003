"""The seal log (MSC 6.1–6.7): ISO 17712 seals received by ranges, stored, issued, affixed
with VVTT, checked at each hand-over and at destination. Seal records are never deleted;
a seal that must leave the stock is voided with a reason."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from seals.choices import EventKind, HandlerTraining, SealClass, SealStatus


def _refuse_delete() -> NoReturn:
    raise ValidationError(
        _("Seal records are never deleted (MSC 6.1); void the seal with a reason instead.")
    )


class NoDeleteQuerySet(TenantQuerySet[Any]):
    def delete(self) -> NoReturn:
        _refuse_delete()


class SealQuerySet(NoDeleteQuerySet):
    def on_hand(self) -> SealQuerySet:
        return self.filter(status=SealStatus.IN_STOCK)


class Seal(TenantModel):
    """One numbered ISO 17712 seal, from receipt to affixing, verification or voiding."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="seals")
    number = models.CharField(gettext_lazy("seal number"), max_length=40)
    manufacturer = models.CharField(gettext_lazy("manufacturer"), max_length=120)
    iso_class = models.CharField(
        gettext_lazy("ISO 17712 class"), max_length=1, choices=SealClass.choices, default="H"
    )
    certificate_ref = models.CharField(
        gettext_lazy("ISO 17712 certificate"),
        max_length=120,
        help_text=gettext_lazy("The manufacturer's conformity certificate (lab and audit)."),
    )
    storage_location = models.CharField(gettext_lazy("stored at"), max_length=120)
    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=SealStatus.choices, default="in_stock"
    )
    holder_name = models.CharField(gettext_lazy("issued to"), max_length=120, blank=True)
    iit_number = models.CharField(
        gettext_lazy("container / trailer number"), max_length=40, blank=True
    )
    void_reason = models.CharField(gettext_lazy("reason for voiding"), max_length=300, blank=True)

    objects: ClassVar[SealQuerySet] = SealQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("seal")
        ordering = ["company_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="seal_number_once")
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="seal_company_status"),
            # The seal list's order (newest change first): a page is read from the index
            # instead of sorting the company's 50,000 seals.
            models.Index(fields=["company", "-updated_at", "-id"], name="seal_company_updated"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("seals:seal-detail", args=[self.company_id, self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse_delete()

    def clean(self) -> None:
        if self.iso_class != SealClass.H:
            raise ValidationError(
                {
                    "iso_class": _(
                        "CTPAT requires ISO 17712 class H (high security) seals; "
                        "class %(cls)s cannot be used."
                    )
                    % {"cls": self.iso_class}
                }
            )


class SealEvent(TenantModel):
    """One line of the seal log: receipt, issue, affixing (with VVTT), a hand-over check,
    verification at destination, a discrepancy or voiding. Never changed, never deleted."""

    tenant_field = "seal__company"

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(gettext_lazy("what"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(gettext_lazy("person"), max_length=120, blank=True)
    iit_number = models.CharField(
        gettext_lazy("container / trailer number"), max_length=40, blank=True
    )
    document_number = models.CharField(
        gettext_lazy("seal number on the shipping documents"), max_length=40, blank=True
    )
    observed_number = models.CharField(
        gettext_lazy("seal number read on the seal"), max_length=40, blank=True
    )
    vvtt_view = models.BooleanField(gettext_lazy("View"), default=False)
    vvtt_verify = models.BooleanField(gettext_lazy("Verify"), default=False)
    vvtt_tug = models.BooleanField(gettext_lazy("Tug"), default=False)
    vvtt_twist = models.BooleanField(gettext_lazy("Twist and turn"), default=False)
    note = models.CharField(gettext_lazy("note"), max_length=500, blank=True)
    handler_training = models.CharField(
        gettext_lazy("seal training of the person affixing"),
        max_length=10,
        choices=HandlerTraining.choices,
        blank=True,
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seal_events",
    )

    objects: ClassVar[NoDeleteQuerySet] = NoDeleteQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("seal log entry")
        ordering = ["seal_id", "at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="seal_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.seal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse_delete()


class SealAudit(TenantModel):
    """A periodic inventory audit of the seals on hand, reconciled with the log (MSC 6.6)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="seal_audits")
    at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("audited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected = models.PositiveIntegerField(gettext_lazy("on hand by the log"))
    counted = models.PositiveIntegerField(gettext_lazy("counted"))
    missing = models.JSONField(gettext_lazy("in the log, not found"), default=list)
    unexpected = models.JSONField(gettext_lazy("found, not in stock by the log"), default=list)
    note = models.CharField(gettext_lazy("note"), max_length=500, blank=True)

    objects: ClassVar[TenantQuerySet[SealAudit]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("seal inventory audit")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d}"

    @property
    def reconciled(self) -> bool:
        return not self.missing and not self.unexpected
