"""Security incidents (MSC 7.23–7.37): the report, the notification checklist with its clock,
the internal investigation, root cause and lessons learned."""

from __future__ import annotations

import datetime
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from actions.models import CorrectiveAction, CorrectiveActionQuerySet
from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from incidents.choices import IncidentKind, IncidentStatus, Party

# When no border crossing time is known, notifications are due this long after the report
# (MSC 7.23 says "as soon as feasible"; the portal makes that a visible clock).


class Incident(TenantModel):
    """A security incident reported by staff, a partner (possibly anonymously) or opened by
    the portal itself (a seal discrepancy).

    The investigation (MSC 7.37) raises corrective actions (the shared
    `actions.CorrectiveAction`, with the incident as its `source`). An incident cannot be
    closed while any of them is still open or in progress: closing says "the investigation
    is over and what had to be fixed is fixed", which is what a validation specialist
    reads it as (MSC 6.1 D: investigate, take corrective action). An action that is no
    longer needed is cancelled with a reason, which the action keeps.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(gettext_lazy("kind"), max_length=24, choices=IncidentKind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    description = models.TextField(gettext_lazy("what happened"))
    occurred_at = models.DateTimeField(gettext_lazy("when it happened"), default=timezone.now)
    location = models.CharField(gettext_lazy("where"), max_length=200, blank=True)
    border_crossing_at = models.DateTimeField(
        gettext_lazy("conveyance reaches the border"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "When known: CBP must be told before the conveyance crosses the border."
        ),
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=16,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=gettext_lazy("inspection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    seal = models.ForeignKey(
        "seals.Seal",
        verbose_name=gettext_lazy("seal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    partner_name = models.CharField(gettext_lazy("business partner"), max_length=200, blank=True)
    shipment_ref = models.CharField(gettext_lazy("shipment"), max_length=100, blank=True)
    anonymous = models.BooleanField(gettext_lazy("reported anonymously"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attachment = models.FileField(gettext_lazy("attachment"), max_length=300, blank=True)
    investigation = models.TextField(gettext_lazy("internal investigation"), blank=True)
    root_cause = models.TextField(gettext_lazy("root cause"), blank=True)
    lessons_learned = models.TextField(gettext_lazy("lessons for the risk assessment"), blank=True)
    closed_at = models.DateTimeField(gettext_lazy("closed at"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[Incident]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("incident")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident-detail", args=[self.company_id, self.pk])

    @property
    def notify_by(self) -> datetime.datetime:
        """The deadline of the notification clock."""
        if self.border_crossing_at is not None:
            return self.border_crossing_at
        # The organisation's rule (CTPAT_INCIDENT_NOTIFY_HOURS): CBP asks for notice as soon
        # as possible and before the border, without a number of hours.
        within = datetime.timedelta(hours=settings.CTPAT_INCIDENT_NOTIFY_HOURS)
        return (self.created_at or timezone.now()) + within

    def clock(self, now: datetime.datetime | None = None) -> Clock:
        now = now or timezone.now()
        pending = [n for n in self.notifications.all() if n.notified_at is None]
        return Clock(deadline=self.notify_by, now=now, pending=len(pending))

    def corrective_actions(self) -> CorrectiveActionQuerySet:
        """The corrective actions raised from this incident's investigation."""
        return CorrectiveAction.objects.for_source(self)

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED

    def clean(self) -> None:
        if self.status == IncidentStatus.CLOSED and not self.root_cause.strip():
            raise ValidationError(
                {"root_cause": _("Record the root cause before closing the incident.")}
            )
        # Checked when the incident is being closed (closed_at is stamped on save), so an
        # incident closed earlier can still have its lessons edited.
        if self.status == IncidentStatus.CLOSED and self.closed_at is None and self.pk:
            still_open = list(self.corrective_actions().open().order_by("due_date", "pk")[:6])
            if still_open:
                titles = ", ".join(f"“{a.title}”" for a in still_open[:5])
                raise ValidationError(
                    {
                        "status": ngettext(
                            "The corrective action %(titles)s is still open. Finish it, or "
                            "cancel it with a reason, before closing the incident.",
                            "The corrective actions %(titles)s are still open. Finish them, "
                            "or cancel them with a reason, before closing the incident.",
                            len(still_open),
                        )
                        % {"titles": titles}
                    }
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status == IncidentStatus.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status != IncidentStatus.CLOSED:
            self.closed_at = None
        super().save(*args, **kwargs)


class Clock:
    """The notification clock: time left before the deadline, or how late it is."""

    def __init__(self, *, deadline: datetime.datetime, now: datetime.datetime, pending: int):
        self.deadline = deadline
        self.now = now
        self.pending = pending

    @property
    def remaining(self) -> datetime.timedelta:
        return self.deadline - self.now

    @property
    def done(self) -> bool:
        return self.pending == 0

    @property
    def overdue(self) -> bool:
        return not self.done and self.now > self.deadline

    @property
    def hours_left(self) -> float:
        return round(self.remaining.total_seconds() / 3600, 1)


class Notification(TenantModel):
    """One line of an incident's notification checklist: who must be told, and when they
    were told, by whom, through which contact."""

    tenant_field = "incident__company"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    party = models.CharField(gettext_lazy("party"), max_length=10, choices=Party.choices)
    notified_at = models.DateTimeField(gettext_lazy("notified at"), null=True, blank=True)
    contact = models.CharField(gettext_lazy("contact"), max_length=200, blank=True)
    note = models.CharField(gettext_lazy("note"), max_length=500, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[Notification]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("notification")
        ordering = ["incident_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "party"], name="incident_party_once")
        ]

    def __str__(self) -> str:
        return self.get_party_display()

    def on_time(self) -> bool | None:
        if self.notified_at is None:
            return None
        return self.notified_at <= self.incident.notify_by


def new_report_token() -> str:
    """A fresh anonymous-report token: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class ReportLink(TenantModel):
    """A company's anonymous reporting link (MSC 7.25), one per company.

    The token is random and says nothing about the company; it never expires by itself, but
    the company's officer or admin can rotate it (after a poster went somewhere it should
    not, or a flood of junk reports), which makes the old link answer 404 at once. It is
    kept readable rather than hashed because the page shows the link to the company's
    managers every time, to print on posters; all it grants is sending a report.
    """

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="incident_report_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_report_token, editable=False)
    rotated_at = models.DateTimeField(gettext_lazy("last changed"), null=True, blank=True)
    rotated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[TenantQuerySet[ReportLink]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("anonymous reporting link")

    def __str__(self) -> str:
        return f"{self.company}: anonymous reporting link"

    def get_absolute_url(self) -> str:
        # The company number in the path is always 0: only the token says which company.
        return reverse("incidents:anonymous-report", args=[0, self.token])
