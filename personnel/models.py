"""The people a CTPAT member's security program covers, and their vetting (MSC 11.x).

`SecurityRole` is a position in the security program (guard, driver, seal custodian…);
the training app says which courses each role needs. `Employee` is a person working for
the company (not necessarily a user of this portal) with roles and a facility.
`Screening` records pre-employment verification and background checks (MSC 11.1, 11.2),
`ConductAcknowledgement` the signed code of conduct (11.5) and `Separation` the checklist
that removes a leaving person's access. Screening outcome details and notes are sensitive:
only company officers and admins see them, and each view is written to
`SensitiveAccessLog`.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from companies.models import Address, Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import SCANS, RandomUploadTo, UploadCheck


def localized(en: str, es: str) -> str:
    return es if (get_language() or "en").startswith("es") and es else en


class SecurityRole(TenantModel):
    """A position in the company's security program; it decides which training is required.

    Seeded per company from the training programme file and editable afterwards."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="security_roles")
    code = models.SlugField(_("code"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    objects: ClassVar[TenantQuerySet[SecurityRole]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("security role")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="unique_role_code_per_company")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_en, self.name_es)

    @property
    def description(self) -> str:
        return localized(self.description_en, self.description_es)


class EmployeeQuerySet(TenantQuerySet["Employee"]):
    def active(self) -> EmployeeQuerySet:
        return self.filter(active=True)

    def matching(self, query: str) -> EmployeeQuerySet:
        """People whose first or last name or employee number contains `query`, by name
        (what a person box's search-as-you-type looks up)."""
        return self.filter(
            models.Q(first_name__icontains=query)
            | models.Q(last_name__icontains=query)
            | models.Q(employee_number__icontains=query)
        ).order_by("last_name", "first_name", "pk")


class Employee(TenantModel):
    """A person whose security training and vetting the company must show (MSC 11, 12).

    Employees are never deleted: deactivating keeps their records as evidence."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employees")
    employee_number = models.CharField(
        _("employee number"),
        max_length=40,
        blank=True,
        help_text=_("Unique within the company; used to match rows when importing."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    facility = models.ForeignKey(
        Address,
        verbose_name=_("facility"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
    )
    roles = models.ManyToManyField(
        SecurityRole, verbose_name=_("security roles"), blank=True, related_name="employees"
    )
    manager_email = models.EmailField(
        _("manager's e-mail"),
        blank=True,
        help_text=_(
            "Training reminders go here; without it, to the company's officers and admins."
        ),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("in use", "active"), default=True)
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)

    objects: ClassVar[EmployeeQuerySet] = EmployeeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("employee")
        ordering = ["last_name", "first_name"]
        # The employee list and the training matrix page a company's people by name: in
        # this order the database reads a page instead of sorting 5,000 people each time.
        indexes = [
            models.Index(
                fields=["company", "last_name", "first_name", "id"], name="employee_company_name"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee_number"],
                condition=~models.Q(employee_number=""),
                name="unique_employee_number_per_company",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def lookup_label(self) -> str:
        """The name, and the number when there is one (two people may share a name)."""
        return (
            f"{self.full_name} · {self.employee_number}" if self.employee_number else self.full_name
        )

    def get_absolute_url(self) -> str:
        return reverse("personnel:employee-detail", args=[self.company_id, self.pk])

    def clean(self) -> None:
        facility = self.facility if self.facility_id else None
        if facility is not None and self.company_id and facility.company_id != self.company_id:
            raise ValidationError({"facility": _("Choose one of this company's addresses.")})
        if self.hire_date and self.hire_date > timezone.localdate():
            raise ValidationError({"hire_date": _("The hire date cannot be in the future.")})

    def deactivate(self, on: datetime.date | None = None) -> None:
        """Stop counting the person in the matrix and reminders; keep every record."""
        if self.active:
            self.active = False
            self.deactivated_on = on or timezone.localdate()
            self.save(update_fields=["active", "deactivated_on", "updated_at"])

    def reactivate(self) -> None:
        """Undo a deactivation made by mistake; the person is back in matrix and reminders."""
        if not self.active:
            self.active = True
            self.deactivated_on = None
            self.save(update_fields=["active", "deactivated_on", "updated_at"])


class ScreeningKind(models.TextChoices):
    PRE_EMPLOYMENT = "pre_employment", _("Pre-employment verification (history, references)")
    BACKGROUND = "background", _("Background check")
    RECHECK = "recheck", _("Periodic re-investigation")
    OTHER = "other", _("Other check")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLEAR = "clear", pgettext_lazy("screening outcome", "Clear")
    CONCERNS = "concerns", _("Cleared with concerns")
    ADVERSE = "adverse", _("Not cleared")


class Screening(TenantModel):
    """A pre-employment verification or background check of one employee (MSC 11.1, 11.2),
    done where local law allows. `outcome_details` and `notes` are sensitive."""

    SENSITIVE_FIELDS: ClassVar[tuple[str, ...]] = ("outcome_details", "notes")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="screenings")
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="screenings"
    )
    kind = models.CharField(_("type of check"), max_length=20, choices=ScreeningKind.choices)
    checked_items = models.TextField(
        _("what was checked"), help_text=_("E.g. employment history, references, criminal record.")
    )
    checked_on = models.DateField(_("checked on"))
    provider = models.CharField(_("done by"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_details = models.TextField(_("outcome details"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recheck_due = models.DateField(_("re-check due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[Screening]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("screening")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.employee} ({self.checked_on})"

    def get_absolute_url(self) -> str:
        return reverse("personnel:screening-detail", args=[self.company_id, self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.employee_id and self.company_id and self.employee.company_id != self.company_id:
            errors["employee"] = str(_("Choose one of this company's employees."))
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = str(_("The check date cannot be in the future."))
        if self.recheck_due and self.checked_on and self.recheck_due <= self.checked_on:
            errors["recheck_due"] = str(_("The re-check must be due after the check date."))
        if errors:
            raise ValidationError(errors)


class ConductAcknowledgement(TenantModel):
    """An employee's signed acknowledgement of the code of conduct (MSC 11.5)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="conduct_acks")
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    code_version = models.CharField(
        _("code of conduct version"), max_length=40, help_text=_("E.g. 2025-01 or v3.")
    )
    acknowledged_on = models.DateField(_("acknowledged on"))
    evidence = models.FileField(
        _("signed copy"),
        upload_to=RandomUploadTo("personnel/acknowledgements"),
        blank=True,
        validators=[UploadCheck(SCANS)],
    )

    objects: ClassVar[TenantQuerySet[ConductAcknowledgement]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("code of conduct acknowledgement")
        ordering = ["-acknowledged_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "code_version"], name="one_ack_per_code_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.code_version}"

    def clean(self) -> None:
        if self.employee_id and self.company_id and self.employee.company_id != self.company_id:
            raise ValidationError({"employee": _("Choose one of this company's employees.")})
        if self.acknowledged_on and self.acknowledged_on > timezone.localdate():
            raise ValidationError({"acknowledged_on": _("The date cannot be in the future.")})


class Separation(TenantModel):
    """The access-removal checklist when a person leaves: badges and keys returned,
    accounts disabled, physical access removed (MSC 11.x, 7.x access controls)."""

    STEPS: ClassVar[tuple[str, ...]] = (
        "badges_returned",
        "keys_returned",
        "accounts_disabled",
        "access_removed",
    )

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="separations")
    employee = models.OneToOneField(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="separation"
    )
    separated_on = models.DateField(_("last working day"))
    badges_returned = models.BooleanField(_("ID badges returned"), default=False)
    keys_returned = models.BooleanField(_("keys returned"), default=False)
    accounts_disabled = models.BooleanField(_("computer accounts disabled"), default=False)
    access_removed = models.BooleanField(
        _("physical access removed (cards, codes, gate lists)"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar[TenantQuerySet[Separation]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("separation")
        ordering = ["-separated_on"]

    def __str__(self) -> str:
        return f"{self.employee} — {self.separated_on}"

    @property
    def complete(self) -> bool:
        return all(getattr(self, step) for step in self.STEPS)

    def missing_steps(self) -> list[str]:
        return [
            str(getattr(self._meta.get_field(s), "verbose_name", s))
            for s in self.STEPS
            if not getattr(self, s)
        ]

    def clean(self) -> None:
        if self.employee_id and self.company_id and self.employee.company_id != self.company_id:
            raise ValidationError({"employee": _("Choose one of this company's employees.")})


class SensitiveAccessLog(TenantModel):
    """One showing of an employee's sensitive screening fields: who, when, where.

    Append-only; company officers and admins read the list."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_email = models.EmailField(_("user"))
    channel = models.CharField(_("seen through"), max_length=20)
    path = models.CharField(_("address"), max_length=300)

    objects: ClassVar[TenantQuerySet[SensitiveAccessLog]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("sensitive data access")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_email} → {self.employee_id} @ {self.created_at:%Y-%m-%d %H:%M}"
