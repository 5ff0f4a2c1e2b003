"""Corrective actions: what a company has to fix, who fixes it and by when.

One model serves every app that finds something to fix: a failed mock-audit check today,
risk-assessment items, partner screenings and security incidents later. The finding that
caused the action is linked through `source` (a generic relation: any model), and the MSC
criterion it concerns, when there is one, is kept by its ID (`criterion_ref`, e.g. "7.23")
so the link survives new catalogue versions.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.choices import CLOSED_STATUSES, OPEN_STATUSES, ActionStatus
from companies.models import Company, Membership
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile


class CorrectiveActionQuerySet(TenantQuerySet["CorrectiveAction"]):
    def open(self) -> CorrectiveActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> CorrectiveActionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def for_source(self, obj: models.Model) -> CorrectiveActionQuerySet:
        """The actions raised by one finding, assessment item, incident…"""
        return self.filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)


class CorrectiveAction(TenantModel):
    """A corrective action: a weakness to fix (found by a mock audit, a risk assessment, a
    partner review or an incident), with an owner, a due date and a status."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="corrective_actions"
    )
    title = models.CharField(gettext_lazy("title"), max_length=200)
    description = models.TextField(gettext_lazy("what to fix"), blank=True)
    criterion_ref = models.CharField(
        gettext_lazy("MSC criterion"),
        max_length=10,
        blank=True,
        help_text=gettext_lazy("The criterion ID it concerns, e.g. 7.23."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(gettext_lazy("due date"), null=True, blank=True)
    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    completion_note = models.TextField(
        gettext_lazy("what was done"),
        blank=True,
        help_text=gettext_lazy("Required to close the action as done or cancelled."),
    )
    completed_at = models.DateTimeField(gettext_lazy("closed at"), null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[CorrectiveActionQuerySet] = CorrectiveActionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("corrective action")
        ordering = ["company_id", "due_date", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:action-detail", args=[self.company_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.is_open
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )

    def source_url(self) -> str | None:
        source: Any = self.source
        getter = getattr(source, "get_absolute_url", None)
        return str(getter()) if getter else None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status in CLOSED_STATUSES and not self.completion_note.strip():
            errors["completion_note"] = _(
                "Say what was done (or why the action is cancelled) before closing it."
            )
        if self.owner_id is not None and self.company_id is not None:
            member = Membership.objects.filter(user_id=self.owner_id, company_id=self.company_id)
            if not member.exists():
                errors["owner"] = _("The owner must be a member of the company.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Closing stamps the time once; reopening clears it.
        if self.status in CLOSED_STATUSES and self.completed_at is None:
            self.completed_at = timezone.now()
        elif self.status in OPEN_STATUSES:
            self.completed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "completed_at"}
        super().save(*args, **kwargs)


class ActionEvidence(StoredFile, TenantModel):
    """A file showing what was done about a corrective action (a photo, a new procedure)."""

    tenant_field = "action__company"
    folder = "actions"

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="evidence")

    objects: ClassVar[TenantQuerySet[ActionEvidence]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("corrective action evidence")
        ordering = ["action_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
