"""Conveyance and container inspections (MSC 5.3–5.7), a company's own checklists, and the
gate log of conveyances coming in and going out."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Address, Company
from core.models import TenantModel
from core.signatures import SIGNATURE_CHECK
from core.tenancy import TenantQuerySet
from core.uploads import RandomUploadTo
from inspections.checklists import Checklist, Point, builtin
from inspections.choices import Cleaning, Direction, GateDirection, Result

# MSC 5.7: the record of a pest finding and its cleaning is kept at least one year.
PEST_RETENTION = datetime.timedelta(days=366)
# A supervisor signs an inspection within this time, or it counts as a missed sign-off.
SIGN_OFF_WITHIN = datetime.timedelta(hours=24)


class ChecklistTemplate(TenantModel):
    """A company's own inspection checklist (e.g. a flatbed or tanker list), used beside the
    built-in container, reefer, tractor, trailer and 17-point lists."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="checklists")
    name = models.CharField(gettext_lazy("name"), max_length=120)
    points = models.JSONField(
        gettext_lazy("points"), default=list, help_text=gettext_lazy("One point per line.")
    )
    active = models.BooleanField(gettext_lazy("in use"), default=True)

    objects: ClassVar[TenantQuerySet[ChecklistTemplate]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("inspection checklist")
        ordering = ["company_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"custom-{self.pk}"

    def as_checklist(self) -> Checklist:
        return Checklist(
            key=self.key,
            name_en=self.name,
            name_es=self.name,
            points=tuple(Point(**p) for p in self.points),
        )

    def clean(self) -> None:
        if not self.points:
            raise ValidationError({"points": _("A checklist needs at least one point.")})


def checklist_for(company: Company, key: str) -> Checklist | None:
    """The built-in list with this key, or one of the company's active own lists."""
    if key in builtin():
        return builtin()[key]
    if key.startswith("custom-") and key[7:].isdigit():
        own = company.checklists.filter(pk=int(key[7:]), active=True).first()
        return own.as_checklist() if own else None
    return None


class InspectionQuerySet(TenantQuerySet["Inspection"]):
    def complete(self) -> InspectionQuerySet:
        """Every point answered, the pest check done, and outbound loads sealed with VVTT."""
        return self.filter(points_open=0, pest_checked=True).exclude(
            direction=Direction.OUTBOUND,
            vvtt_done=False,
        )

    def unsigned_overdue(self, now: datetime.datetime | None = None) -> InspectionQuerySet:
        return self.filter(
            signed_off_at__isnull=True,
            performed_at__lt=(now or timezone.now()) - SIGN_OFF_WITHIN,
        )


class Inspection(TenantModel):
    """One security and agricultural inspection of an instrument of international traffic
    (container, trailer, tractor): who, when, where, each point's result, the pest check,
    the seal with its VVTT steps and the supervisor's sign-off (MSC 5.3, 5.5, 5.7, 6.7)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="inspections")
    # Made by the phone when the form is opened; a resent inspection is recognised by it.
    client_key = models.UUIDField(default=uuid.uuid4, editable=False)
    checklist_key = models.CharField(gettext_lazy("checklist"), max_length=40)
    checklist_name = models.CharField(gettext_lazy("checklist name"), max_length=120)
    iit_number = models.CharField(
        gettext_lazy("container / trailer number"),
        max_length=40,
        help_text=gettext_lazy("The number of the instrument of international traffic."),
    )
    plate = models.CharField(gettext_lazy("plate"), max_length=20, blank=True)
    direction = models.CharField(gettext_lazy("movement"), max_length=10, choices=Direction.choices)
    performed_at = models.DateTimeField(gettext_lazy("date and time"), default=timezone.now)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.ForeignKey(
        Address,
        verbose_name=gettext_lazy("facility"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    location_note = models.CharField(gettext_lazy("place"), max_length=120, blank=True)
    points_open = models.PositiveSmallIntegerField(default=0, editable=False)
    points_failed = models.PositiveSmallIntegerField(default=0, editable=False)
    pest_checked = models.BooleanField(gettext_lazy("checked for visible pests"), default=False)
    pest_found = models.BooleanField(gettext_lazy("pests or contamination found"), default=False)
    pest_description = models.TextField(gettext_lazy("what was found"), blank=True)
    cleaning = models.CharField(
        gettext_lazy("cleaning action"), max_length=10, choices=Cleaning.choices, blank=True
    )
    seal_number = models.CharField(gettext_lazy("seal number"), max_length=40, blank=True)
    vvtt_view = models.BooleanField(gettext_lazy("View: seal and locking mechanism"), default=False)
    vvtt_verify = models.BooleanField(
        gettext_lazy("Verify: number matches the documents"), default=False
    )
    vvtt_tug = models.BooleanField(gettext_lazy("Tug: seal is affixed"), default=False)
    vvtt_twist = models.BooleanField(
        gettext_lazy("Twist and turn: it does not open"), default=False
    )
    vvtt_done = models.BooleanField(default=False, editable=False)
    notes = models.TextField(gettext_lazy("notes"), blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(gettext_lazy("signed off at"), null=True, blank=True)
    # Drawn on the phone (core/signatures.py): the inspector's with the inspection, the
    # supervisor's at sign-off. Shown on the page and printed on the sheet.
    inspector_signature = models.FileField(
        gettext_lazy("inspector's signature"),
        upload_to=RandomUploadTo("inspections/signatures"),
        validators=[SIGNATURE_CHECK],
        blank=True,
    )
    supervisor_signature = models.FileField(
        gettext_lazy("supervisor's signature"),
        upload_to=RandomUploadTo("inspections/signatures"),
        validators=[SIGNATURE_CHECK],
        blank=True,
    )
    # Set at sign-off: signed more than SIGN_OFF_WITHIN after the inspection (a missed
    # sign-off for the operations figures), kept so the figures need no date arithmetic.
    signed_late = models.BooleanField(default=False, editable=False)

    objects: ClassVar[InspectionQuerySet] = InspectionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("inspection")
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "client_key"], name="inspection_unique_client_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["company", "-performed_at", "-id"], name="inspection_company_time"
            ),
            # Covers the operations figures: a month's counts come from the index alone.
            models.Index(
                fields=[
                    "company",
                    "performed_at",
                    "direction",
                    "points_open",
                    "pest_checked",
                    "vvtt_done",
                    "pest_found",
                    "signed_late",
                    "signed_off_at",
                ],
                name="inspection_kpi",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """How people name an inspection when they pick it: the container / trailer number
        and the local date and time (one container is inspected many times)."""
        return f"{self.iit_number} · {timezone.localtime(self.performed_at):%Y-%m-%d %H:%M}"

    @property
    def checklist_label(self) -> str:
        """The checklist's name in the reader's language (the record keeps the English
        name it was taken under, for a list that no longer exists)."""
        found = builtin().get(self.checklist_key)
        return found.name if found is not None else self.checklist_name

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection-detail", args=[self.company_id, self.pk])

    @property
    def passed(self) -> bool:
        return self.points_failed == 0 and not self.pest_found

    @property
    def is_complete(self) -> bool:
        return (
            self.points_open == 0
            and self.pest_checked
            and (self.direction != Direction.OUTBOUND or self.vvtt_done)
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.pest_found and not self.pest_description.strip():
            errors["pest_description"] = _("Describe the pests or contamination found.")
        if self.pest_found and not self.cleaning:
            errors["cleaning"] = _(
                "Say what was done: washed out, vacuumed out, or conveyance rejected."
            )
        if self.pest_found and not self.pest_checked:
            errors["pest_checked"] = _("A pest finding needs the pest check ticked.")
        vvtt = (self.vvtt_view, self.vvtt_verify, self.vvtt_tug, self.vvtt_twist)
        if any(vvtt) and not self.seal_number.strip():
            errors["seal_number"] = _("Enter the seal number the VVTT steps were done on.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.vvtt_done = bool(
            self.seal_number
            and self.vvtt_view
            and self.vvtt_verify
            and self.vvtt_tug
            and self.vvtt_twist
        )
        super().save(*args, **kwargs)

    def recount(self) -> None:
        results = list(self.results.values_list("result", flat=True))
        self.points_open = sum(1 for r in results if not r)
        self.points_failed = sum(1 for r in results if r == Result.FAIL)
        self.save(update_fields=["points_open", "points_failed"])

    def sign_off(self, supervisor: Any, signature: Any = None) -> None:
        if self.signed_off_at is not None:
            raise ValidationError(_("This inspection is already signed off."))
        if supervisor.pk == self.inspector_id:
            raise ValidationError(
                _("A supervisor other than the inspector must sign the inspection.")
            )
        self.supervisor = supervisor
        self.signed_off_at = timezone.now()
        self.signed_late = self.signed_off_at - self.performed_at > SIGN_OFF_WITHIN
        fields = ["supervisor", "signed_off_at", "signed_late"]
        if signature is not None:
            self.supervisor_signature.save(signature.name, signature, save=False)
            fields.append("supervisor_signature")
        self.save(update_fields=fields)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pest_found and timezone.now() - self.performed_at < PEST_RETENTION:
            raise ValidationError(
                _("A pest finding is kept at least one year (MSC 5.7); it cannot be deleted yet.")
            )
        return super().delete(*args, **kwargs)


class InspectionResult(TenantModel):
    """The result of one point of an inspection: pass, fail or not applicable, a note and
    an optional photo (already made small on the phone)."""

    tenant_field = "inspection__company"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    label_en = models.CharField(max_length=120)
    label_es = models.CharField(max_length=120)
    result = models.CharField(
        gettext_lazy("result"), max_length=4, choices=Result.choices, blank=True
    )
    note = models.CharField(gettext_lazy("note"), max_length=500, blank=True)
    photo = models.FileField(gettext_lazy("photo"), max_length=300, blank=True)

    objects: ClassVar[TenantQuerySet[InspectionResult]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("inspection point result")
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="inspection_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.result or '-'}"

    @property
    def label(self) -> str:
        from inspections.checklists import _spanish

        return self.label_es if _spanish() else self.label_en


# What the guard records at the gate: the entry form's fields, the API's and the CSV's.
GATE_ENTRY_FIELDS = (
    "direction",
    "driver_name",
    "driver_licence",
    "tractor_plate",
    "trailer_plate",
    "iit_number",
    "seal_number",
    "seal_intact",
    "inspection",
    "notes",
)


class GateEntry(TenantModel):
    """One conveyance passing the gate, in or out: driver, plates, container / trailer, the
    seal check and the inspection done on it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="gate_entries")
    client_key = models.UUIDField(default=uuid.uuid4, editable=False)
    direction = models.CharField(
        gettext_lazy("direction"), max_length=3, choices=GateDirection.choices
    )
    at = models.DateTimeField(gettext_lazy("date and time"), default=timezone.now)
    driver_name = models.CharField(gettext_lazy("driver"), max_length=120)
    driver_licence = models.CharField(gettext_lazy("driver's licence"), max_length=40, blank=True)
    tractor_plate = models.CharField(gettext_lazy("tractor plate"), max_length=20, blank=True)
    trailer_plate = models.CharField(gettext_lazy("trailer plate"), max_length=20, blank=True)
    iit_number = models.CharField(
        gettext_lazy("container / trailer number"), max_length=40, blank=True
    )
    seal_number = models.CharField(gettext_lazy("seal number"), max_length=40, blank=True)
    seal_intact = models.BooleanField(
        gettext_lazy("seal intact and matches the documents"), null=True, blank=True
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=gettext_lazy("inspection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gate_entries",
    )
    notes = models.CharField(gettext_lazy("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[GateEntry]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("gate log entry")
        verbose_name_plural = gettext_lazy("gate log")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "client_key"], name="gate_unique_client_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.at:%Y-%m-%d %H:%M} {self.driver_name}"

    def clean(self) -> None:
        if not (self.tractor_plate or self.trailer_plate or self.iit_number):
            raise ValidationError(
                {"tractor_plate": _("Enter a plate or the container / trailer number.")}
            )
        if self.seal_number and self.seal_intact is None:
            raise ValidationError(
                {"seal_intact": _("Say whether the seal is intact and matches the documents.")}
            )
